import DialogCore
import Foundation

struct RecomputeSubcommand: Subcommand {
    static let name = "recompute"
    static let abstract = "Re-price every stored conversation with the current rates and rebuild the ROI figures (admin)."
    static let usage = "dialogctl recompute [--json]"
    static let options = """
          (none)                  One transaction on the daemon's loop; ingestion waits until it is done.
        """

    init(_ arguments: inout ArgumentCursor) throws(UsageError) { try arguments.expectEnd() }

    var request: ControlRequest { ControlRequest(command: "recompute") }
    var replyTimeoutSeconds: Int { 3600 }

    func render(_ r: RecomputeResult) -> String {
        return "recomputed \(r.conversations) conversation(s) in \(r.milliseconds) ms" + (r.valuationStale ? " (figures still stale)" : "")
    }
}
