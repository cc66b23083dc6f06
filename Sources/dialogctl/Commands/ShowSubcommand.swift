import DialogCore
import Foundation

struct ShowSubcommand: Subcommand {
    static let name = "show"
    static let abstract = "Show one conversation with everything stored about it."
    static let usage = "dialogctl show <key-or-id> [--json]"
    static let options = """
          <key-or-id>             The record key, the writer's id, or the row id from `list`.
        """

    private let key: String

    init(_ arguments: inout ArgumentCursor) throws(UsageError) { key = try arguments.single("key-or-id") }

    var request: ControlRequest { ControlRequest(command: "show", args: ["key": .string(key)]) }

    func render(_ d: ConversationDetail) -> String {
        let c = d.summary, n = Numbers(language: d.language, currency: c.currency ?? d.currency)
        let money = { (cents: Int64?) in cents.map(n.money) ?? "-" }
        var value = money(c.valueCentsCounted ?? c.valueCents)
        if c.valueCentsCounted != nil, let written = c.valueCents, written != c.valueCentsCounted { value += " (written: \(n.money(written)))" }
        if c.valueCentsCounted != nil, c.valueCents == nil { value += " (none written: the outcome's value)" }
        var duration = (c.durationSCounted ?? c.durationS).map(Format.duration) ?? "-"
        if c.durationSCounted != nil, c.durationS == nil { duration += " (default)" }
        var pairs: [(String, String)] = [
            ("id", String(c.id)), ("key", c.key), ("date", Format.date(c.date, offset: c.utcOffset)),
            ("employee", c.employee), ("channel", CountedLabel.line(counted: c.channelCounted, written: c.rawChannel ?? c.channel, label: nil)),
            ("department", CountedLabel.line(counted: c.departmentCounted, written: c.rawDepartment ?? c.department, label: c.labels?.department)),
            ("outcome", CountedLabel.line(counted: c.outcomeCounted, written: c.rawOutcome ?? c.outcome, label: c.labels?.outcome)),
            ("duration", duration), ("value", value), ("cost", money(c.costCents)), ("net", money(c.netCents)),
        ]
        // Revenue from orders credited to it, summed over all its orders (as `list`'s ATTRIBUTED).
        if let attributed = c.attributedCents { pairs.append(("attributed", n.money(attributed) + " from orders (all its orders, any date)")) }
        let optional: [(String, String?)] = [
            ("writer id", d.externalId), ("customer", d.customer), ("satisfaction", d.satisfaction.map { "\($0)/5" }),
            ("sentiment", d.sentiment), ("response time", d.responseTimeS.map(Format.duration)), ("subject", c.subject),
            ("tags", d.tags.isEmpty ? nil : d.tags.joined(separator: ", ")),
        ]
        for (label, value) in optional { if let value { pairs.append((label, value)) } }
        for extra in d.extras { pairs.append((extra.name, extra.value)) }
        let file = d.sourceFile.isEmpty ? "line \(d.sourceLine) of its file (name withheld)" : "\(d.sourceFile):\(d.sourceLine)"
        pairs.append(("source", "\(file), ingested \(Format.date(d.ingestedAt, offset: 0))"))
        var text = Table.keyValue(pairs)
        if let body = d.text, !body.isEmpty { text += "\n\n" + body }
        return text
    }
}
