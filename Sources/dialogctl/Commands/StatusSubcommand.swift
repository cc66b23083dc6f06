import DialogCore
import Foundation

struct StatusSubcommand: Subcommand {
    static let name = "status"
    static let abstract = "Show whether the daemon keeps up: backlog, records, rejects, last error, store size."
    static let usage = "dialogctl status [--json]"

    init(_ arguments: inout ArgumentCursor) throws(UsageError) { try arguments.expectEnd() }

    var request: ControlRequest { ControlRequest(command: "status") }

    func render(_ s: StatusResult) -> String {
        let backlog = s.backlog.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let pairs: [(String, String)] = [
            ("version", "\(s.version) (pid \(s.pid))"),
            ("uptime", Format.duration(s.uptimeSeconds)),
            ("spool", s.spoolDir),
            ("backlog", backlog + ", \(s.waiting) queued"),
            ("conversations", Format.count(s.conversations)),
            ("records", "\(Format.count(s.recordsStored)) stored, \(Format.count(s.recordsDuplicate)) duplicate, \(Format.count(s.recordsRejected)) rejected, \(Format.count(s.recordsConflicting)) conflicting, \(Format.count(s.recordsAmended)) amended\(s.recordsUpdated.map { ", \(Format.count($0)) updated" } ?? "")\(s.recordsOutdated.map { ", \(Format.count($0)) outdated" } ?? "") since start"),
            ("orders", "\(Format.count(s.ordersStored ?? 0)) stored, \(Format.count(s.orderDuplicates ?? 0)) duplicate, \(Format.count(s.ordersAmended ?? 0)) amended since start"),
            ("credit notes", "\(Format.count(s.creditNotesMismatched ?? 0)) naming another customer's order (unattributed), \(Format.count(s.creditNotesExceeding ?? 0)) exceeding their order, stored now (list --order)"),
            ("files", "\(Format.count(s.filesArchived)) ingested, \(Format.count(s.filesQuarantined)) quarantined since start"),
            ("batches", "\(Format.count(s.batches)), last \(s.lastBatchFiles) file(s) in \(s.lastBatchMs) ms"),
            ("ingest", s.ingestPaused ? "paused: a write failed; retrying with back-off (see last error)" : "running"),
            ("last error", s.lastError ?? "none"),
            ("database", "\(s.databasePath) (\(Format.bytes(s.databaseSizeBytes)))"),
            ("connections", "\(s.connections)"),
            ("roi figures", Self.roiFigures(s)),
        ]
        return Table.keyValue(pairs)
    }

    /// Current, or what is stale and that `recompute` makes it current: the valuation's rates
    /// and the order shares' `[attribution]` (the pyramid's `stale`) are separate causes.
    static func roiFigures(_ s: StatusResult) -> String {
        var stale: [String] = []
        if s.valuationStale { stale.append("built with other rates") }
        if s.attributionStale == true { stale.append("order shares " + AttributionConfig.staleWording) }
        return stale.isEmpty ? "current" : "stale: " + stale.joined(separator: "; ") + " (run dialogctl recompute)"
    }
}
