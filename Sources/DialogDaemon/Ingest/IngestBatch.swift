#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import CDialogSystem
import DialogCore
import DialogStore
import DialogSystem

/// One transaction's worth of spool files (docs/spool.md "exactly once"): every file is read, parsed
/// and stored inside one transaction; only after the commit do files leave `new/`, and the
/// directories are fsynced. A crash at any point leaves the files in `new/`, and their keys make
/// the second pass a no-op.
struct IngestBatch {
    let spool: SpoolDirectory
    let store: ConversationStore
    let reader: RecordReader
    let maxFileBytes: Int
    let keepArchive: Bool
    let log: Logger
    /// Labels what the records do not log and learns from what they do (docs/classification.md).
    let labeler: RecordLabeler
    /// How a conflict's reason names the stored record's employee (`[privacy]`).
    var employeeFigures: EmployeeFigures = .off
    /// What the store keeps of each record's customer (`[privacy] customers`); nil keeps it as
    /// written (tools and tests). Applied after the key is made, so a file's key does not
    /// depend on the secret and stores from before pseudonyms keep their keys.
    var customers: CustomerIdentity?
    /// Pinged while a large file's records go in (`WatchdogKeepAlive`); nil in tools and tests.
    var keepAlive: WatchdogKeepAlive?

    /// How the prepare step counts a record as `insert` would: customer as stored, the store's
    /// valuation (it changes only between transactions: a reload waits for the open one).
    var pricing: RecordPricing {
        RecordPricing(customers: customers, valuation: store.valuation, keepingShipped: !store.recomputesShippedFigures)
    }

    /// Files prepared together on all cores; small enough to keep a batch's deadline honest.
    static let chunkSize = 128
    /// Bytes of small files parsed ahead in one chunk, at most (one file more if it is alone):
    /// a parsed file with its tokens takes about three times its size, and two chunks are out at
    /// once — 2 × 128 files of 60 KB took the daemon to 84 MiB (issue 12). Large files count
    /// nothing here: they are only opened ahead, and read on the loop.
    static let chunkBytes = 1 << 20

    /// What a record taught the model: learned as stored, or an amend (the record it replaced).
    enum Learned {
        case stored(ConversationRecord, Document)
        case amended(ReplacedRecord, ConversationRecord, Document)
    }

    /// A large streamed file the batch met: stored after it, over several loop turns, in a
    /// transaction of its own (`StreamedFileIngest`).
    struct LargeFile {
        var name: String
        var file: SpoolFile
        var format: RecordFormat
    }

    /// What one `store` call did: the files it took, and those it left in `new/` for later.
    struct Stored {
        /// Large streamed files met whose dropper took a stream place, open: not stored yet.
        var large: [LargeFile] = []
        /// Large files met while their dropper had no place: closed, their names wait for one in the
        /// order met (not in the next batch).
        var largeWaiting: [String] = []
        var results: [FileResult] = []
        /// How many of the names it took (it stops at the deadline, or once its files queued
        /// `ConversationStore.maxQueuedAttributions` orders for attribution).
        var taken = 0
        /// Orders its commit attributed again (the batch's log line).
        var attributed = 0
        /// Names left in `new/` because of a passing shortage (EMFILE, ENOMEM, …), with why.
        var busy: [(name: String, why: String)] = []
    }

    /// Stores `names` in one transaction and returns what became of each. Throws only when the
    /// store fails; then nothing was committed and every file is still in `new/`.
    /// Stops taking further files at `deadline` (monotonic ms). A large streamed file does not end
    /// the batch (issue 12): one for which `streamPlace` takes a place is kept open, the others only by name.
    func store(_ names: ArraySlice<String>, now: Int64, deadline: Int64, streamPlace: (LargeFile) -> Bool = { _ in true }) throws -> Stored {
        try store(ArraySlice(names.map { QueuedName(name: $0) }), now: now, deadline: deadline, streamPlace: streamPlace)
    }

    /// As `store(_:now:deadline:streamPlace:)`, with the size each name had when queued: its
    /// chunk is chosen by that, without another look (the prepare step decides by what it opens).
    func store(_ names: ArraySlice<QueuedName>, now: Int64, deadline: Int64, streamPlace: (LargeFile) -> Bool = { _ in true }) throws -> Stored {
        var stored = Stored()
        stored.results.reserveCapacity(names.count)
        var releasesMemory = false
        try store.transaction {
            // While the loop stores one chunk, the next is prepared on the other core; what the
            // chunk teaches the model is learned once that preparation (and its snapshot) is done.
            labeler.defersLearning = true
            defer { labeler.defersLearning = false }
            var rest = names
            var next: (names: [String], prepared: Prefetch<[PreparedFile]>)? = prefetch(&rest)
            chunks: while let (_, prefetched) = next {
                let prepared = prefetched.wait() ?? []
                labeler.learnDeferred()
                next = !rest.isEmpty && Clock.monotonicMilliseconds() < deadline ? prefetch(&rest) : nil
                for file in prepared {
                    // The attribution its files queued is work of its commit: past the bound the
                    // batch commits, the files left go into the next one (attack 5, issue 12).
                    if store.attributionQueued >= ConversationStore.maxQueuedAttributions {
                        _ = next?.prepared.wait()
                        break chunks
                    }
                    stored.taken += 1
                    if case .large(_, _, streamed: false) = file.content { releasesMemory = true }
                    switch try ingest(file, now: now) {
                    case .vanished:
                        // Taken back: a progress row of an earlier run's large file under its name goes.
                        try StreamProgress.remove(file.name, from: store)
                    case .busy(let why):
                        stored.busy.append((file.name, why))
                    case .streamed(let large):
                        // Handed on; the small files behind it go on in this batch.
                        if streamPlace(large) { stored.large.append(large) } else { stored.largeWaiting.append(large.name) }
                    case .done(let result):
                        try recordOutcome(of: result, now: now)
                        stored.results.append(result)
                    }
                }
            }
            labeler.defersLearning = false
            try labeler.saveIfDue(store)
        }
        stored.attributed = store.takeAttributedCount()
        if releasesMemory { Self.releaseMemory(of: store) }
        return stored
    }

    /// Before and after a large whole file (a 4 MiB `.conv` at most): SQLite's cache gives back
    /// its pages and the heap's free pages go back to the kernel, so one such file after another
    /// does not add up (issue 12: the cache, not malloc's arenas, took VmHWM 54 → 59 → 63 → 67
    /// MiB, debug build). A millisecond or two, around files over 64 KiB only.
    static func releaseMemory(of store: ConversationStore) {
        store.releaseCachedPages()
        _ = dialogd_trim_heap()
    }

    /// Starts preparing the next chunk of `rest` on other cores (`PreparedFile.prepare`).
    /// A name's size as queued is a hint for the chunk's bytes only; one not looked at is looked at here.
    private func prefetch(_ rest: inout ArraySlice<QueuedName>) -> (names: [String], prepared: Prefetch<[PreparedFile]>) {
        var taken: [String] = []
        var bytes = 0
        for queued in rest.prefix(Self.chunkSize) {
            let size = queued.size ?? spool.size(of: queued.name, in: .new) ?? 0
            let parsedAhead = size <= PreparedFile.parseAheadLimit ? size : 0
            if !taken.isEmpty, bytes + parsedAhead > Self.chunkBytes { break }
            taken.append(queued.name)
            bytes += parsedAhead
        }
        rest = rest.dropFirst(taken.count)
        let (chunk, directory, reader, maxFileBytes, snapshot, pricing) = (taken, spool.fd(.new), reader, maxFileBytes, labeler.snapshot, pricing)
        return (chunk, Prefetch {
            PreparedFile.prepare(chunk, directory: directory, reader: reader, maxFileBytes: maxFileBytes, labeler: snapshot, pricing: pricing)
        })
    }

    /// The file's line in `ingested_files`, in the open transaction.
    func recordOutcome(of result: FileResult, now: Int64) throws {
        try store.recordFileOutcome(
            name: result.storedName, bytes: Int64(result.bytes), stored: result.stored + result.amended + result.updated + result.orders + result.ordersAmended,
            duplicates: result.duplicates + result.orderDuplicates,
            rejected: result.rejects.count,
            disposition: result.quarantineReason == nil ? .archived : .quarantined,
            reason: result.keptReason, at: now
        )
    }

    private enum Ingested {
        case done(FileResult)
        /// A large streamed file: stored after this batch, over several loop turns.
        case streamed(LargeFile)
        /// Gone before we got to it.
        case vanished
        /// Left in `new/` for a later try.
        case busy(String)
    }

    /// Inserts one prepared file's records.
    private func ingest(_ file: PreparedFile, now: Int64) throws -> Ingested {
        var result = FileResult(name: file.name, bytes: file.bytes)
        result.identity = file.identity
        // A name written after a forgotten customer is kept blanked, by the store too.
        result.nameAfter(try store.forgottenCustomers())
        switch file.content {
        case .vanished:
            return .vanished
        case .busy(let why):
            return .busy(why)
        case .refused(let reason):
            result.quarantineReason = reason
        case .parsed(let parsed, let keys, let documents, let counted):
            for i in parsed.records.indices {
                try insert(parsed.records[i], key: keys[i], document: documents[i], counted: counted[i], file: result.storedName, now: now, into: &result)
            }
            result.rejects = parsed.rejects
            try noteRefusedShipped(&result)
            result.warnings = parsed.warnings
            result.settleRefusals()
        case .large(let spoolFile, let format, streamed: true):
            return .streamed(LargeFile(name: file.name, file: spoolFile, format: format))
        case .large(let spoolFile, let format, streamed: false):
            return try ingestLarge(spoolFile, format: format, result: result, now: now)
        }
        return .done(result)
    }

    /// `labels` as the prepare step found them; nil for large files, labelled here with the
    /// model as it is. `counted`: the record with its customer as stored, counted and priced by
    /// the prepare step (`pricing`). `keepLearned`: note what the model learns, to take it back (`Learned`).
    func insert(_ parsedRecord: ParsedRecord, key: String, document: Document, labels: RecordLabels? = nil, counted: CountedRecord? = nil,
                keepLearned: Bool = false, file: String, now: Int64, into result: inout FileResult) throws {
        if let order = parsedRecord.order { return try insert(order, key: key, line: parsedRecord.line, raw: parsedRecord.raw, file: file, now: now, into: &result) }
        // The counted record is read in place, never copied (issue 17: each copy retained its strings).
        if let counted {
            // A customer `forget` erased: stored as `forget` leaves records, or a duplicate of the erased one.
            if try store.isForgotten(stored: counted.record.customer) {
                return try insertErased(counted.record, labels: counted.labels, parsedRecord, key: key, keepLearned: keepLearned, file: file, now: now, into: &result)
            }
            let outcome = try labeler.ingest(counted, document: document, key: key, sourceFile: file, line: parsedRecord.line, ingestedAt: now, into: store)
            return try tally(outcome, of: counted.record, key: key, parsedRecord, document: document, keepLearned: keepLearned, into: &result)
        }
        var record = parsedRecord.record
        if let customers { record.customer = customers.stored(record.customer) }
        let labels = labels ?? labeler.labels(for: record, document: document)
        if try store.isForgotten(stored: record.customer) {
            return try insertErased(record, labels: labels, parsedRecord, key: key, keepLearned: keepLearned, file: file, now: now, into: &result)
        }
        let outcome = try labeler.ingest(record, labels: labels, document: document, key: key, sourceFile: file, line: parsedRecord.line,
                                         ingestedAt: now, into: store)
        try tally(outcome, of: record, key: key, parsedRecord, document: document, keepLearned: keepLearned, into: &result)
    }

    /// Counts what the store did with `record` in `result`.
    func tally(_ outcome: IngestOutcome, of record: ConversationRecord, key: String, _ parsedRecord: ParsedRecord, document: Document,
                       keepLearned: Bool, into result: inout FileResult) throws {
        switch outcome {
        case .stored:
            result.stored += 1
            // A site's erased revision of a record never stored here: an earlier revision of it
            // may have been refused, its line kept in `cur/` and `quarantine/` (`ShippedErasure.mayErase`).
            if let shipped = record.shipped, ShippedErasure.mayErase(record) {
                result.shippedErasure.add(site: shipped.site, key: shipped.key ?? key, below: shipped.revision)
            }
            // A shipped copy taught nothing (`RecordLabeler.ingest`), so there is nothing to take back.
            if keepLearned, record.shipped == nil { result.learned.append(.stored(record, document)) }
        case .duplicate:
            result.duplicates += 1
        case .duplicateOfBlanked(let mentions):
            result.duplicates += 1
            result.blankedOriginals += 1
            result.blankedMentions.formUnion(mentions)
        case .updated(let replaced):
            result.updated += 1
            result.shippedErasure.merge(replaced.erasure)
        case .outdated:
            result.duplicates += 1
            result.outdated += 1
        case .outdatedByErasure(let erasure):
            result.duplicates += 1
            result.outdated += 1
            result.shippedErasure.merge(erasure)
        case .amended(let replaced):
            result.amended += 1
            if keepLearned { result.learned.append(.amended(replaced, record, document)) }
        case .conflict(let stored):
            let employee = employeeFigures == .off ? nil : EmployeeLabeler(mode: employeeFigures, key: try store.pseudonymKey()).label(stored.employee)
            let named = IdConflict.StoredRecord(row: stored.rowID, date: stored.date, utcOffsetSeconds: stored.utcOffsetSeconds, employee: employee)
            result.conflicting += 1
            result.refused.append(RejectedRecord(
                rejection: IdConflict.conflict(id: record.id ?? "", line: parsedRecord.line, stored: named, differences: stored.differences),
                raw: parsedRecord.raw ?? ""))
        case .unknownAmend:
            result.unknownAmends += 1
            result.refused.append(RejectedRecord(
                rejection: IdConflict.unknownAmend(id: record.amends ?? "", line: parsedRecord.line), raw: parsedRecord.raw ?? ""))
        }
    }

    /// Why a large file's inserts are undone: it was refused or must wait after all.
    private struct Undone: Error { var outcome: SpoolRecords.Outcome }

    /// Reads a large `.json` or `.conv` (up to `spool.max_file_bytes`) on the loop thread and
    /// inserts its records once the whole file parsed (`SpoolRecords.read`: its bytes freed
    /// first). A multi-record `.json` keeps a savepoint all the same: refusing the file undoes
    /// its inserts, and the model unlearns what they taught it.
    private func ingestLarge(_ file: SpoolFile, format: RecordFormat, result: FileResult, now: Int64) throws -> Ingested {
        // Room for its copies (bytes, text, SQLite's bound text and row) beside a full page cache.
        Self.releaseMemory(of: store)
        var result = result
        let name = result.name, storedName = result.storedName
        func readAndInsert() throws -> ParsedFile {
            var storeError: (any Error)?
            var emitted = 0
            let outcome = SpoolRecords.read(file, format: format, reader: reader, maxFileBytes: maxFileBytes) { parsedRecord in
                guard storeError == nil else { return }
                emitted += 1
                if emitted & 4095 == 0 { keepAlive?.progress() }
                do {
                    // An order's key is its own (order number or content), as in the other paths.
                    let key = parsedRecord.order?.key ?? RecordKey.make(for: parsedRecord.record)
                    try insert(parsedRecord, key: key, document: Document(parsedRecord.record),
                               keepLearned: format.isMultiRecord, file: storedName, now: now, into: &result)
                } catch {
                    storeError = error
                }
            }
            if let storeError { throw storeError }
            guard case .parsed(let parsed, let bytes) = outcome else { throw Undone(outcome: outcome) }
            result.bytes = bytes
            return parsed
        }
        do {
            let parsed = format.isMultiRecord ? try store.savepoint("file") { try readAndInsert() } : try readAndInsert()
            result.rejects = parsed.rejects
            try noteRefusedShipped(&result)
            result.warnings = parsed.warnings
            result.settleRefusals()
            return .done(result)
        } catch let undone as Undone {
            // The savepoint undid the file's inserts and amends: so does the model, newest first.
            for learned in result.learned.reversed() {
                switch learned {
                case .stored(let record, let document): labeler.unlearn(record, document: document)
                case .amended(let replaced, let record, let document): labeler.undoAmended(replaced, by: record, document: document)
                }
            }
            var refused = FileResult(name: name, bytes: file.size, identity: file.identity)
            (refused.nameIdentities, refused.keptName) = (result.nameIdentities, result.keptName)
            switch undone.outcome {
            case .busy(let why): return .busy(why)
            case .refused(let reason): refused.quarantineReason = reason
            case .parsed: refused.quarantineReason = "changed while being read"
            }
            return .done(refused)
        }
    }
}
