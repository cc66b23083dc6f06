/// Why ingestion is paused and when it tries again. A failed write (disk full, read-only file
/// system, I/O error) stops the daemon taking files until a retry succeeds; retries back off
/// from 1 s, doubling to 60 s, so a full disk costs a log line a minute, not a busy loop.
struct IngestPause {
    /// What failed, for `status`, the log and `STATUS=`; nil while ingestion runs.
    private(set) var reason: String?
    private(set) var delayMilliseconds: Int64 = 0
    /// Monotonic ms before which no retry is made.
    private(set) var until: Int64 = 0

    var isPaused: Bool { reason != nil }

    /// Records a failure and schedules the next try.
    mutating func failed(_ reason: String, now: Int64) {
        delayMilliseconds = min(max(delayMilliseconds * 2, 1000), 60_000)
        until = now + delayMilliseconds
        self.reason = reason
    }

    /// Ends the pause; returns what it was about (nil when there was none), for the log.
    mutating func succeeded() -> String? {
        defer {
            reason = nil
            delayMilliseconds = 0
            until = 0
        }
        return reason
    }
}
