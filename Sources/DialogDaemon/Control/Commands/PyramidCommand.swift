import DialogCore
import DialogSystem

/// `pyramid`: executive, managers and practitioners levels over a window and filters.
struct PyramidCommand: ControlCommand {
    static let name = "pyramid"
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
            InCurrency(try settings.reader(store).pyramid(query, now: Clock.wallSeconds()), currency: currency, language: language)
        })
    }
}
