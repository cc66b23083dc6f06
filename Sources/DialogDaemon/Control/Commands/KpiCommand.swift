import DialogCore
import DialogSystem

/// `kpi`: the KPIs of docs/roi.md over a window and filters.
struct KpiCommand: ControlCommand {
    static let name = "kpi"
    static let role = Role.read
    static let argumentNames = RoiQueryArguments.names

    private var query: RoiQuery

    init(_ arguments: CommandArguments) throws(ControlError) {
        query = try RoiQueryArguments.query(arguments)
    }

    func run(_ context: any ControlContext, origin: RequestOrigin) throws(ControlError) -> CommandOutcome {
        let (query, settings) = (self.query, try RoiReaderSettings(context))
        let (currency, language) = (context.config.records.currency, context.config.display.language)
        return .deferred(origin.reads.submit { store in
            let reader = settings.reader(store)
            return FilterNoted(InCurrency(try reader.kpiResult(query, now: Clock.wallSeconds()), currency: currency, language: language),
                               unmatched: try reader.unmatchedFilters(query))
        })
    }
}
