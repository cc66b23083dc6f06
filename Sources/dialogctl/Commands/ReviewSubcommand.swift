import DialogCore
import Foundation

struct ReviewSubcommand: Subcommand {
    static let name = "review"
    static let abstract = "List conversations the model was unsure of, or whose logged label is in no vocabulary."
    static let usage = "dialogctl review [--limit <n>] [--json]"
    static let options = """
          --limit <n>             At most n rows, 1–1000. (default: 20)
                                  Correct one with 'dialogctl relabel <id> --department …'; a
                                  value in no vocabulary ("not a label: …") can also become an
                                  alias in the config, then 'dialogctl recompute'.
        """

    private var args: [String: ArgumentValue] = [:]

    init(_ arguments: inout ArgumentCursor) throws(UsageError) {
        while let token = arguments.next() {
            guard case .option("--limit", let inline) = token else { throw arguments.unexpected(token) }
            let text = try arguments.value(of: "--limit", inline: inline)
            args["limit"] = .integer(Int64(try ArgumentValues.integer(text, option: "--limit", in: 1...1000, cursor: arguments)))
        }
    }

    var request: ControlRequest { ControlRequest(command: "review", args: args) }

    static func cell(_ l: StoredLabel?, unmatched: String? = nil) -> String {
        if let unmatched { return "not a label: \"\(unmatched)\"" }
        guard let l else { return "-" }
        return "\(l.label ?? LabelDecision.unclassified) (\(l.source.rawValue) \(String(format: "%.2f", l.confidence)))"
    }

    func render(_ r: ReviewResult) -> String {
        guard !r.items.isEmpty else { return "nothing awaits review" }
        var table = Table(["ID", "CONFIDENCE", "DEPARTMENT", "OUTCOME", "SENTIMENT", "TEXT"], rightAligned: [0, 1])
        for i in r.items {
            var text = Format.clip(i.subject ?? i.text ?? "", 50)
            if let c = i.unmatchedChannel { text = "[channel not a label: \"\(c)\"] " + text }
            table.add([String(i.id), String(format: "%.2f", i.confidence), Self.cell(i.labels.department, unmatched: i.unmatchedDepartment),
                       Self.cell(i.labels.outcome, unmatched: i.unmatchedOutcome), Self.cell(i.labels.sentiment), text])
        }
        return table.render() + "\n\(r.pending) conversation(s) await review in all"
    }
}
