#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DialogCore
import DialogStore

/// One transaction's worth of spool files (DESIGN §2 "exactly once"): every file is read, parsed
/// and stored inside one transaction; only after the commit do files leave `new/`, and the
/// directories are fsynced. A crash at any point leaves the files in `new/`, and their keys make
/// the second pass a no-op.
struct IngestBatch {
    /// What happens to one file once the transaction has committed.
    struct FileResult {
        var name: String
        var bytes: Int
        /// `nil`: archive to `cur/`; otherwise quarantine with this reason.
        var quarantineReason: String?
        var stored = 0
        var duplicates = 0
        /// Per-record rejects of a multi-record file, for `NAME.rejects.jsonl`.
        var rejects: [RejectedRecord] = []
        var warnings: [String] = []
    }

    let spool: SpoolDirectory
    let store: ConversationStore
    let reader: RecordReader
    let maxFileBytes: Int
    let keepArchive: Bool
    let log: Logger
    /// Labels what the records do not log and learns from what they do (DESIGN §4).
    let labeler: RecordLabeler

    /// Files prepared together on all cores; small enough to keep a batch's deadline honest.
    static let chunkSize = 128

    /// Stores `names` in one transaction and returns what became of each. Throws only when the
    /// store fails; then nothing was committed and every file is still in `new/`.
    /// Stops taking further files at `deadline` (monotonic ms); returns how many names it took.
    func store(_ names: ArraySlice<String>, now: Int64, deadline: Int64) throws -> (results: [FileResult], taken: Int) {
        var results: [FileResult] = []
        results.reserveCapacity(names.count)
        var taken = 0
        try store.transaction {
            var rest = names
            while !rest.isEmpty {
                if taken > 0, Clock.monotonicMilliseconds() >= deadline { break }
                let chunk = Array(rest.prefix(Self.chunkSize))
                rest = rest.dropFirst(chunk.count)
                taken += chunk.count
                let prepared = PreparedFile.prepare(chunk, directory: spool.fd(.new), reader: reader, maxFileBytes: maxFileBytes)
                for file in prepared {
                    guard let result = try ingest(file, now: now) else { continue }
                    try store.recordFileOutcome(
                        name: result.name, bytes: Int64(result.bytes), stored: result.stored, duplicates: result.duplicates,
                        rejected: result.rejects.count,
                        disposition: result.quarantineReason == nil ? .archived : .quarantined,
                        reason: result.quarantineReason, at: now
                    )
                    results.append(result)
                }
            }
            try labeler.saveIfDue(store)
        }
        return (results, taken)
    }

    /// Inserts one prepared file's records; `nil` when the file vanished before we got to it.
    private func ingest(_ file: PreparedFile, now: Int64) throws -> FileResult? {
        var result = FileResult(name: file.name, bytes: file.bytes)
        switch file.content {
        case .vanished:
            return nil
        case .refused(let reason):
            result.quarantineReason = reason
        case .parsed(let parsed, let keys, let documents):
            for i in parsed.records.indices {
                try insert(parsed.records[i], key: keys[i], document: documents[i], file: file.name, now: now, into: &result)
            }
            result.rejects = parsed.rejects
            result.warnings = parsed.warnings
        case .large:
            return try ingestLarge(file.name, now: now)
        }
        return result
    }

    private func insert(_ parsedRecord: ParsedRecord, key: String, document: Document, file: String, now: Int64, into result: inout FileResult) throws {
        let record = parsedRecord.record
        let labels = labeler.labels(for: record, document: document)
        if try store.insert(record, labels: labels, key: key, sourceFile: file, line: parsedRecord.line, ingestedAt: now) {
            labeler.learn(from: record, document: document)
            result.stored += 1
        } else {
            result.duplicates += 1
        }
    }

    /// Reads a large file on the loop thread and streams its records into the store.
    private func ingestLarge(_ name: String, now: Int64) throws -> FileResult? {
        let bytes: [UInt8]
        switch SpoolFileReader.read(name, directory: spool.fd(.new), maxBytes: maxFileBytes) {
        case .vanished:
            return nil
        case .refused(let reason):
            return FileResult(name: name, bytes: 0, quarantineReason: reason)
        case .bytes(let content, _):
            bytes = content
        case .deferred:
            preconditionFailure("read without deferAbove never defers")
        }
        let format = RecordFormat(fileName: name)!
        var result = FileResult(name: name, bytes: bytes.count)
        do {
            // Records stream from the parser into the store. A multi-record file can still be
            // refused as a whole after some records went in (a CSV quote that never closes), so
            // it gets a savepoint: refusing the file undoes its inserts.
            let parsed = format.isMultiRecord
                ? try store.savepoint("file") { try insertRecords(of: bytes, name: name, now: now, into: &result) }
                : try insertRecords(of: bytes, name: name, now: now, into: &result)
            result.rejects = parsed.rejects
            result.warnings = parsed.warnings
        } catch let rejection as RecordRejection {
            return FileResult(name: name, bytes: bytes.count, quarantineReason: rejection.description)
        }
        return result
    }

    /// Parses `bytes` and inserts each record as it is built; throws the file's rejection, or
    /// the first store error (after which the transaction is rolled back by the caller).
    private func insertRecords(of bytes: [UInt8], name: String, now: Int64, into result: inout FileResult) throws -> ParsedFile {
        var storeError: (any Error)?
        let parsed = try reader.read(bytes, fileName: name) { parsedRecord in
            guard storeError == nil else { return }
            do {
                try insert(parsedRecord, key: RecordKey.make(for: parsedRecord.record), document: Document(parsedRecord.record),
                           file: name, now: now, into: &result)
            } catch {
                storeError = error
            }
        }
        if let storeError { throw storeError }
        return parsed
    }

    /// After the commit: reason and reject files first, then the move, then fsync of every
    /// directory touched. A failure here only leaves a file in `new/`, to be retried as a no-op.
    func finish(_ results: [FileResult]) {
        var touchedQuarantine = false
        var touchedCur = false
        for result in results {
            do {
                for warning in result.warnings { log.warning("spool: \(result.name): \(warning)") }
                if let reason = result.quarantineReason {
                    let target = spool.freeName(for: result.name, in: .quarantine, companions: [".reason"])
                    try spool.writeAtomically(Array("\(result.name): \(reason)\n".utf8), name: target + ".reason", in: .quarantine)
                    try spool.move(result.name, from: .new, to: .quarantine, as: target)
                    touchedQuarantine = true
                    log.warning("spool: quarantined \(result.name): \(reason)")
                    continue
                }
                if !result.rejects.isEmpty {
                    let base = spool.freeName(for: result.name, in: .quarantine, companions: [".rejects.jsonl"])
                    try spool.writeAtomically(rejectLines(result.rejects), name: base + ".rejects.jsonl", in: .quarantine)
                    touchedQuarantine = true
                    log.warning("spool: \(result.name): \(result.rejects.count) record(s) rejected, see \(spool.path(.quarantine, base + ".rejects.jsonl")); first: \(result.rejects[0].rejection)")
                }
                if keepArchive {
                    try spool.move(result.name, from: .new, to: .cur)
                    touchedCur = true
                } else {
                    try spool.remove(result.name, in: .new)
                }
                log.debug("spool: \(result.name): \(result.stored) stored, \(result.duplicates) duplicate(s)")
            } catch {
                log.error("spool: \(result.name) is stored but could not be moved out of new/: \(error); it will be retried")
            }
        }
        // The store commit is durable; now make the renames durable before anyone relies on them.
        for (area, touched) in [(SpoolDirectory.Area.cur, touchedCur), (.quarantine, touchedQuarantine), (.new, true)] where touched {
            do { try spool.sync(area) } catch { log.error("spool: \(error)") }
        }
    }

    private func rejectLines(_ rejects: [RejectedRecord]) -> [UInt8] {
        var text = ""
        for reject in rejects {
            let line = reject.rejection.line.map(String.init) ?? "null"
            text += "{\"line\":\(line),\"reason\":\(JSONValue.quote(reject.rejection.description)),\"raw\":\(JSONValue.quote(reject.raw))}\n"
        }
        return Array(text.utf8)
    }
}
