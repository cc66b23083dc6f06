import DialogCore
import DialogSystem

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
        counts[SpoolDirectory.Area.quarantine.rawValue] = (try? QuarantineListing.files(spool.names(in: .quarantine)).count) ?? -1
        cached = (counts, now)
        return counts
    }
}
