#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DialogCore

/// `status`: is the daemon healthy and keeping up? Counters since start, backlog, store size.
struct StatusCommand: ControlCommand {
    static let name = "status"
    static let role = Role.read
    static let argumentNames: Set<String> = []

    init(_ arguments: CommandArguments) throws(ControlError) {}

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
            valuationStale: try storeCall { try context.store.valuationIsStale(current: context.store.valuation) },
            ingestPaused: context.ingestPaused,
            recordsConflicting: s.recordsConflicting, recordsAmended: s.recordsAmended)
        var status = result
        (status.site, status.recordsUpdated, status.recordsOutdated) = (context.store.site, s.recordsUpdated, s.recordsOutdated)
        status.revision = try storeCall { try context.store.currentRevision() }
        return .result(status)
    }
}

/// Files in the spool areas where something is still to happen (cur/ is the archive, not backlog).
/// Listing a directory costs O(files) — under a flood, tens of thousands — so the counts are
/// kept for a second: monitoring that polls many times a second must not slow ingestion.
final class SpoolBacklog {
    static let maxAgeMilliseconds: Int64 = 1000
    private var cached: (counts: [String: Int], at: Int64)?

    func counts(_ spool: SpoolDirectory) -> [String: Int] {
        let now = Clock.monotonicMilliseconds()
        if let cached, now - cached.at < Self.maxAgeMilliseconds { return cached.counts }
        var counts: [String: Int] = [:]
        for area in [SpoolDirectory.Area.tmp, .new] {
            counts[area.rawValue] = (try? spool.names(in: area).count) ?? -1
        }
        // Names only: reading every reason file (as `quarantine` does) would cost a read each.
        counts[SpoolDirectory.Area.quarantine.rawValue] = (try? spool.names(in: .quarantine).filter { !$0.hasSuffix(QuarantineListing.reasonSuffix) }.count) ?? -1
        cached = (counts, now)
        return counts
    }
}

/// Runs a store call, turning its error into a `failed` reply.
func storeCall<T>(_ body: () throws -> T) throws(ControlError) -> T {
    do { return try body() } catch { throw .failed("store: \(error)") }
}
