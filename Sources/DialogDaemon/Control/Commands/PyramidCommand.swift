import DialogCore

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
        let query = self.query
        let pyramid = try roiCall(context) { try $0.pyramid(query, now: Clock.wallSeconds()) }
        return .result(InCurrency(pyramid, currency: context.config.records.currency, language: context.config.display.language))
    }
}
