import DialogCore

extension ConversationStore {
    /// A stored conversation with the figures it is counted under (`nil` while unpriced: a
    /// database from before the ROI engine, until `recompute`).
    public struct ExportedConversation: Sendable, Equatable {
        public var stored: StoredConversation
        public var priced: PricedConversation?
    }

    /// What one export page selects: a date range `[since, until)` and the ROI filters, in the
    /// terms ROI queries use (counted department/outcome; `unassigned`/`unclassified` for none),
    /// so an export adds up to the `roi` figures of the same window and filters.
    public struct ExportFilter: Sendable, Equatable {
        public var since: Int64?
        public var until: Int64?
        public var department: String?
        public var outcome: String?
        public var channel: String?
        public var employee: String?

        public init(since: Int64? = nil, until: Int64? = nil, department: String? = nil, outcome: String? = nil,
                    channel: String? = nil, employee: String? = nil) {
            self.since = since; self.until = until; self.department = department; self.outcome = outcome
            self.channel = channel; self.employee = employee
        }
    }

    /// `filter` as SQL conditions and their arguments; `list` uses the same, so a listing, an
    /// export and a `roi` figure with the same filters count the same conversations.
    static func conditions(_ filter: ExportFilter) -> (clauses: [String], arguments: [(any SQLValue)?]) {
        var clauses: [String] = []
        var arguments: [(any SQLValue)?] = []
        if let since = filter.since { clauses.append("date >= ?"); arguments.append(since) }
        if let until = filter.until { clauses.append("date < ?"); arguments.append(until) }
        for (column, value, none) in [("department_final", filter.department, "unassigned"), ("outcome_final", filter.outcome, "unclassified")] {
            guard let value else { continue }
            if value == none { clauses.append("\(column) IS NULL") } else { clauses.append("\(column) = ?"); arguments.append(value) }
        }
        for (column, value) in [("channel", filter.channel), ("employee", filter.employee)] {
            if let value { clauses.append("\(column) = ?"); arguments.append(value) }
        }
        return (clauses, arguments)
    }

    /// Up to `limit` conversations with a row id above `after`, in row-id order: a stable
    /// cursor, so pages neither skip nor repeat rows while ingestion goes on.
    public func exportPage(_ filter: ExportFilter, after: Int64, limit: Int) throws -> [ExportedConversation] {
        var (clauses, arguments) = Self.conditions(filter)
        clauses.insert("id > ?", at: 0)
        arguments.insert(after, at: 0)
        arguments.append(limit)
        return try database.fetchAll(
            "SELECT \(Self.pricedSelectColumns) FROM conversations WHERE \(clauses.joined(separator: " AND ")) ORDER BY id LIMIT ?",
            arguments: arguments, Self.decodePriced)
    }
}
