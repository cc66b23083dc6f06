import DialogCore

/// `kpi`: the KPIs of DESIGN §5 over a window and filters (docs/roi.md).
struct KpiCommand: ControlCommand {
    static let name = "kpi"
    static let role = Role.read
    static let argumentNames = RoiQueryArguments.names

    private var query: RoiQuery

    init(_ arguments: CommandArguments) throws(ControlError) {
        query = try RoiQueryArguments.query(arguments)
    }

    func run(_ context: any ControlContext, origin: RequestOrigin) throws(ControlError) -> CommandOutcome {
        let query = self.query
        let now = Clock.wallSeconds()
        let (window, kpis) = try roiCall(context) { reader in
            (try reader.hours(of: query, now: now).current, try reader.kpis(query, now: now))
        }
        return .result(InCurrency(KpiResult(window: TimeSpan(hours: window), kpis: kpis), currency: context.config.records.currency, language: context.config.display.language))
    }
}
