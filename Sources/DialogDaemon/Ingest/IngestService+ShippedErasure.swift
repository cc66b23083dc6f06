import DialogCore
import DialogSystem

extension IngestService {
    /// A central follows a site's `forget` (docs/spool.md "Many sites"): once a batch that
    /// replaced shipped copies by revisions that erased them is in `cur/`, the older revisions'
    /// lines leave the increments kept there and the rows refused in `quarantine/` (read record
    /// by record, as `forget` reads them; a file with nothing else left is deleted), and the WAL,
    /// which still holds the old pages, is emptied. Without this the site's erasure would stop at the central's store.
    func eraseShippedLines(_ erasure: ShippedErasure) {
        guard !erasure.isEmpty else { return }
        let started = Clock.monotonicMilliseconds()
        let reader = RecordReader(settings: config.parseSettings(now: Clock.wallSeconds()))
        var records = RecordErasure(reader: reader, mentions: nil, isOwn: { _ in false })
        records.shippedErasure = erasure
        // `quarantine/` too: a line the central refused (a bad cell) is kept in a rejects file, or
        // in a quarantined increment, as well as in `cur/`.
        let files = SpoolErasure(spool: spool, log: log, records: records)
        let outcome = files.apply(files.plan(sources: []))
        log.notice("spool: \(erasure.below.count) shipped record(s) erased at their site: "
            + (outcome.notes.isEmpty ? "no older copy in cur/ or quarantine/" : "older copies removed: " + outcome.notes.joined(separator: "; "))
            + " (cur/ and quarantine/ searched in \(Clock.monotonicMilliseconds() - started) ms)")
        // The replaced rows' old pages are in the WAL until a checkpoint; a slice of a large
        // file in progress checkpoints at its end.
        guard !holdsOpenTransaction else { return }
        do {
            if try !store.checkpointAfterLargeTransaction() { checkpointRetryAt = Clock.monotonicMilliseconds() + 1000 }
        } catch {
            log.warning("store: cannot empty the WAL after a site's erasure (old page images stay in it until the next checkpoint): \(error)")
        }
    }
}
