import DialogCore
import Foundation

/// `dialogctl ping`: exit 0 when the daemon answers, 69 when it cannot be reached — for
/// scripts that wait for dialogd to come up.
struct PingSubcommand: Subcommand {
    static let name = "ping"
    static let abstract = "Check that the daemon answers its socket."
    static let usage = "dialogctl ping [--json]"

    init(_ arguments: inout ArgumentCursor) throws(UsageError) { try arguments.expectEnd() }

    var request: ControlRequest { ControlRequest(command: "ping") }

    func render(_ result: PingResult) -> String { result.pong ? "pong" : "no pong" }
}
