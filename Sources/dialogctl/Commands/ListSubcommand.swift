import DialogCore
import Foundation

struct ListSubcommand: Subcommand {
    static let name = "list"
    static let abstract = "List recent conversations, newest first."
    static let usage = "dialogctl list [--since <time>] [--until <time>] [--employee <name>] [--channel <name>] [--department <name>] [--outcome <name>] [--site <name>] [--by site] [--customer <id>] [--thread <message-id>] [--limit <n>] [--json]\n       dialogctl list --order <number-or-key> [--limit <n>] [--json]"
    static let options = """
          --since <time>          Only conversations at or after this time: a date as in records
                                  (2026-11-01, 01.11.2026, 28.11.26 14:05, 2026-11-01T08:00:00Z; without
                                  an offset in [records] timezone), an age such as 14d, 36h, 2w, 30m,
                                  or Unix seconds.
          --until <time>          Only conversations before this time (same forms).
          --employee <name>       Only this employee (exact; needs [privacy] employee_figures = named).
          --channel <name>        Only this channel (email, phone, chat, …).
          --department <name>     Only conversations counted under this department (unassigned: none).
          --outcome <name>        Only conversations counted under this outcome (unclassified: none).
          --site <name>           Only the records of this site ([site] id).
          --by site               One site's rows together (sites by name, newest first within each),
                                  with a SITE column.
          --customer <id>         Only this customer, as stored: its pseudonym (cus-…), or under
                                  [privacy] customers = named the identity.
          --thread <message-id>   Only this e-mail thread: the Message-ID of its first message or of
                                  any message in it (without <>), as `show` or `list --json` give it.
          --order <number>        One order's split: the conversations it credited, each with THIS
                                  order's share in ATTRIBUTED (the rows add up to its amount); the
                                  order number (A-2) or its key (id:A-2, sha256:…). Takes only --limit.
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
            case "--employee", "--channel", "--department", "--outcome", "--customer", "--thread", "--order":
                args[String(name.dropFirst(2))] = .string(try arguments.value(of: name, inline: inline))
            case "--site":
                args["site"] = .string(try ArgumentValues.site(try arguments.value(of: name, inline: inline), option: name, cursor: arguments))
            case "--by":
                let value = try arguments.value(of: name, inline: inline)
                guard value.lowercased() == "site" else { throw arguments.error("--by '\(value)' must be site") }
                args["by"] = .string("site")
            case "--limit":
                let text = try arguments.value(of: name, inline: inline)
                args["limit"] = .integer(Int64(try ArgumentValues.integer(text, option: name, in: 1...1000, cursor: arguments)))
            default:
                throw arguments.unexpected(token)
            }
        }
        if args["order"] != nil, !Set(args.keys).subtracting(["order", "limit"]).isEmpty {
            throw arguments.error("--order lists one order's touches; it takes only --limit")
        }
        if ArgumentValues.ordered(args["since"], args["until"]) == false {
            throw arguments.error("--since must be before --until")
        }
    }

    var request: ControlRequest { ControlRequest(command: "list", args: args) }

    func render(_ list: ListResult) -> String {
        let n = Numbers(language: list.language, currency: list.currency)
        let heading = list.order.map { Self.heading($0, n) } ?? ""
        guard !list.conversations.isEmpty else { return heading + "no conversations match" }
        // With per-employee figures off every name is "hidden": no column then.
        let employees = list.employeeFigures != EmployeeFigures.off.rawValue
        var headers = ["ID", "DATE", "EMPLOYEE", "CHANNEL", "DEPARTMENT", "OUTCOME", "DURATION", "VALUE", "COST", "NET", "SUBJECT"]
        if !employees { headers.remove(at: 2) }
        // Rows of more than one site (a central daemon) say whose they are.
        let sites = Set(list.conversations.compactMap(\.site)).count > 1 || args["by"] != nil
        if sites { headers.append("SITE") }
        let shift = employees ? 0 : 1
        // Order revenue credited to the rows (issue 14): a column only when some row has any.
        let attributed = list.conversations.contains { $0.attributedCents != nil }
        if attributed { headers.insert("ATTRIBUTED", at: 10 - shift) }
        var table = Table(headers, rightAligned: Set([0] + [6, 7, 8, 9].map { $0 - shift } + (attributed ? [10 - shift] : [])))
        var marked = false
        for c in list.conversations {
            let money = { (cents: Int64?) in cents.map { n.money($0, currency: c.currency ?? list.currency) } ?? "-" }
            let department = CountedLabel.cell(counted: c.departmentCounted, written: c.department)
            let outcome = CountedLabel.cell(counted: c.outcomeCounted, written: c.outcome)
            marked = marked || department.hasSuffix("*") || outcome.hasSuffix("*")
            var row = [String(c.id), Format.date(c.date, offset: c.utcOffset), c.employee, c.channelCounted ?? c.channel, department, outcome,
                       (c.durationSCounted ?? c.durationS).map(Format.duration) ?? "-", money(c.valueCentsCounted ?? c.valueCents),
                       money(c.costCents), money(c.netCents), Format.clip(c.subject ?? "", 40)]
            if !employees { row.remove(at: 2) }
            if sites { row.append(c.site ?? "-") }
            if attributed { row.insert(money(c.attributedCents), at: 10 - shift) }
            table.add(row)
        }
        var text = heading + table.render()
        if marked { text += "\n" + CountedLabel.footnote }
        if list.truncated { text += "\n(more match; raise --limit or narrow the filters)" }
        return text
    }

    /// `--order`: which order, and that ATTRIBUTED is its share here, not a sum over orders.
    static func heading(_ o: ListedOrder, _ n: Numbers) -> String {
        "order \(o.id ?? o.key): \(n.money(o.amountCents, currency: o.currency)) on \(Format.date(o.date, offset: o.utcOffset)), "
            + (o.touches == 0 ? "no conversation before it (unattributed)\n"
                : "\(o.touches) conversation(s) credited; ATTRIBUTED is this order's share of each (they add up to its amount)\n")
            + creditLine(o, n)
    }

    /// A credit note's link as the store holds it now (docs/roi.md "Credit notes").
    static func creditLine(_ o: ListedOrder, _ n: Numbers) -> String {
        guard let credits = o.credits, let state = o.creditState else { return "" }
        let number = Escape.terminal(credits)
        switch state {
        case .otherCustomer: return "credits \(number): order of another customer — unattributed\n"
        case .notStored: return "credits \(number): not stored — unattributed\n"
        case .linked:
            return "credits \(number): its customer's order" + (o.exceedsByCents.map { ", exceeds its order by \(n.money($0, currency: o.currency))" } ?? "") + "\n"
        }
    }
}
