import DialogCore
import Foundation

/// `pyramid`: the one-page ROI pyramid, as three titled sections.
struct PyramidSubcommand: Subcommand {
    static let name = "pyramid"
    static let abstract = "Show the ROI pyramid: executive figures, department KPIs, practitioners' activity."
    static let usage = "dialogctl pyramid [--window <span> | --since <time> [--until <time>]] [--department <name>] [--channel <name>] [--channel-group <name>] [--employee <name>] [--outcome <name>] [--site <name>] [--by site] [--json]"
    static let options = RoiOptions.help + "\n" + """
          --by site               Also the executive figures per site (a central daemon, README
                                  "Many sites").
        """

    private var options: RoiOptions

    init(_ arguments: inout ArgumentCursor) throws(UsageError) {
        var bySite = false
        options = try RoiOptions.parse(&arguments) { name, inline, cursor throws(UsageError) in
            guard name == "--by" else { return false }
            let value = try cursor.value(of: name, inline: inline)
            guard value.lowercased() == "site" else { throw cursor.error("--by '\(value)' must be site") }
            bySite = true
            return true
        }
        if bySite { options.set("by", .string("site")) }
    }

    var request: ControlRequest { ControlRequest(command: "pyramid", args: options.args) }

    func render(_ answer: InCurrency<Pyramid>) -> String {
        let p = answer.value, n = Numbers(language: answer.language, currency: answer.currency)
        let money = { (cents: Int64) in n.money(cents) }
        let e = p.executive
        var text = "window: " + RoiFormat.window(p.window) + "\n\n"

        text += "EXECUTIVE\n"
        text += Table.keyValue([
            ("value", money(e.figures.valueCents)),
            ("cost", money(e.figures.costCents)),
            ("net", money(e.figures.netCents)),
            ("roi", n.percent(e.figures.roi)),
            ("previous value", money(e.previous.valueCents) + " (net \(money(e.previous.netCents)))"),
            ("value trend", n.signedPercent(e.valueTrend)),
            ("deflection", Self.deflection(e.deflectionSavingsCents, perResolution: e.costPerResolutionCents, money)),
        ] + RoiFormat.orderRevenueLines(e.orderRevenue, loggedRoi: e.figures.roi, window: p.window, n)) + "\n"
        // Attributed revenue and its ROI beside each row's logged figures, once orders exist.
        let revenue = e.orderRevenue?.hasOrders == true
        func table(_ title: String, _ rows: [RoiRow]) -> String {
            var table = Table([title] + RoiFormat.figureHeaders + (revenue ? ["ATTRIBUTED", "ROI ON REVENUE"] : []),
                              rightAligned: Set(1...(revenue ? 8 : 6)))
            for row in rows {
                let f = row.figures
                table.add([row.key] + RoiFormat.figureCells(f, n) + (revenue ? [f.attributedCents.map(money) ?? "-", n.percent(f.attributedRoi)] : []))
            }
            return "\n" + table.render() + "\n"
        }
        if !e.valueByDepartment.isEmpty { text += table("DEPARTMENT", e.valueByDepartment) }
        if let sites = e.valueBySite { text += table("SITE", sites) }

        text += "\nMANAGERS\n"
        if p.managers.isEmpty { text += "no conversations in the window\n" } else {
            var table = Table(["DEPARTMENT", "CONVERSATIONS", "VALUE", "NET", "ROI", "RESOLVED", "SATISFACTION", "LEAD CONVERSION", "COST/RESOLUTION"],
                              rightAligned: Set(1...8))
            for m in p.managers {
                let k = m.kpis
                table.add([m.department, String(k.figures.conversations), money(k.figures.valueCents), money(k.figures.netCents),
                           n.percent(k.figures.roi), n.percent(k.resolutionRate),
                           k.satisfactionMean.map { n.decimal($0, places: 2) } ?? "-", n.percent(k.leadConversion),
                           k.costPerResolutionCents.map(money) ?? "-"])
            }
            text += table.render() + "\n"
            text += "LEAD CONVERSION = won / (won + lost) conversations; open leads are not in it\n"
        }

        let pr = p.practitioners
        text += "\nPRACTITIONERS\n"
        let voice = pr.shareOfVoice.sorted { $0.key < $1.key }.map { "\($0.key) \(n.percent($0.value))" }
        text += Table.keyValue([
            ("employee figures", pr.employeeFigures),
            ("sentiment", "\(pr.sentiment.positive) positive, \(pr.sentiment.neutral) neutral, \(pr.sentiment.negative) negative"),
            ("share of voice", voice.isEmpty ? "-" : voice.joined(separator: ", ")),
            ("awaiting review", String(pr.awaitingReview)),
        ])
        if !pr.activity.isEmpty {
            var table = Table(["EMPLOYEE", "CHANNEL", "CONVERSATIONS", "MINUTES"], rightAligned: [2, 3])
            for a in pr.activity { table.add([a.employee, a.channel, String(a.conversations), String(a.minutes)]) }
            text += "\n\n" + table.render()
        }
        return text
    }

    /// Savings against the call centre; when negative, why (no service department answered
    /// cheaper per resolution than a call-centre contact), without a bare negative "saving".
    static func deflection(_ saved: Int64?, perResolution: Int64?, _ money: (Int64) -> String) -> String {
        guard let saved else { return "- (no service conversations)" }
        if saved >= 0 { return money(saved) + " saved" }
        // The shortfall is a total over all resolutions, not a per-resolution gap: say so.
        return "none: " + (perResolution.map { money($0) + " per resolution, more than a call-centre contact; " } ?? "")
            + money(-saved) + " more in all"
    }
}
