import DialogCore
import DialogSystem

/// The daemon as the control commands see it.
extension Daemon: ControlContext {
    var waitingFiles: Int { ingest.waitingCount }
    var ingestPaused: Bool { ingest.pause.isPaused }
    var storeWritesWait: Bool { ingest.holdsOpenTransaction }
    var uptimeSeconds: Int64 { (Clock.monotonicMilliseconds() - startedAt) / 1000 }
    func reloadConfiguration() -> String? { reload() }
    func enqueue(_ name: String) { ingest.enqueue(name) }
}
