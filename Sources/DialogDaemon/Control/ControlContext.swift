import DialogCore
import DialogStore

/// What commands may see and do in the daemon. The daemon implements it (Daemon+Control.swift);
/// everything runs on the loop thread, between batches.
protocol ControlContext: AnyObject {
    var config: DialogConfig { get }
    var store: ConversationStore { get }
    var spool: SpoolDirectory { get }
    var statistics: IngestStatistics { get }
    /// The classifier (`classify`, `relabel`).
    var labeler: RecordLabeler { get }
    var log: Logger { get }
    /// Files queued for the next batch.
    var waitingFiles: Int { get }
    var uptimeSeconds: Int64 { get }
    /// A write failed and ingestion waits for its retry (`statistics.lastError` says why).
    var ingestPaused: Bool { get }
    /// A large file's transaction is open on the store (`StreamedFileIngest`): commands that
    /// write wait for its end, so their writes neither join it nor roll back with it.
    var storeWritesWait: Bool { get }
    /// Re-reads the configuration as SIGHUP does; the error message when it was refused.
    func reloadConfiguration() -> String?
    /// Queues a file that was put into `new/` by a command.
    func enqueue(_ name: String)
}

/// Who sent a request and what the server knows at that moment.
struct RequestOrigin {
    var peer: PeerCredentials
    var role: Role
    var connections: Int
    /// The server's cache of spool counts, shared by `status` and `metrics`.
    var backlog: SpoolBacklog
    /// The worker that answers reads whose cost grows with the store, off the loop.
    var reads: PeerReads
}
