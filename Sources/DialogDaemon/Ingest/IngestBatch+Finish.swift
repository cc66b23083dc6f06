#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DialogCore
import DialogStore
import DialogSystem

/// After a batch's commit: its files leave `new/` — reason and reject files written, each file
/// renamed to `cur/` or `quarantine/`, the directories fsynced (docs/spool.md "exactly once").
extension IngestBatch {
    /// What `finish` achieved: files moved out of `new/`, and those still there after a failed write.
    struct Finished {
        var moved: [FileResult] = []
        /// Committed but still in `new/` (their reason or name in `quarantine/` already chosen):
        /// the daemon retries exactly these, with back-off, before it takes new files.
        var unfinished: [FileResult] = []
        /// The first failure: a move, a reason file, or an fsync (ENOSPC, EROFS, EIO, …).
        var error: SystemError?
    }

    /// After the commit: reason and reject files first, then the move, then fsync of every
    /// directory touched. A failure here leaves the file in `new/`; it is handed back to be
    /// finished again, not stored again.
    func finish(_ results: [FileResult]) -> Finished {
        var finished = Finished()
        var touchedQuarantine = false
        var touchedCur = false
        for var result in results {
            do throws(SystemError) {
                if try place(&result, touchedQuarantine: &touchedQuarantine, touchedCur: &touchedCur) {
                    finished.moved.append(result)
                }
            } catch {
                if error.errno == ENOENT, !spool.exists(result.name, in: .new) {
                    // Someone took it out of new/ (its records are committed): nothing left to do.
                    log.warning("spool: \(result.storedName) left new/ before it could be moved: \(error)")
                    result.leftInPlace = true
                    finished.moved.append(result)
                    continue
                }
                log.error("spool: \(result.storedName) is stored but could not be moved out of new/: \(error)")
                finished.unfinished.append(result)
                if finished.error == nil { finished.error = error }
            }
        }
        // The store commit is durable; now make the renames durable before anyone relies on them.
        for (area, touched) in [(SpoolDirectory.Area.cur, touchedCur), (.quarantine, touchedQuarantine), (.new, true)] where touched {
            do throws(SystemError) { try spool.sync(area) } catch {
                log.error("spool: \(error)")
                if finished.error == nil { finished.error = error }
            }
        }
        return finished
    }

    /// Writes one file's reason or rejects, then moves it. The names chosen in `quarantine/`
    /// are kept in `result`, so a retry overwrites its own reason file instead of adding one.
    /// A name written after a forgotten customer is placed and logged blanked (`FileResult.storedName`).
    private func place(_ result: inout FileResult, touchedQuarantine: inout Bool, touchedCur: inout Bool) throws(SystemError) -> Bool {
        let shown = result.storedName
        for warning in result.warnings { log.warning("spool: \(shown): \(warning)") }
        result.warnings = []
        // Said once, also when the move is retried: the amends' audit and the repeated order rows.
        if !result.amendedOrderNotes.isEmpty {
            for note in result.amendedOrderNotes { log.notice("spool: \(shown): \(note)") }
            if result.ordersAmended > result.amendedOrderNotes.count {
                log.notice("spool: \(shown): \(result.ordersAmended - result.amendedOrderNotes.count) more order(s) amended (the file is in cur/ while archive_days keeps it)")
            }
            result.amendedOrderNotes = []
        }
        if let repeated = result.repeatedOrdersWarning { log.warning("spool: \(shown): \(repeated)") }
        for warning in result.creditNoteWarnings { log.warning("spool: \(shown): \(warning)") }
        let unsaid = result.creditNotesMismatched + result.creditNotesExceeding - result.creditNoteWarnings.count
        if !result.creditNoteWarnings.isEmpty, unsaid > 0 { log.warning("spool: \(shown): \(unsaid) more credit note warning(s) not listed") }
        result.creditNoteWarnings = []
        result.firstRepeatedOrder = nil
        // A writer renamed another file over the name while this one was read: that file was
        // never read, so it stays in new/ for its own turn (moving it would archive it unread).
        if let read = result.identity, case let now = spool.identity(of: result.name, in: .new), now != read {
            if now == nil {
                log.warning("spool: \(shown) left new/ while being read (its dropper took it back); what was read is stored")
            } else {
                log.warning("spool: \(shown) was replaced in new/ while being read; what was read is stored, the new file stays in new/ and is read next")
            }
            result.leftInPlace = true
            return true
        }
        if let reason = result.keptReason {
            let text = Array(ReasonLine.format(name: shown, reason: reason).utf8)
            let target = result.placedAs ?? spool.quarantineName(for: shown, companion: ".reason", content: text)
            result.placedAs = target
            try spool.writeAtomically(text, name: target + ".reason", in: .quarantine)
            try spool.move(result.name, from: .new, to: .quarantine, as: target)
            touchedQuarantine = true
            log.warning("spool: quarantined \(shown): \(reason)")
            return true
        }
        if !result.rejects.isEmpty {
            let lines = rejectLines(result.rejects)
            let base = result.placedAs ?? spool.quarantineName(for: shown, companion: ".rejects.jsonl", content: lines)
            result.placedAs = base
            try spool.writeAtomically(lines, name: base + ".rejects.jsonl", in: .quarantine)
            touchedQuarantine = true
            log.warning("spool: \(shown): \(result.rejects.count) record(s) rejected, see \(spool.path(.quarantine, base + ".rejects.jsonl")); first: \(result.keptText(result.rejects[0].rejection.description))")
        }
        if keepArchive {
            result.archivedAs = try spool.move(result.name, from: .new, to: .cur, naming: shown)
            touchedCur = true
        } else {
            try spool.remove(result.name, in: .new)
        }
        log.debug("spool: \(shown): \(result.stored) stored, \(result.duplicates) duplicate(s)\(FileResult.orderCounts([result]))")
        return true
    }

    /// One JSON line per kept reject; when more were counted than kept, one last line says how many.
    private func rejectLines(_ rejects: RejectList) -> [UInt8] {
        var text = ""
        for reject in rejects {
            let line = reject.rejection.line.map(String.init) ?? "null"
            text += "{\"line\":\(line),\"reason\":\(JSONValue.quote(reject.rejection.description)),\"raw\":\(JSONValue.quote(reject.raw))}\n"
        }
        if rejects.omitted > 0 {
            let reason = "\(rejects.omitted) more rejected record(s) not listed; only the first \(RejectList.keptLimit) are"
            text += "{\"line\":null,\"omitted\":\(rejects.omitted),\"reason\":\(JSONValue.quote(reason))}\n"
        }
        return Array(text.utf8)
    }
}
