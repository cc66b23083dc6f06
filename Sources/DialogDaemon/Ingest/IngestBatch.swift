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

    /// Stores `names` in one transaction and returns what became of each. Throws only when the
    /// store fails; then nothing was committed and every file is still in `new/`.
    /// Stops taking further files at `deadline` (monotonic ms); returns how many names it took.
    func store(_ names: ArraySlice<String>, now: Int64, deadline: Int64) throws -> (results: [FileResult], taken: Int) {
        var results: [FileResult] = []
        results.reserveCapacity(names.count)
        var taken = 0
        try store.transaction {
            for name in names {
                if taken > 0, Clock.monotonicMilliseconds() >= deadline { break }
                taken += 1
                guard let result = try ingest(name, now: now) else { continue }
                try store.recordFileOutcome(
                    name: name, bytes: Int64(result.bytes), stored: result.stored, duplicates: result.duplicates,
                    rejected: result.rejects.count,
                    disposition: result.quarantineReason == nil ? .archived : .quarantined,
                    reason: result.quarantineReason, at: now
                )
                results.append(result)
            }
        }
        return (results, taken)
    }

    /// Reads, parses and inserts one file; `nil` when the file vanished before we got to it.
    private func ingest(_ name: String, now: Int64) throws -> FileResult? {
        let bytes: [UInt8]
        switch SpoolFileReader.read(name, in: spool, maxBytes: maxFileBytes) {
        case .vanished:
            return nil
        case .refused(let reason):
            return FileResult(name: name, bytes: 0, quarantineReason: reason)
        case .bytes(let content, _):
            bytes = content
        }
        guard RecordFormat(fileName: name) != nil else {
            return FileResult(
                name: name, bytes: bytes.count,
                quarantineReason: "has no known extension; expected .conv, .txt, .json, .jsonl or .csv"
            )
        }
        let parsed: ParsedFile
        do {
            parsed = try reader.read(bytes, fileName: name)
        } catch {
            return FileResult(name: name, bytes: bytes.count, quarantineReason: error.description)
        }
        var result = FileResult(name: name, bytes: bytes.count, rejects: parsed.rejects, warnings: parsed.warnings)
        for parsedRecord in parsed.records {
            let key = RecordKey.make(for: parsedRecord.record)
            if try store.insert(parsedRecord.record, key: key, sourceFile: name, line: parsedRecord.line, ingestedAt: now) {
                result.stored += 1
            } else {
                result.duplicates += 1
            }
        }
        return result
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
                    let target = spool.freeName(for: result.name, in: .cur)
                    try spool.move(result.name, from: .new, to: .cur, as: target)
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
