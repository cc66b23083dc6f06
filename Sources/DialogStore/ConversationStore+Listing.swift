import DialogCore

/// Reads for the control socket: filtered recent conversations and lookups by rowid or external
/// id, each with the figures it is counted under (what `list` and `show` display).
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
        public var site: String?
        /// Rows of one site together (sites in name order), newest first within each (`list --by site`).
        public var bySite = false
        /// The customer as stored (its pseudonym under `[privacy] customers = pseudonymous`).
        public var customer: String?
        /// One e-mail thread: rows whose extra `thread` is this, or is the thread of the message
        /// whose id this is (so any message's id of a thread lists the whole thread).
        public var thread: String?
        public var limit: Int

        public init(since: Int64? = nil, until: Int64? = nil, employee: String? = nil, channel: String? = nil,
                    department: String? = nil, outcome: String? = nil, site: String? = nil, bySite: Bool = false, limit: Int = 50) {
            self.since = since; self.until = until; self.employee = employee; self.channel = channel
            self.department = department; self.outcome = outcome; self.site = site; self.bySite = bySite; self.limit = limit
        }
    }

    /// The newest conversations matching `filter` (by date, then rowid), at most `filter.limit`.
    public func conversations(matching filter: ListFilter) throws -> [ExportedConversation] {
        var (clauses, arguments) = Self.conditions(ExportFilter(
            since: filter.since, until: filter.until, department: filter.department, outcome: filter.outcome,
            channel: filter.channel, employee: filter.employee, site: filter.site))
        if let customer = filter.customer {
            clauses.append("customer = ?")
            arguments.append(customer)
        }
        if let thread = filter.thread {
            clauses.append("json_extract(extras, '$.thread') = coalesce((SELECT json_extract(extras, '$.thread') FROM conversations"
                           + " WHERE external_id = ? AND json_extract(extras, '$.thread') IS NOT NULL ORDER BY id DESC LIMIT 1), ?)")
            arguments.append(thread)
            arguments.append(thread)
        }
        let condition = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
        arguments.append(filter.limit)
        return try database.fetchAll(
            "SELECT \(Self.pricedSelectColumns) FROM conversations\(condition) ORDER BY \(filter.bySite ? "site, " : "")date DESC, id DESC LIMIT ?",
            arguments: arguments, Self.decodePriced)
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

    /// One conversation with its counted figures, by record key, the writer's id or the row id
    /// (tried in that order, as `show` documents).
    public func pricedConversation(keyOrID text: String) throws -> ExportedConversation? {
        let select = "SELECT \(Self.pricedSelectColumns) FROM conversations WHERE "
        if let byKey = try database.fetchOne(select + Schema.conversationKeyMatch("?1", probe: "?2"), arguments: Schema.keyArguments(text), Self.decodePriced) { return byKey }
        if let byID = try database.fetchOne(select + "external_id = ? ORDER BY id DESC LIMIT 1", arguments: [text], Self.decodePriced) {
            return byID
        }
        guard let rowID = Int64(text) else { return nil }
        return try database.fetchOne(select + "id = ?", arguments: [rowID], Self.decodePriced)
    }

    /// `selectColumns`, then the priced ones (`decodePriced` reads them after the others, so a
    /// column added to `selectColumns` shifts nothing).
    static let pricedSelectColumns = selectColumns + ", department_final, outcome_final, duration_s_effective, cost_cents, value_cents_effective"

    /// Decodes a row of `pricedSelectColumns`; unpriced (a row from before the ROI engine) has nil figures.
    static func decodePriced(_ row: Row) throws -> ExportedConversation {
        let first = selectColumns.split(separator: ",").count
        let stored = try decodeConversation(row)
        let priced: PricedConversation? = row.isNull(first + 3) ? nil : PricedConversation(
            department: row[first], outcome: row[first + 1], durationSeconds: row[first + 2],
            costCents: row[first + 3], valueCents: row[first + 4])
        return ExportedConversation(stored: stored, priced: priced)
    }
}
