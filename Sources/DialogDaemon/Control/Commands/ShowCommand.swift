import DialogCore
import DialogStore

/// `show`: one conversation with everything stored about it and the figures it is counted
/// under. args: `key` — the record key, the writer's id, or the numeric row id, tried in that
/// order. The employee and the source file follow `[privacy] employee_figures`.
struct ShowCommand: ControlCommand {
    static let name = "show"
    static let role = Role.read
    static let argumentNames: Set<String> = ["key"]

    private let key: String

    init(_ arguments: CommandArguments) throws(ControlError) {
        key = try arguments.requiredString("key")
    }

    func run(_ context: any ControlContext, origin: RequestOrigin) throws(ControlError) -> CommandOutcome {
        let labeler = try employeeLabeler(context)
        let found = try storeCall { try context.store.pricedConversation(keyOrID: key) }
        guard let item = found else { throw .notFound("no conversation with key, id or row id \"\(key)\"") }
        let stored = item.stored, r = stored.record
        var detail = ConversationDetail(
            summary: ConversationSummary(item, labeler: labeler), externalId: r.id, customer: r.customer,
            satisfaction: r.satisfaction, sentiment: r.sentiment, responseTimeS: r.responseTimeSeconds, text: r.text,
            tags: r.tags, extras: r.extras.sorted { $0.key < $1.key }.map { ExtraField(name: $0.key, value: $0.value) },
            sourceFile: labeler.shownFileName(stored.sourceFile), sourceLine: stored.line, ingestedAt: stored.ingestedAt)
        detail.language = context.config.display.language
        detail.employeeFigures = labeler.mode.rawValue
        detail.currency = context.config.records.currency
        return .result(detail)
    }
}
