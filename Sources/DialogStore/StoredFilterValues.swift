import DialogCore

/// Whether a filter's value is stored at all — in any window, not merely the one asked — read
/// from the weekly aggregates: their rows grow with weeks × labels × sites, never with the
/// conversations, so the check is an index range of one dimension, not a scan of the store
/// (`FilterNoteTests` checks the plans). Values are in table terms (after the vocabulary; the
/// empty string, `unassigned`/`unclassified`, is always known).
public struct StoredFilterValues {
    let database: Database

    public init(_ database: Database) { self.database = database }

    /// Where a filter's values are kept: the table, its `dim` (dimension tables) and the column.
    static func source(of filter: String) -> (table: String, dim: String?, column: String)? {
        switch filter {
        case "department": ("roi_weekly_dim", "department", "a")
        case "outcome": ("roi_weekly_dim", "department/outcome", "b")
        case "channel": ("roi_weekly_dim", "department/channel", "b")
        case "site": ("roi_weekly_dim", "department", "site")
        case "employee": ("roi_weekly_activity", nil, "employee")
        default: nil
        }
    }

    /// The SQL that finds one conversation with `column = ?` (the dimension bound first).
    static func existsSQL(_ filter: String) -> String? {
        guard let (table, dim, column) = source(of: filter) else { return nil }
        return "SELECT 1 FROM \(table) WHERE \(dim == nil ? "" : "dim = ? AND ")\(column) = ? AND conversations > 0 LIMIT 1"
    }

    /// The SQL that lists the stored values of `filter`, sorted, one more than shown.
    static func knownSQL(_ filter: String) -> String? {
        guard let (table, dim, column) = source(of: filter) else { return nil }
        return "SELECT DISTINCT \(column) FROM \(table) WHERE \(dim == nil ? "" : "dim = ? AND ")\(column) != '' AND conversations > 0 ORDER BY 1"
    }

    /// The filters among `filters` (name, value) whose value no stored conversation has.
    public func unmatched(_ filters: [(name: String, value: String?)]) throws -> [UnmatchedFilter] {
        var found: [UnmatchedFilter] = []
        for (name, value) in filters {
            guard let value, !value.isEmpty, let exists = Self.existsSQL(name), let known = Self.knownSQL(name),
                  let (_, dim, _) = Self.source(of: name) else { continue }
            let bound: [(any SQLValue)?] = dim.map { [$0] } ?? []
            guard try database.fetchOne(exists, arguments: bound + [value], { _ in true }) == nil else { continue }
            let values = try database.fetchAll(known, arguments: bound) { $0[0] as String }
            found.append(UnmatchedFilter(filter: name, value: value, known: Array(values.prefix(UnmatchedFilter.maxKnown)),
                                         moreKnown: max(0, values.count - UnmatchedFilter.maxKnown)))
        }
        return found
    }
}

extension RoiReader {
    /// The filters of `query` no stored conversation matches (`StoredFilterValues`), in table terms.
    public func unmatchedFilters(_ query: RoiQuery) throws -> [UnmatchedFilter] {
        let f = Filters(query, vocabulary)
        return try StoredFilterValues(database).unmatched([("site", f.site), ("department", f.department), ("outcome", f.outcome),
                                                          ("channel", f.channel), ("employee", f.employee)])
    }
}

extension ConversationStore {
    /// The filters of a `list` or `export` no stored conversation matches (`StoredFilterValues`).
    public func unmatchedFilters(site: String?, department: String?, outcome: String?, channel: String?, employee: String?) throws -> [UnmatchedFilter] {
        func plain(_ value: String?, none: String) -> String? { value == none ? nil : value }
        return try StoredFilterValues(database).unmatched([("site", site), ("department", plain(department, none: "unassigned")),
                                                          ("outcome", plain(outcome, none: "unclassified")), ("channel", channel), ("employee", employee)])
    }
}
