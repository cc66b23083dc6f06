import DialogCore
import Foundation

struct ReloadSubcommand: Subcommand {
    static let name = "reload"
    static let abstract = "Re-read the configuration, as SIGHUP does (admin)."
    static let usage = "dialogctl reload [--json]"

    init(_ arguments: inout ArgumentCursor) throws(UsageError) { try arguments.expectEnd() }

    var request: ControlRequest { ControlRequest(command: "reload") }

    func render(_ result: ReloadResult) -> String { "configuration reloaded" }
}
