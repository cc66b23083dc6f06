import DialogCore
import DialogStore

/// `labels`: how the conversations a `roi` query sums got their labels — logged, by a rule, by
/// the model, by review, or none — so a report can say what share the model decided.
/// args: the `roi` window and filters.
struct LabelsCommand: ControlCommand {
    static let name = "labels"
    static let role = Role.read
    /// Channel groups are a query-time sum of `roi`, not a filter of stored rows.
    static let argumentNames = RoiQueryArguments.names.subtracting(["channel_group"])

    private let query: RoiQuery

    init(_ arguments: CommandArguments) throws(ControlError) {
        query = try RoiQueryArguments.query(arguments)
    }

    func run(_ context: any ControlContext, origin: RequestOrigin) throws(ControlError) -> CommandOutcome {
        let (query, settings) = (self.query, try RoiReaderSettings(context))
        return .deferred(origin.reads.submit { store in
            let (window, filter, _) = try RoiQueryArguments.conversations(query, settings.reader(store))
            return LabelSourcesResult(window: window, counts: try store.labelSources(filter))
        })
    }
}
