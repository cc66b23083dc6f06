import DialogCore
import DialogSystem

/// `roi`: value, cost, net and ROI over a window (docs/protocol.md), optionally grouped `by`
/// department, outcome, channel, employee, day, week or month, with the previous window's total.
struct RoiCommand: ControlCommand {
    static let role = Role.read

    private let query: RoiQuery

    init(_ request: RoiRequest) {
        query = request.query
    }

    func run(_ context: any ControlContext, origin: RequestOrigin) throws(ControlError) -> CommandOutcome {
        let (query, settings) = (self.query, try RoiReaderSettings(context))
        let (currency, language) = (context.config.records.currency, context.config.display.language)
        return .deferred(origin.reads.submit { store in
            let reader = settings.reader(store)
            return FilterNoted(InCurrency(try reader.roi(query, now: Clock.wallSeconds()), currency: currency, language: language),
                               unmatched: try reader.unmatchedFilters(query))
        })
    }
}
