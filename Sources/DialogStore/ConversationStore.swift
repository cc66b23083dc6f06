import DialogCore

/// STUB — the store helper replaces this with the real SQLite-backed store.
public final class ConversationStore {
    public init(path: String) throws {}
    public func transaction<T>(_ body: () throws -> T) throws -> T { try body() }
    public func insert(_ record: ConversationRecord, key: String, sourceFile: String, line: Int, ingestedAt: Int64) throws -> Bool { true }
    public func conversationCount() throws -> Int { 0 }
}
extension ConversationStore {
    public func recordFileOutcome(name: String, bytes: Int, stored: Int, duplicates: Int, rejected: Int, disposition: String, reason: String?, at: Int64) throws {}
}
