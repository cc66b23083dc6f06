import DialogCore
import DialogStore

/// `labels`: how the conversations a `roi` query sums got their labels — logged, by a rule, by
/// the model, by review, or none — so a report can say what share the model decided.
/// args: the `roi` window and filters.
struct LabelsCommand: ControlCommand {
    static let role = Role.read

    private let query: RoiQuery

    init(_ request: LabelsRequest) {
        query = request.query
    }

    func run(_ context: any ControlContext, origin: RequestOrigin) throws(ControlError) -> CommandOutcome {
        let (query, settings) = (self.query, try RoiReaderSettings(context))
        return .deferred(origin.reads.submit { store in
            let (window, filter, _) = try RoiQueryArguments.conversations(query, settings.reader(store))
            return LabelSourcesResult(window: window, counts: try store.labelSources(filter))
        })
    }
}
