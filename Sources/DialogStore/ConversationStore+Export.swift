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
        /// Only this site's records (`[site] id`).
        public var site: String?

        public init(since: Int64? = nil, until: Int64? = nil, department: String? = nil, outcome: String? = nil,
                    channel: String? = nil, employee: String? = nil, site: String? = nil) {
            self.since = since; self.until = until; self.department = department; self.outcome = outcome
            self.channel = channel; self.employee = employee; self.site = site
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
        for (column, value) in [("channel", filter.channel), ("employee", filter.employee), ("site", filter.site)] {
            if let value { clauses.append("\(column) = ?"); arguments.append(value) }
        }
        return (clauses, arguments)
    }

    /// Up to `limit` conversations with a row id above `after`, in row-id order: a stable
    /// cursor, so pages neither skip nor repeat rows while ingestion goes on.
    /// `bySite`: in site order first (`export --by site`), the cursor is then (site, row id).
    public func exportPage(_ filter: ExportFilter, after: Int64, afterSite: String? = nil, bySite: Bool = false,
                           limit: Int) throws -> [ExportedConversation] {
        var (clauses, arguments) = Self.conditions(filter)
        if bySite {
            clauses.insert("(site > ? OR (site = ? AND id > ?))", at: 0)
            arguments.insert(contentsOf: [afterSite ?? "", afterSite ?? "", after] as [(any SQLValue)?], at: 0)
        } else {
            clauses.insert("id > ?", at: 0)
            arguments.insert(after, at: 0)
        }
        arguments.append(limit)
        return try database.fetchAll(
            "SELECT \(Self.pricedSelectColumns) FROM conversations WHERE \(clauses.joined(separator: " AND "))"
                + " ORDER BY \(bySite ? "site, id" : "id") LIMIT ?",
            arguments: arguments, Self.decodePriced)
    }

    /// Up to `limit` conversations stored or changed after revision `afterRevision` — or, to
    /// continue a page, after row `afterRow` of that revision — in (revision, row id) order: an
    /// incremental export (`export --after`). A row changed while pages are read moves to a
    /// higher revision, so it comes again later, never gets lost.
    public func changesPage(_ filter: ExportFilter, afterRevision: Int64, afterRow: Int64? = nil, limit: Int) throws -> [ExportedConversation] {
        var (clauses, arguments) = Self.conditions(filter)
        clauses.insert("(revision > ? OR (revision = ? AND id > ?))", at: 0)
        arguments.insert(contentsOf: [afterRevision, afterRevision, afterRow ?? Int64.max] as [(any SQLValue)?], at: 0)
        arguments.append(limit)
        return try database.fetchAll(
            "SELECT \(Self.pricedSelectColumns) FROM conversations WHERE \(clauses.joined(separator: " AND ")) ORDER BY revision, id LIMIT ?",
            arguments: arguments, Self.decodePriced)
    }
}
