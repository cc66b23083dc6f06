import DialogCore
import DialogSystem

/// The daemon as the control commands see it.
extension Daemon: ControlContext {
    var waitingFiles: Int { pending.count }
    var ingestPaused: Bool { pause.isPaused }
    var uptimeSeconds: Int64 { (Clock.monotonicMilliseconds() - startedAt) / 1000 }
    func reloadConfiguration() -> String? { reload() }
    func enqueue(_ name: String) { pending.add(name) }
}
