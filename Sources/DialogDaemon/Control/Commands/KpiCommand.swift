import DialogCore
import DialogSystem

/// `kpi`: the KPIs of docs/roi.md over a window and filters.
struct KpiCommand: ControlCommand {
    static let role = Role.read

    private let query: RoiQuery

    init(_ request: KpiRequest) {
        query = request.query
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
