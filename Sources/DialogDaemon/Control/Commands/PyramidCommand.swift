import DialogCore
import DialogSystem

/// `pyramid`: executive, managers and practitioners levels over a window and filters;
/// `by` = `site` adds the executive figures per site (`value_by_site`, as `roi --by site`).
struct PyramidCommand: ControlCommand {
    static let role = Role.read

    private let query: RoiQuery
    private let bySite: Bool

    init(_ request: PyramidRequest) {
        (query, bySite) = (request.query, request.bySite)
    }

    func run(_ context: any ControlContext, origin: RequestOrigin) throws(ControlError) -> CommandOutcome {
        let (query, settings, bySite) = (self.query, try RoiReaderSettings(context), self.bySite)
        let (currency, language) = (context.config.records.currency, context.config.display.language)
        return .deferred(origin.reads.submit { store in
            let reader = settings.reader(store), now = Clock.wallSeconds()
            var pyramid = try reader.pyramid(query, now: now)
            if bySite {
                var sites = query
                sites.groupBy = .site
                let rows = try reader.roi(sites, now: now).rows
                pyramid.executive.valueBySite = pyramid.executive.orderRevenue?.rated(rows) ?? rows
            }
            return FilterNoted(InCurrency(pyramid, currency: currency, language: language), unmatched: try reader.unmatchedFilters(query))
        })
    }
}
