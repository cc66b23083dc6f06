import DialogCore
import DialogSystem

extension IngestService {
    /// Lists `new/` into the queue. A periodic scan leaves files written in the last second
    /// for a follow-up: one written straight into `new/` may still be open (its IN_CLOSE_WRITE
    /// will name it anyway).
    func scan(settling: Bool) {
        // Files of a committed batch still being moved are in new/ yet: not new work.
        completeFinishing()
        let names: [String]
        do {
            let listing = try spool.listing(in: .new)
            names = listing.names
            for raw in listing.undecodable {
                let target = try spool.quarantineUndecodable(raw, reason: "the file name is not valid UTF-8; name files in UTF-8")
                countQuarantinedByScan()
                log.warning("spool: quarantined a file whose name is not UTF-8 as \(target)")
            }
        } catch {
            log.error("spool: cannot list new/: \(error)")
            return
        }
        let now = Clock.wallSeconds()
        var taken: [String] = []
        for name in names {
            if settling, spool.modifiedWithin(1, name: name, in: .new, now: now) {
                settleAgain(at: Clock.monotonicMilliseconds() + 1100)
                continue
            }
            // A large file waiting for a stream place has its turn already: no batch meets it again.
            if largeWaiting.contains(name) { continue }
            taken.append(name)
        }
        enqueue(listed: taken)
    }

    /// The janitor (docs/spool.md): stale temp files and expired originals go.
    func sweep() {
        let janitor = SpoolJanitor(tmpMaxAgeHours: config.spool.tmpMaxAgeHours, archiveDays: config.spool.archiveDays)
        let removed = janitor.sweep(spool, now: Clock.wallSeconds(), log: log)
        if removed.tmp + removed.cur > 0 {
            log.info("spool: removed \(removed.tmp) stale file(s) from tmp/ and \(removed.cur) expired original(s) from cur/")
        }
        removeOldTexts()
        removeStaleStreamProgress()
    }

    /// Progress rows of large files whose file left `new/` (or was replaced) while no run was
    /// storing it: at start and with every sweep (`StreamProgress.removeStale`).
    func removeStaleStreamProgress() {
        // Not into a large file's open transaction: the next sweep does it.
        guard !holdsOpenTransaction else { return }
        do {
            let removed = try StreamProgress.removeStale(from: store, spool: spool)
            if let first = removed.first {
                log.info("spool: removed the progress of \(removed.count) large file(s) no longer in new/ as they were (first: \(first))")
            }
        } catch {
            log.warning("spool: cannot remove the progress of large files no longer in new/ (tried again in an hour): \(error)")
        }
    }

    /// `[privacy] text_days`: subject and text of older conversations go, the figures stay.
    func removeOldTexts() {
        // Not into a large file's open transaction: the next sweep (or reload) does it.
        guard config.privacy.textDays > 0, !holdsOpenTransaction else { return }
        let before = Clock.wallSeconds() - Int64(config.privacy.textDays) * 86_400
        do {
            let removed = try store.removeTexts(before: before)
            if removed > 0 { log.notice("privacy: removed subject and text of \(removed) conversation(s) older than \(config.privacy.textDays) days ([privacy] text_days)") }
        } catch {
            log.error("privacy: texts older than \(config.privacy.textDays) days not removed (retried in an hour): \(error)")
        }
    }
}
