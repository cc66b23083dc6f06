import DialogCore
import Foundation

/// `kpi`: the KPIs of docs/roi.md over a window and filters.
struct KpiSubcommand: Subcommand {
    static let name = "kpi"
    static let abstract = "Show the KPIs (resolution, satisfaction, conversion, cost per resolution, …) over a window."
    static let usage = "dialogctl kpi [--window <span> | --since <time> [--until <time>]] [--department <name>] [--channel <name>] [--channel-group <name>] [--employee <name>] [--outcome <name>] [--json]"
    static let options = RoiOptions.help

    private let options: RoiOptions

    init(_ arguments: inout ArgumentCursor) throws(UsageError) { options = try RoiOptions.parse(&arguments) }

    var request: ControlRequest { ControlRequest(command: "kpi", args: options.args) }

    func render(_ answer: InCurrency<KpiResult>) -> String {
        let n = Numbers(language: answer.language, currency: answer.currency)
        var text = "window: " + RoiFormat.window(answer.value.window) + "\n\n" + Self.pairs(answer.value.kpis, n)
        // Conversion per department, where a conversation names a customer (issue 14).
        let byDepartment = answer.value.customerConversionByDepartment ?? [:]
        if answer.value.kpis.customerConversion?.hasOrders == true, !byDepartment.isEmpty {
            var table = Table(["DEPARTMENT", "CUSTOMERS", "ORDERED", "CONVERSION"], rightAligned: [1, 2, 3])
            for (department, c) in byDepartment.sorted(by: { $0.key < $1.key }) {
                table.add([department, String(c.customers ?? 0), String(c.ordered ?? 0), n.percent(c.rate)])
            }
            text += "\n\ncustomer conversion by department\n" + table.render()
        }
        return text
    }

    /// The KPIs as aligned `label: value` lines (also the managers' level of `pyramid`).
    static func pairs(_ k: Kpis, _ n: Numbers) -> String {
        let money = { (cents: Int64) in n.money(cents) }
        let s = k.sentiment
        let satisfaction: String = k.satisfactionMean.map { mean in n.decimal(mean, places: 2) + " mean, " + n.percent(k.satisfactionShareHigh) + " 4+" } ?? "-"
        let voice = k.shareOfVoice.sorted { $0.key < $1.key }.map { "\($0.key) \(n.percent($0.value))" }
        return Table.keyValue([
            ("conversations", String(k.figures.conversations)),
            ("minutes", String(k.figures.minutes)),
            ("cost", money(k.figures.costCents)),
            ("value", money(k.figures.valueCents)),
            ("net", money(k.figures.netCents)),
            ("roi", n.percent(k.figures.roi)),
            ("resolution rate", n.percent(k.resolutionRate)),
            ("resolution time", k.resolutionTimeSeconds.map { Format.duration(Int64($0.rounded())) } ?? "-"),
            ("satisfaction", satisfaction),
            ("sentiment", "\(s.positive) positive, \(s.neutral) neutral, \(s.negative) negative"),
            ("share of voice", voice.isEmpty ? "-" : voice.joined(separator: ", ")),
            ("advocacy rate", n.percent(k.advocacyRate)),
            ("lead conversion", n.percent(k.leadConversion)),
            ("customer conversion", RoiFormat.conversion(k.customerConversion, n)),
            ("ideas", "\(k.ideas) worth \(money(k.ideaValueCents))"),
            ("cost/resolution", k.costPerResolutionCents.map(money) ?? "-"),
            ("deflection", PyramidSubcommand.deflection(k.deflectionSavingsCents, perResolution: k.costPerResolutionCents, money)
                + " (call-centre contact \(money(k.callCenterContactCostCents)))"),
        ])
    }
}
