import DialogSystem

extension IngestService {
    /// Empties the WAL a large file's transaction grew to its own size, on a turn of its own
    /// after the commit, so `status` waits for one of the two at most. A reader on the worker
    /// holds it for a moment at most: tried again a second later, a few times. Failing that (or
    /// on an error, which is not the store failing) SQLite's next checkpoint and
    /// `journal_size_limit` shrink the WAL when files come.
    func checkpointAfterLargeFile() {
        let started = Clock.monotonicMilliseconds()
        checkpointRetryAt = nil
        // Its records' pages leave the cache too, as after a large whole file (issue 12).
        defer { IngestBatch.releaseMemory(of: store) }
        do {
            if try store.checkpointAfterLargeTransaction() {
                checkpointRetries = 0
                log.debug("store: WAL checkpointed and emptied after a large file in \(Clock.monotonicMilliseconds() - started) ms")
            } else if checkpointRetries < 5 {
                checkpointRetries += 1
                checkpointRetryAt = Clock.monotonicMilliseconds() + 1000
            } else {
                checkpointRetries = 0
                log.info("store: a reader kept the WAL from being emptied after a large file; it shrinks at the next checkpoint")
            }
        } catch {
            checkpointRetries = 0
            log.warning("store: cannot checkpoint the WAL after a large file (it shrinks at the next checkpoint): \(error)")
        }
    }
}
