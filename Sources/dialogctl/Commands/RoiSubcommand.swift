import DialogCore
import Foundation

/// `roi`: value, cost, net and ROI per group over a window, with the previous window and the trend.
struct RoiSubcommand: Subcommand {
    static let name = "roi"
    static let abstract = "Show value, cost, net and ROI over a window, optionally per group, with the trend."
    static let usage = "dialogctl roi [--window <span> | --since <time> [--until <time>]] [--by <group>] [--department <name>] [--channel <name>] [--channel-group <name>] [--employee <name>] [--outcome <name>] [--site <name>] [--json]"
    static let groupings = RoiQuery.Grouping.allCases.map(\.rawValue)
    static let options = RoiOptions.help + "\n" + """
          --by <group>            One row per \(groupings.joined(separator: ", ")).
                                  (default: no rows, only the total)
        """

    private var options: RoiOptions

    init(_ arguments: inout ArgumentCursor) throws(UsageError) {
        var by: String?
        options = try RoiOptions.parse(&arguments) { (name, inline, cursor) throws(UsageError) -> Bool in
            guard name == "--by" else { return false }
            let value = try cursor.value(of: name, inline: inline)
            guard Self.groupings.contains(value.lowercased()) else {
                throw cursor.error("--by '\(value)' must be one of \(Self.groupings.joined(separator: ", "))")
            }
            by = value.lowercased()
            return true
        }
        if let by { options.set("by", .string(by)) }
    }

    var request: ControlRequest { ControlRequest(command: "roi", args: options.args) }

    func render(_ answer: InCurrency<RoiReport>) -> String {
        let r = answer.value, n = Numbers(language: answer.language, currency: answer.currency)
        // Order revenue gets a column only where there is any (docs/roi.md "Orders and attribution").
        let attributed = (r.total.orders ?? 0) > 0 || (r.total.attributedCents ?? 0) != 0
        func cells(_ f: RoiFigures) -> [String] {
            RoiFormat.figureCells(f, n) + (attributed ? [f.attributedCents.map(n.money) ?? "–"] : [])
        }
        var table = Table(["KEY"] + RoiFormat.figureHeaders + (attributed ? ["ATTRIBUTED"] : []), rightAligned: Set(1...(attributed ? 7 : 6)))
        for row in r.rows { table.add([row.key] + cells(row.figures)) }
        table.add(["total"] + cells(r.total))
        if let previous = r.previous { table.add(["previous"] + cells(previous)) }
        var lines = ["window:   " + RoiFormat.window(r.window)]
        if let span = r.previousWindow { lines.append("previous: " + RoiFormat.window(span)) }
        lines.append("")
        lines.append(table.render())
        if let orders = r.total.orders, let cents = r.total.ordersCents, let unattributed = r.total.unattributedCents, orders > 0 {
            lines.append("")
            lines.append("orders: \(orders) dated in the window, \(n.money(cents)); \(n.money(unattributed)) of it had no conversation before it (unattributed)")
        }
        if let previous = r.previous {
            lines.append("")
            lines.append("trend: value \(n.signedPercent(RoiFormat.trend(r.total.valueCents, previous.valueCents))), "
                         + "net \(n.signedPercent(RoiFormat.trend(r.total.netCents, previous.netCents))), "
                         + "conversations \(n.signedPercent(RoiFormat.trend(r.total.conversations, previous.conversations))) "
                         + "vs the previous window")
        }
        return lines.joined(separator: "\n")
    }
}
