import DialogCore
import DialogStore
import DialogSystem

/// A large `.jsonl`, `.csv`, `.mbox` or `.json` array stored over several turns of the loop (docs/spool.md "large
/// files"): each `step` reads, parses and inserts for about 20 ms, then the loop
/// serves the control socket and signals again. The file keeps one transaction from its first
/// record to its last, as a batch does: a crash, SIGTERM or a refusal half-way rolls all of it
/// back (and the model is reloaded from the store), so a file is stored whole or not at all and
/// a restart stores it again from its start — exactly once, with honest counts.
final class StreamedFileIngest {
    let name: String
    /// The batch whose settings read it and whose `finish` moves it out of `new/`.
    let batch: IngestBatch
    let startedAt = Clock.monotonicMilliseconds()
    /// Ingest time of its records (wall seconds), one for the whole file.
    private let now: Int64
    private let size: Int
    private let reader: StreamReader
    /// The next read, parsed, keyed and tokenized on another core while the loop stores this one.
    private var readAhead: Prefetch<StreamReader.Slice>?
    /// The slice stored last: handed to the next read ahead, whose thread frees its records,
    /// keys, texts and tokens, so the loop does not (issue 17).
    private var spent: StreamReader.Slice?
    private var result: IngestBatch.FileResult
    private var began = false
    private(set) var slices = 0

    /// How long one step may take before the loop gets its turn back.
    static let sliceMilliseconds: Int64 = 20

    init(_ large: IngestBatch.LargeFile, batch: IngestBatch, now: Int64) {
        name = large.name
        self.batch = batch
        self.now = now
        size = large.file.size
        reader = StreamReader(SpoolRecordStream(large.file, format: large.format, reader: batch.reader.reading(large.name)))
        result = IngestBatch.FileResult(name: large.name, bytes: large.file.size, identity: large.file.identity)
    }

    enum Step {
        /// More remains; the transaction stays open.
        case more
        /// Committed: stored, or refused as a whole (`quarantineReason`). `undone`: records
        /// went into the rolled-back transaction, so the model must be reloaded from the store.
        case done(IngestBatch.FileResult, undone: Bool)
        /// A passing shortage: rolled back, the file stays in `new/` for a retry.
        case busy(String)
    }

    /// Works until `deadline` (monotonic ms) or the file's end. Throws when the store fails;
    /// the transaction is rolled back then and the file stays in `new/`.
    func step(deadline: Int64) throws -> Step {
        // The read ahead labels with a snapshot of the model: the loop learns only while none is out.
        batch.labeler.defersLearning = true
        do {
            let step = try stepDeferring(deadline: deadline)
            if case .more = step { return step }
            batch.labeler.defersLearning = false
            return step
        } catch {
            batch.labeler.defersLearning = false
            throw error
        }
    }

    private func stepDeferring(deadline: Int64) throws -> Step {
        let store = batch.store
        if !began {
            try store.beginOpenTransaction()
            began = true
        }
        do {
            while true {
                slices += 1
                let slice = (readAhead ?? reader.next(batch.labeler.snapshot, pricing: batch.pricing)).wait() ?? StreamReader.Slice(outcome: .busy("its read was lost"))
                readAhead = nil
                batch.labeler.learnDeferred()
                let outcome = slice.outcome
                if case .more = outcome {
                    readAhead = reader.next(batch.labeler.snapshot, pricing: batch.pricing, releasing: spent)
                    spent = nil
                }
                switch outcome {
                case .refused(let reason):
                    store.rollbackOpenTransaction()
                    let refused = IngestBatch.FileResult(name: name, bytes: size, quarantineReason: reason, identity: result.identity)
                    try batch.store.transaction { try batch.recordOutcome(of: refused, now: now) }
                    return .done(refused, undone: true)
                case .busy(let why):
                    store.rollbackOpenTransaction()
                    return .busy(why)
                case .more, .parsed:
                    for (i, record) in slice.records.enumerated() {
                        try batch.insert(record, key: slice.keys[i], document: slice.documents[i], labels: slice.labels[i], counted: slice.counted[i],
                                         file: name, now: now, into: &result)
                    }
                    spent = slice
                }
                if case .parsed(let parsed, let bytes) = outcome {
                    result.bytes = bytes
                    result.rejects = parsed.rejects
                    result.warnings = parsed.warnings
                    result.settleRefusals()
                    try batch.recordOutcome(of: result, now: now)
                    try batch.labeler.saveIfDue(batch.store)
                    try store.commitOpenTransaction()
                    return .done(result, undone: false)
                }
                if Clock.monotonicMilliseconds() >= deadline {
                    try store.syncOpenTransactionWAL()
                    return .more
                }
            }
        } catch {
            store.rollbackOpenTransaction()
            throw error
        }
    }

    /// Rolls back whatever went in (SIGTERM while the file is in progress).
    func abandon() {
        _ = readAhead?.wait()
        batch.labeler.defersLearning = false
        if began { batch.store.rollbackOpenTransaction() }
    }
}

/// The stream of a large file, read one step at a time on whichever thread holds it: the loop
/// starts a step (`next`) and touches the stream again only after that step has ended, so the
/// stream is never used by two threads at once.
final class StreamReader: @unchecked Sendable {
    private var stream: SpoolRecordStream

    /// One step's records with their keys, tokenized text and labels (`PreparedFile` does the same for small files).
    struct Slice: Sendable {
        var outcome: SpoolRecordStream.Step
        var records: [ParsedRecord] = []
        var keys: [String] = []
        var documents: [Document] = []
        var labels: [RecordLabels] = []
        /// Each conversation counted and priced as the loop would (nil for an order).
        var counted: [CountedRecord?] = []
    }

    init(_ stream: SpoolRecordStream) { self.stream = stream }

    /// Starts the next step on another core, labelling with `labeler` (orders are not classified)
    /// and counting with `pricing`. `releasing`: a stored slice, freed on that core when the step's work is done.
    func next(_ labeler: LabelSnapshot, pricing: RecordPricing, releasing spent: Slice? = nil) -> Prefetch<Slice> {
        Prefetch { [self, spent] in
            withExtendedLifetime(spent) {}
            var records: [ParsedRecord] = []
            let outcome = stream.step { records.append($0) }
            let documents = records.map { Document($0.record) }
            let labels = records.indices.map { records[$0].order == nil ? labeler.labels(for: records[$0].record, document: documents[$0]) : RecordLabels() }
            let counted = records.indices.map { records[$0].order == nil ? pricing.counted(records[$0].record, labels: labels[$0]) : nil }
            return Slice(outcome: outcome, records: records, keys: records.map { $0.order?.key ?? RecordKey.make(for: $0.record) },
                         documents: documents, labels: labels, counted: counted)
        }
    }
}
