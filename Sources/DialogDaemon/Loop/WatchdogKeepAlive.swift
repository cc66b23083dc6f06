/// Sends `WATCHDOG=1` from inside a long batch (a large streamed file) while it makes progress,
/// at most once per watchdog interval: the loop is working, not hung, and without the pings the
/// watchdog would kill the daemon and the start-up scan would take the same file again.
final class WatchdogKeepAlive {
    private let notify: SdNotify
    private var lastPing: Int64 = 0

    init(notify: SdNotify) {
        self.notify = notify
    }

    /// Called as records are stored; cheap when no watchdog is configured.
    func progress() {
        guard let interval = notify.watchdogIntervalMilliseconds else { return }
        let now = Clock.monotonicMilliseconds()
        guard now - lastPing >= interval else { return }
        lastPing = now
        notify.send("WATCHDOG=1")
    }
}
