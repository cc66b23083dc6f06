import DialogCore
import Foundation

struct ListSubcommand: Subcommand {
    static let name = "list"
    static let abstract = "List recent conversations, newest first."
    static let usage = "dialogctl list [--since <time>] [--until <time>] [--employee <name>] [--channel <name>] [--department <name>] [--outcome <name>] [--limit <n>] [--json]"
    static let options = """
          --since <time>          Only conversations at or after this time: a date as in records
                                  (2026-11-01, 01.11.2026, 28.11.26 14:05, 2026-11-01T08:00:00Z; without
                                  an offset in [records] timezone), an age such as 14d, 36h, 2w, 30m,
                                  or Unix seconds.
          --until <time>          Only conversations before this time (same forms).
          --employee <name>       Only this employee (exact).
          --channel <name>        Only this channel (email, phone, chat, …).
          --department <name>     Only this department.
          --outcome <name>        Only this outcome.
          --limit <n>             At most n rows, 1–1000. (default: 50)
        """

    private var args: [String: ArgumentValue] = [:]

    init(_ arguments: inout ArgumentCursor) throws(UsageError) {
        let now = Int64(Date().timeIntervalSince1970)
        while let token = arguments.next() {
            guard case .option(let name, let inline) = token else { throw arguments.unexpected(token) }
            switch name {
            case "--since", "--until":
                let text = try arguments.value(of: name, inline: inline)
                args[String(name.dropFirst(2))] = try ArgumentValues.time(text, option: name, now: now, cursor: arguments)
            case "--employee", "--channel", "--department", "--outcome":
                args[String(name.dropFirst(2))] = .string(try arguments.value(of: name, inline: inline))
            case "--limit":
                let text = try arguments.value(of: name, inline: inline)
                args["limit"] = .integer(Int64(try ArgumentValues.integer(text, option: name, in: 1...1000, cursor: arguments)))
            default:
                throw arguments.unexpected(token)
            }
        }
        if ArgumentValues.ordered(args["since"], args["until"]) == false {
            throw arguments.error("--since must be before --until")
        }
    }

    var request: ControlRequest { ControlRequest(command: "list", args: args) }

    func render(_ result: Data) throws -> String {
        let list = try decode(ListResult.self, result)
        guard !list.conversations.isEmpty else { return "no conversations match" }
        let n = Numbers(language: list.language, currency: nil)
        var table = Table(["ID", "DATE", "EMPLOYEE", "CHANNEL", "DEPARTMENT", "OUTCOME", "DURATION", "VALUE", "SUBJECT"],
                          rightAligned: [0, 6, 7])
        for c in list.conversations {
            table.add([String(c.id), Format.date(c.date, offset: c.utcOffset), c.employee, c.channel, c.department ?? "-",
                       c.outcome ?? "-", c.durationS.map(Format.duration) ?? "-",
                       c.valueCents.map { n.money($0, currency: c.currency) } ?? "-", Format.clip(c.subject ?? "", 40)])
        }
        var text = table.render()
        if list.truncated { text += "\n(more match; raise --limit or narrow the filters)" }
        return text
    }
}
