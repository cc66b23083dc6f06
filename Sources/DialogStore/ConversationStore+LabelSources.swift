import DialogCore

extension ConversationStore {
    /// How the conversations matching `filter` got their labels: per dimension, conversations
    /// by source (`logged`, `rule`, `model`, `review`) and `unclassified` (no label: the model
    /// was unsure or had no evidence), plus conversations whose department or outcome — the two
    /// labels that decide value — came from the model or from a rule. O(conversations in the
    /// window), for reports, not dashboards.
    public func labelSources(_ filter: ExportFilter) throws -> LabelSourcesResult.Counts {
        let (clauses, arguments) = Self.conditions(filter)
        let condition = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
        var counts = LabelSourcesResult.Counts()
        let columns = ["department", "outcome", "sentiment"]
        let select = columns.map { "\($0)_source, \($0)_final IS NULL" }.joined(separator: ", ")
        // At most 5 × 2 groups per dimension: the rows are few whatever the window holds.
        _ = try database.fetchAll("SELECT \(select), count(*) FROM conversations\(condition) GROUP BY 1, 2, 3, 4, 5, 6", arguments: arguments) { row in
            let n: Int64 = row[6]
            counts.conversations += n
            var decided: Set<String> = []
            for (i, name) in columns.enumerated() {
                let source: String? = row[2 * i]
                let missing: Bool = row[2 * i + 1]
                // Logged rows from before classification have no source: they were logged.
                let key = missing ? "unclassified" : (source ?? LabelSource.logged.rawValue)
                counts.bySource[name, default: [:]][key, default: 0] += n
                if i < 2, !missing, let source { decided.insert(source) }
            }
            if decided.contains(LabelSource.model.rawValue) { counts.valueLabelsByModel += n }
            if decided.contains(LabelSource.rule.rawValue) { counts.valueLabelsByRule += n }
        }
        return counts
    }
}
