import DialogCore
import DialogStore

/// `show`: one conversation with everything stored about it and the figures it is counted
/// under. args: `key` — the record key, the writer's id, or the numeric row id, tried in that
/// order. The employee and the source file follow `[privacy] employee_figures`.
struct ShowCommand: ControlCommand {
    static let role = Role.read

    private let key: String

    init(_ request: ShowRequest) {
        key = request.key
    }

    func run(_ context: any ControlContext, origin: RequestOrigin) throws(ControlError) -> CommandOutcome {
        let labeler = try employeeLabeler(context)
        let (key, language, currency) = (self.key, context.config.display.language, context.config.records.currency)
        // On the store-read worker: the writer's id has no index of its own.
        return .deferred(origin.reads.submit { store in
            try Self.detail(store, key: key, labeler: labeler, language: language, currency: currency)
        })
    }

    private static func detail(_ store: ConversationStore, key: String, labeler: EmployeeLabeler,
                               language: DisplayLanguage, currency: String) throws -> ConversationDetail {
        guard let item = try store.pricedConversation(keyOrID: key) else {
            throw ControlError.notFound("no conversation with key, id or row id \"\(key)\"")
        }
        let stored = item.stored, r = stored.record
        var detail = ConversationDetail(
            summary: ConversationSummary(item, labeler: labeler), externalId: r.id, customer: r.customer,
            satisfaction: r.satisfaction, sentiment: r.sentiment, responseTimeS: r.responseTimeSeconds, text: r.text,
            tags: r.tags, extras: r.extras.sorted { $0.key < $1.key }.map { ExtraField(name: $0.key, value: $0.value) },
            sourceFile: labeler.shownFileName(stored.sourceFile), sourceLine: stored.line, ingestedAt: stored.ingestedAt)
        detail.summary.attributedCents = try store.attributedCents(conversations: [stored.rowID])[stored.rowID]
        detail.language = language
        detail.employeeFigures = labeler.mode.rawValue
        detail.currency = currency
        return detail
    }
}
