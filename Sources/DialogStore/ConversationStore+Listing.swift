/// Reads for the control socket: filtered recent conversations and lookups by rowid or external id.
extension ConversationStore {
    /// What `list` may filter on; `nil` means "any". Department and outcome are the ones a
    /// conversation is counted under (`unassigned`/`unclassified` for none), as in `roi`.
    public struct ListFilter: Sendable, Equatable {
        public var since: Int64?
        public var until: Int64?
        public var employee: String?
        public var channel: String?
        public var department: String?
        public var outcome: String?
        public var limit: Int

        public init(since: Int64? = nil, until: Int64? = nil, employee: String? = nil, channel: String? = nil,
                    department: String? = nil, outcome: String? = nil, limit: Int = 50) {
            self.since = since; self.until = until; self.employee = employee; self.channel = channel
            self.department = department; self.outcome = outcome; self.limit = limit
        }
    }

    /// The newest conversations matching `filter` (by date, then rowid), at most `filter.limit`.
    public func conversations(matching filter: ListFilter) throws -> [StoredConversation] {
        var (clauses, arguments) = Self.conditions(ExportFilter(
            since: filter.since, until: filter.until, department: filter.department, outcome: filter.outcome,
            channel: filter.channel, employee: filter.employee))
        let condition = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
        arguments.append(filter.limit)
        return try database.fetchAll(
            "SELECT \(Self.selectColumns) FROM conversations\(condition) ORDER BY date DESC, id DESC LIMIT ?",
            arguments: arguments, Self.decodeConversation)
    }

    public func conversation(rowID: Int64) throws -> StoredConversation? {
        try database.fetchOne("SELECT \(Self.selectColumns) FROM conversations WHERE id = ?", arguments: [rowID], Self.decodeConversation)
    }

    /// The newest conversation the writer gave this idempotency id.
    public func conversation(externalID: String) throws -> StoredConversation? {
        try database.fetchOne(
            "SELECT \(Self.selectColumns) FROM conversations WHERE external_id = ? ORDER BY id DESC LIMIT 1",
            arguments: [externalID], Self.decodeConversation)
    }
}
