import DialogSystem
/// Sends `WATCHDOG=1` at most once per watchdog interval: from the loop, and from inside a long
/// batch (a large streamed file) while it makes progress — the loop is working, not hung, and
/// without the pings the watchdog would kill the daemon and the start-up scan would take the
/// same file again.
final class WatchdogKeepAlive {
    private let notify: SdNotify
    private var lastPing: Int64 = 0

    init(notify: SdNotify) {
        self.notify = notify
    }

    /// When the next ping is due (monotonic ms), for the loop's poll timeout; nil without a watchdog.
    var nextDue: Int64? {
        notify.watchdogIntervalMilliseconds.map { lastPing + $0 }
    }

    /// Pings when due; called by the loop and as records are stored. Cheap without a watchdog.
    func progress() {
        guard let interval = notify.watchdogIntervalMilliseconds else { return }
        let now = Clock.monotonicMilliseconds()
        guard now - lastPing >= interval else { return }
        lastPing = now
        notify.send("WATCHDOG=1")
    }
}
