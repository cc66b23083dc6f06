import DialogCore
import Foundation

struct RelabelSubcommand: Subcommand {
    static let name = "relabel"
    static let abstract = "Set a conversation's department, outcome or sentiment by hand; the model learns from it (admin)."
    static let usage = "dialogctl relabel <id> [--department <name>] [--outcome <name>] [--sentiment positive|neutral|negative] [--json]"
    static let options = """
          <id>                    The row id from 'list' or 'review'.
          --department <name>     The right department.
          --outcome <name>        The right outcome.
          --sentiment <value>     positive, neutral or negative.
                                  Record, ROI figures and model change in one transaction.
        """

    private var args: [String: ArgumentValue] = [:]

    init(_ arguments: inout ArgumentCursor) throws(UsageError) {
        while let token = arguments.next() {
            switch token {
            case .positional(let value):
                guard args["id"] == nil else { throw arguments.unexpected(token) }
                guard let id = Int64(value), id > 0 else { throw arguments.error("<id> '\(value)' must be a row id (a positive number)") }
                args["id"] = .integer(id)
            case .option(let name, let inline) where ["--department", "--outcome", "--sentiment"].contains(name):
                let value = try arguments.value(of: name, inline: inline).lowercased()
                if name == "--sentiment", !["positive", "neutral", "negative"].contains(value) {
                    throw arguments.error("--sentiment '\(value)' must be positive, neutral or negative")
                }
                guard !value.isEmpty else { throw arguments.error("\(name) needs a label") }
                args[String(name.dropFirst(2))] = .string(value)
            default:
                throw arguments.unexpected(token)
            }
        }
        guard args["id"] != nil else { throw arguments.error("missing argument <id>") }
        guard args.count > 1 else { throw arguments.error("give at least one of --department, --outcome, --sentiment") }
    }

    var request: ControlRequest { ControlRequest(command: "relabel", args: args) }

    func render(_ r: RelabelResult) -> String {
        return "conversation \(r.id): department \(ReviewSubcommand.cell(r.labels.department)), outcome \(ReviewSubcommand.cell(r.labels.outcome)), sentiment \(ReviewSubcommand.cell(r.labels.sentiment))"
    }
}
