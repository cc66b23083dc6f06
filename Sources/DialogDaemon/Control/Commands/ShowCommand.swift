import DialogCore
import DialogStore

/// `show`: one conversation with everything stored about it. args: `key` — the record key,
/// the writer's id, or the numeric row id, tried in that order.
struct ShowCommand: ControlCommand {
    static let name = "show"
    static let role = Role.read
    static let argumentNames: Set<String> = ["key"]

    private let key: String

    init(_ arguments: CommandArguments) throws(ControlError) {
        key = try arguments.requiredString("key")
    }

    func run(_ context: any ControlContext, origin: RequestOrigin) throws(ControlError) -> CommandOutcome {
        let (key, language) = (self.key, context.config.display.language)
        // On the store-read worker: the writer's id has no index of its own.
        return .deferred(origin.reads.submit { store in try Self.detail(store, key: key, language: language) })
    }

    private static func detail(_ store: ConversationStore, key: String, language: DisplayLanguage) throws -> ConversationDetail {
        let found: StoredConversation? = try {
            if let byKey = try store.conversation(key: key) { return byKey }
            if let byID = try store.conversation(externalID: key) { return byID }
            if let rowID = Int64(key) { return try store.conversation(rowID: rowID) }
            return nil
        }()
        guard let stored = found else { throw ControlError.notFound("no conversation with key, id or row id \"\(key)\"") }
        let r = stored.record
        var detail = ConversationDetail(
            summary: ConversationSummary(stored: stored), externalId: r.id, customer: r.customer,
            satisfaction: r.satisfaction, sentiment: r.sentiment, responseTimeS: r.responseTimeSeconds, text: r.text,
            tags: r.tags, extras: r.extras.sorted { $0.key < $1.key }.map { ExtraField(name: $0.key, value: $0.value) },
            sourceFile: stored.sourceFile, sourceLine: stored.line, ingestedAt: stored.ingestedAt)
        detail.language = language
        return detail
    }
}
