import DialogCore
import Foundation

struct ClassifySubcommand: Subcommand {
    static let name = "classify"
    static let abstract = "Classify a text with the daemon's rules and model: labels, confidences, deciding tokens."
    static let usage = "dialogctl classify <text> [--subject <text>] [--satisfaction <1-5>] [--json]"
    static let options = """
          <text>                  The conversation text ('-' reads it from standard input).
          --subject <text>        A subject line, classified with the text.
          --satisfaction <1-5>    A satisfaction rating; it informs the sentiment.
        """

    private var args: [String: ArgumentValue] = [:]

    init(_ arguments: inout ArgumentCursor) throws(UsageError) {
        var text: String?
        while let token = arguments.next() {
            switch token {
            case .positional(let value):
                guard text == nil else { throw arguments.unexpected(token) }
                text = value
            case .option("--subject", let inline):
                args["subject"] = .string(try arguments.value(of: "--subject", inline: inline))
            case .option("--satisfaction", let inline):
                let value = try arguments.value(of: "--satisfaction", inline: inline)
                args["satisfaction"] = .integer(Int64(try ArgumentValues.integer(value, option: "--satisfaction", in: 1...5, cursor: arguments)))
            default:
                throw arguments.unexpected(token)
            }
        }
        guard var text else { throw arguments.error("missing argument <text>") }
        if text == "-" { text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw arguments.error("the text is empty") }
        guard text.utf8.count <= 60_000 else { throw arguments.error("the text is longer than 60,000 bytes (requests are at most 64 KiB)") }
        args["text"] = .string(text)
    }

    var request: ControlRequest { ControlRequest(command: "classify", args: args) }

    func render(_ r: ClassifyResult) -> String {
        var table = Table(["DIMENSION", "LABEL", "CONFIDENCE", "SOURCE", "DECIDING TOKENS"], rightAligned: [2])
        for (name, d) in [("department", r.department), ("outcome", r.outcome), ("sentiment", r.sentiment)] {
            table.add([name, d.label, String(format: "%.2f", d.confidence), d.source.rawValue, d.tokens.joined(separator: ", ")])
        }
        return table.render()
    }
}
