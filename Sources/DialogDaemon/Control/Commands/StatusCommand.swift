#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DialogCore

/// `status`: is the daemon healthy and keeping up? Counters since start, backlog, store size.
struct StatusCommand: ControlCommand {
    static let role = Role.read

    init(_ request: StatusRequest) {}

    func run(_ context: any ControlContext, origin: RequestOrigin) throws(ControlError) -> CommandOutcome {
        let s = context.statistics
        let result = StatusResult(
            version: DialogVersion.current, pid: getpid(), uptimeSeconds: context.uptimeSeconds,
            spoolDir: context.config.spool.dir, backlog: origin.backlog.counts(context.spool), waiting: context.waitingFiles,
            conversations: try storeCall { try context.store.conversationCount() },
            recordsStored: s.recordsStored, recordsDuplicate: s.recordsDuplicate, recordsRejected: s.recordsRejected,
            filesArchived: s.filesArchived, filesQuarantined: s.filesQuarantined, batches: s.batches,
            lastBatchFiles: s.lastBatchFiles, lastBatchMs: s.lastBatchMilliseconds, lastError: s.lastError,
            databasePath: context.store.path, databaseSizeBytes: try storeCall { try context.store.databaseSizeBytes },
            connections: origin.connections,
            valuationStale: try storeCall { try context.store.valuationIsStale() },
            ingestPaused: context.ingestPaused,
            recordsConflicting: s.recordsConflicting, recordsAmended: s.recordsAmended)
        var status = result
        (status.site, status.recordsUpdated, status.recordsOutdated) = (context.store.site, s.recordsUpdated, s.recordsOutdated)
        status.revision = try storeCall { try context.store.currentRevision() }
        (status.ordersStored, status.orderDuplicates, status.ordersAmended) = (s.ordersStored, s.orderDuplicates, s.ordersAmended)
        // From the store, not since start: what is true now (docs/roi.md "Credit notes").
        (status.creditNotesMismatched, status.creditNotesExceeding) = try storeCall { try context.store.creditNoteCounts() }
        status.attributionStale = try storeCall { try context.store.attributionIsStale() }
        return .result(status)
    }
}
