import DialogCore
import Foundation

struct CheckSubcommand: Subcommand {
    static let name = "check"
    static let abstract = "Run SQLite's integrity_check on the store."
    static let usage = "dialogctl check [--json]"

    init(_ arguments: inout ArgumentCursor) throws(UsageError) { try arguments.expectEnd() }

    var request: ControlRequest { ControlRequest(command: "check") }
    var replyTimeoutSeconds: Int { 3600 }

    func render(_ c: CheckResult) -> String {
        return c.healthy ? "integrity_check: ok" : "integrity_check found problems:\n\(c.integrity)"
    }
}
