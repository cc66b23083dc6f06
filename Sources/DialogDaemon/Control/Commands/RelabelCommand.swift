import DialogCore
import DialogStore

/// `relabel` (admin): a person sets department, outcome and/or sentiment of one conversation.
/// Record, aggregates and model change in one transaction. args: `id` (row id), and at least
/// one of `department`, `outcome`, `sentiment`.
struct RelabelCommand: ControlCommand {
    static let role = Role.admin

    private let id: Int64
    private let changes: [Dimension: String]

    init(_ request: RelabelRequest) {
        (id, changes) = (request.id, request.changes)
    }

    func run(_ context: any ControlContext, origin: RequestOrigin) throws(ControlError) -> CommandOutcome {
        let changes = try Self.inVocabulary(changes, LabelVocabulary(context.config.valuation))
        let labeler = context.labeler
        let store = context.store
        // A copy another site shipped carries that site's labels; the site's next revision would
        // undo a relabel here, and its labels teach this classifier nothing (docs/spool.md).
        if let stored = try storeCall({ try store.conversation(rowID: id) }), stored.siteRevision != nil {
            throw .badArgument("conversation \(id) is a copy site \(stored.site) shipped; relabel it at \(stored.site), whose next increment replaces this copy")
        }
        guard let labels = try storeCall({ try labeler.relabel(store, rowID: id, to: changes) }) else {
            throw .notFound("no conversation with row id \(id)")
        }
        context.log.info("relabel: conversation \(id) set to " + changes.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue)=\($0.value)" }.joined(separator: ", "))
        return .result(RelabelResult(id: id, labels: labels))
    }

    /// Department and outcome through the vocabulary (issue 18): an alias names its label; a
    /// name outside it is refused, since counting under it would start a new category.
    static func inVocabulary(_ changes: [Dimension: String], _ vocabulary: LabelVocabulary) throws(ControlError) -> [Dimension: String] {
        var mapped = changes
        for (dimension, kind) in [(Dimension.department, LabelVocabulary.Kind.department), (.outcome, .outcome)] {
            guard let name = changes[dimension] else { continue }
            guard let label = vocabulary.resolve(name, kind) else {
                throw .badArgument("\(dimension.rawValue) \"\(name)\" is not configured; one of "
                                   + (vocabulary.names[kind] ?? []).joined(separator: ", ") + " (or an alias of one)")
            }
            mapped[dimension] = label
        }
        return mapped
    }
}
