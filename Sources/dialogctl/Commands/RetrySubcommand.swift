import DialogCore
import Foundation

struct RetrySubcommand: Subcommand {
    static let name = "retry"
    static let abstract = "Move a quarantined file back into new/ for another try (admin)."
    static let usage = "dialogctl retry <name> [--json]"
    static let options = """
          <name>                  The file's name as `dialogctl quarantine` shows it.
        """

    private let file: String

    init(_ arguments: inout ArgumentCursor) throws(UsageError) {
        file = try arguments.single("name")
        if file.contains("/") { throw arguments.error("<name> is a file name in quarantine/, not a path") }
    }

    var request: ControlRequest { ControlRequest(command: "retry", args: ["name": .string(file)]) }

    func render(_ r: RetryResult) -> String {
        return "\(r.name) queued again as new/\(r.queuedAs)"
    }
}
