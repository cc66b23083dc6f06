import DialogCore
import DialogStore
import DialogSystem

/// A large `.jsonl`, `.csv`, `.mbox` or `.json` array stored over several turns of the loop (docs/spool.md "Large
/// streamed files"): each `step` reads, parses and inserts for about 20 ms, then the loop serves
/// the control socket. Its records go in by slices, each a transaction of its own (at most
/// `commitMilliseconds` of work or `commitRecords` records): between two slices the loop stores
/// other files and runs admin commands, so nobody waits behind a large file. A slice commits its
/// records with their aggregates, attributions and the file's progress (`StreamProgress`); a
/// crash loses the open slice only, and the restart reads the file again, counting from there.
final class StreamedFileIngest {
    let name: String
    /// The batch whose settings read it and whose `finish` moves it out of `new/`.
    let batch: IngestBatch
    let startedAt = Clock.monotonicMilliseconds()
    /// Ingest time of its records (wall seconds), one for the whole file.
    private let now: Int64
    private let file: SpoolFile
    private let reader: StreamReader
    /// The next read, parsed, keyed and tokenized on another core while the loop stores this one.
    private var readAhead: Prefetch<StreamReader.Slice>?
    /// The slice stored last: handed to the next read ahead, whose thread frees its records,
    /// keys, texts and tokens, so the loop does not (issue 17).
    private var spent: StreamReader.Slice?
    private var result: IngestBatch.FileResult
    /// What is committed of the file (also by an earlier run); nil for a file without identity.
    private var progress: StreamProgress?
    /// Records taken from the reader by this run, and how many of the first were committed by an
    /// earlier run (read again, inserted as the no-ops they are, not counted again).
    private var taken = 0
    private let committedBefore: Int
    /// The counts already handed to the daemon's statistics (`Step`'s `counted`).
    private var counted: IngestBatch.FileResult
    /// A slice's transaction is open: until when, and how many records it holds.
    private var sliceOpen = false
    private var sliceEndsAt: Int64 = 0
    private var sliceRecords = 0
    /// The open slice stored a record of 256 KiB or more: its pages leave SQLite's cache after the commit (issue 12).
    private var sliceHeldLargeRecord = false
    private(set) var steps = 0
    private(set) var commits = 0
    /// The most orders one of its slices attributed again (its log line; bounded like a batch's).
    private(set) var mostAttributedInSlice = 0

    /// How long one step may take before the loop gets its turn back.
    static let stepMilliseconds: Int64 = 20
    /// A slice commits after this much work, or `commitRecords` records, whichever comes first.
    static let commitMilliseconds: Int64 = 1000
    static let commitRecords = 50_000

    init(_ large: IngestBatch.LargeFile, batch: IngestBatch, now: Int64) throws {
        name = large.name
        self.batch = batch
        self.now = now
        file = large.file
        reader = StreamReader(SpoolRecordStream(large.file, format: large.format, reader: batch.reader.reading(large.name)))
        result = IngestBatch.FileResult(name: large.name, bytes: large.file.size, identity: large.file.identity)
        result.nameAfter(try batch.store.forgottenCustomers())
        let saved = try StreamProgress.load(large.name, matching: large.file, from: batch.store)
        progress = saved ?? StreamProgress(large.file)
        committedBefore = saved?.records ?? 0
        if let saved { result.counts = saved.counts }
        counted = result
    }

    /// Which file it is (a file renamed over its name in `new/` is another).
    var identity: SpoolFile.Identity? { file.identity }

    /// Who dropped it (the owner uid of the open file): its stream place counts in that dropper's share.
    var owner: UInt32 { file.owner }

    /// Whether an earlier run committed part of it (the log says so).
    var resumes: Bool { committedBefore > 0 }

    enum Step {
        /// More remains; the slice's transaction stays open.
        case more
        /// A slice committed and more remains: the loop may store others now.
        case committed(counted: IngestBatch.FileResult)
        /// Its last slice committed with its `ingested_files` line: stored, or refused
        /// (`quarantineReason`) after the records before the refusal.
        case done(IngestBatch.FileResult, counted: IngestBatch.FileResult)
        /// A passing shortage: what was read is committed, the file stays in `new/` for a retry.
        case busy(String, counted: IngestBatch.FileResult)
    }

    /// Works until `deadline` (monotonic ms), the slice's end or the file's end. Throws when the
    /// store fails; the open slice is rolled back then (earlier slices stay) and the file stays in `new/`.
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
        if !sliceOpen {
            try store.beginOpenTransaction(slice: true)
            sliceOpen = true
            sliceEndsAt = Clock.monotonicMilliseconds() + Self.commitMilliseconds
            sliceRecords = 0
        }
        do {
            while true {
                steps += 1
                let slice = (readAhead ?? reader.next(batch.labeler.snapshot, pricing: batch.pricing)).wait() ?? StreamReader.Slice(outcome: .busy("its read was lost"))
                readAhead = nil
                batch.labeler.learnDeferred()
                let outcome = slice.outcome
                // The slice's last read has no read ahead: nothing is out while others are stored.
                // The attribution the slice's records queued is its work too (attack 5, issue 12).
                let closing = Clock.monotonicMilliseconds() >= sliceEndsAt || sliceRecords + slice.records.count >= Self.commitRecords
                    || store.attributionQueued >= ConversationStore.maxQueuedAttributions
                if case .more = outcome, !closing {
                    readAhead = reader.next(batch.labeler.snapshot, pricing: batch.pricing, releasing: spent)
                    spent = nil
                }
                // Every record a step gives is whole and was read as the file was taken
                // (`SpoolFileCursor` looks after each read), also when the step ends in a refusal.
                try insert(slice)
                spent = slice
                switch outcome {
                case .refused(let reason):
                    result.settleRefusals()
                    result.quarantineReason = refusal(reason)
                    result.rejects = RejectList()
                    return try finish()
                case .busy(let why):
                    try commitSlice()
                    return .busy(why, counted: takeCounted())
                case .parsed(let parsed, let bytes):
                    result.bytes = bytes
                    result.rejects = parsed.rejects
                    try batch.noteRefusedShipped(&result)
                    result.warnings = parsed.warnings
                    result.settleRefusals()
                    return try finish()
                case .more:
                    if closing {
                        try commitSlice()
                        releaseSpent()
                        return .committed(counted: takeCounted())
                    }
                }
                if Clock.monotonicMilliseconds() >= deadline {
                    try store.syncOpenTransactionWAL()
                    return .more
                }
            }
        } catch {
            _ = readAhead?.wait()
            readAhead = nil
            sliceOpen = false
            store.rollbackOpenTransaction()
            throw error
        }
    }

    private func insert(_ slice: StreamReader.Slice) throws {
        // By index, not by element: the records are passed on borrowed, never copied (each copy
        // retains some twenty strings made on another thread; issue 17).
        for i in slice.records.indices {
            // One read can hold thousands of orders: past the attribution bound the slice
            // commits here and another opens (attack 5, issue 12), whatever the read's size.
            if batch.store.attributionQueued >= ConversationStore.maxQueuedAttributions {
                try commitSlice()
                try batch.store.beginOpenTransaction(slice: true)
                sliceOpen = true
            }
            taken += 1
            sliceRecords += 1
            if (slice.records[i].record.text?.utf8.count ?? 0) >= 256 << 10 { sliceHeldLargeRecord = true }
            guard taken <= committedBefore else {
                try batch.insert(slice.records[i], key: slice.keys[i], document: slice.documents[i], labels: slice.labels[i], counted: slice.counted[i],
                                 file: result.storedName, now: now, into: &result)
                continue
            }
            // Committed by an earlier run and counted there: a no-op now, unless it was not
            // stored then after all (settings changed between the runs); its refusals are listed again.
            var again = IngestBatch.FileResult(name: name, bytes: 0)
            try batch.insert(slice.records[i], key: slice.keys[i], document: slice.documents[i], labels: slice.labels[i], counted: slice.counted[i],
                             file: result.storedName, now: now, into: &again)
            result.stored += again.stored
            result.amended += again.amended
            result.updated += again.updated
            result.shippedErasure.merge(again.shippedErasure)
            result.forgottenRecords += again.forgottenRecords
            result.orders += again.orders
            result.ordersAmended += again.ordersAmended
            result.refused += again.refused
        }
    }

    /// A refusal's reason with what of the file is stored, so its dropper knows what dropping it again does.
    private func refusal(_ reason: String) -> String {
        let new = result.stored + result.amended + result.updated + result.orders + result.ordersAmended
        let known = result.duplicates + result.orderDuplicates
        guard new + known > 0 else { return reason + "; nothing of it was stored" }
        return reason + "; \(new + known) of its records read before that are stored (\(new) new, \(known) already stored)"
            + " — fix the file and drop it again: the stored records are duplicates then, a no-op"
    }

    /// Writes the file's progress and commits the slice; the next step opens another.
    private func commitSlice() throws {
        if var progress {
            progress.records = taken
            progress.counts = result.counts
            try progress.save(name, into: batch.store)
            self.progress = progress
        }
        try batch.labeler.saveIfDue(batch.store)
        sliceOpen = false
        try batch.store.commitOpenTransaction(last: false)
        mostAttributedInSlice = max(mostAttributedInSlice, batch.store.takeAttributedCount())
        commits += 1
        if sliceHeldLargeRecord { IngestBatch.releaseMemory(of: batch.store) }
        sliceHeldLargeRecord = false
    }

    /// The last slice: the file's `ingested_files` line goes in with it, its progress goes.
    private func finish() throws -> Step {
        try batch.recordOutcome(of: result, now: now)
        try StreamProgress.remove(name, from: batch.store)
        try batch.labeler.saveIfDue(batch.store)
        sliceOpen = false
        try batch.store.commitOpenTransaction()
        mostAttributedInSlice = max(mostAttributedInSlice, batch.store.takeAttributedCount())
        commits += 1
        var last = takeCounted()
        last.rejects = result.rejects
        last.quarantineReason = result.quarantineReason
        return .done(result, counted: last)
    }

    /// The record counts committed since the last call, for the daemon's statistics (counted once, at their commit).
    private func takeCounted() -> IngestBatch.FileResult {
        var delta = IngestBatch.FileResult(name: name, bytes: 0)
        delta.counts = result.counts - counted.counts
        counted = result
        return delta
    }

    /// Parked between two slices (`IngestService.rebalanceStreams`): what it read is committed and
    /// no read is ahead then, so it holds only its file and reader; the stored slice is freed now.
    func park() {
        releaseSpent()
    }

    /// At a slice's commit no read is ahead to free the stored slice: a worker frees it now, so a
    /// stream waiting for its turn holds only its reader (issue 12: four streams held four slices).
    private func releaseSpent() {
        guard let spent else { return }
        self.spent = nil
        _ = Prefetch { withExtendedLifetime(spent) {} }
    }

    /// At exit (SIGTERM): the open slice commits what it holds, the file stays in `new/` and the
    /// next start goes on from there. Returns the counts committed, nil when the commit failed.
    func stop() -> IngestBatch.FileResult? {
        _ = readAhead?.wait()
        readAhead = nil
        batch.labeler.defersLearning = false
        guard sliceOpen else { return takeCounted() }
        do {
            try commitSlice()
            return takeCounted()
        } catch {
            sliceOpen = false
            batch.store.rollbackOpenTransaction()
            return nil
        }
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

    /// Below this many records a step's records are prepared on one thread: handing half to a
    /// worker (a queue, a wake-up, a wait) costs more than half of them take.
    static let splitRecords = 16

    init(_ stream: SpoolRecordStream) { self.stream = stream }

    /// Starts the next step on another core, labelling with `labeler` (orders are not classified)
    /// and counting with `pricing`. `releasing`: a stored slice, freed on that core when the step's work is done.
    /// The step's records are read and parsed in order on that thread; their keys, tokens, labels
    /// and prices are made by two threads, each for one half (issue 17: that work was two
    /// thirds of a record's, and the loop needs less than half as long to store it).
    func next(_ labeler: LabelSnapshot, pricing: RecordPricing, releasing spent: Slice? = nil) -> Prefetch<Slice> {
        Prefetch { [self, spent] in
            withExtendedLifetime(spent) {}
            var records: [ParsedRecord] = []
            let outcome = stream.step { records.append($0) }
            let half = records.count >= Self.splitRecords ? records.count / 2 : records.count
            let parsed = records
            let second = half < records.count ? Prefetch { Self.prepare(parsed[half...], labeler: labeler, pricing: pricing) } : nil
            var slice = Self.prepare(records[..<half], labeler: labeler, pricing: pricing)
            slice.outcome = outcome
            slice.records = records
            if let second {
                // nil only if taken before, which cannot be: it is taken once, here.
                let rest = second.wait() ?? Self.prepare(parsed[half...], labeler: labeler, pricing: pricing)
                slice.keys += rest.keys
                slice.documents += rest.documents
                slice.labels += rest.labels
                slice.counted += rest.counted
            }
            return slice
        }
    }

    /// Keys, documents, labels and prices of `records`, in their order (`records` left empty).
    private static func prepare(_ records: ArraySlice<ParsedRecord>, labeler: LabelSnapshot, pricing: RecordPricing) -> Slice {
        var slice = Slice(outcome: .busy(""))
        slice.keys.reserveCapacity(records.count)
        slice.documents.reserveCapacity(records.count)
        slice.labels.reserveCapacity(records.count)
        slice.counted.reserveCapacity(records.count)
        for parsed in records {
            let document = Document(parsed.record)
            let labels = parsed.order == nil ? labeler.labels(for: parsed.record, document: document) : RecordLabels()
            slice.keys.append(parsed.order?.key ?? RecordKey.make(for: parsed.record))
            slice.documents.append(document)
            slice.labels.append(labels)
            slice.counted.append(parsed.order == nil ? pricing.counted(parsed.record, labels: labels) : nil)
        }
        return slice
    }
}
