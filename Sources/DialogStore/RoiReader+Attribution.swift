import DialogCore

/// Attributed order revenue beside the logged figures (docs/roi.md "Orders and attribution"):
/// shares of orders dated in the window, grouped by the touching conversation's current
/// labels (so a `relabel` moves a share), read from `order_shares` and the conversations.
extension RoiReader {
    /// The conversation column a dimension grouping reads.
    static func attributionColumn(_ grouping: RoiQuery.Grouping) -> String? {
        switch grouping {
        case .department: "c.department_final"
        case .outcome: "c.outcome_final"
        case .channel, .channelGroup: "c.channel"
        case .employee: "c.employee"
        case .site: "c.site"
        case .day, .week, .month: nil
        }
    }

    func addAttribution(to report: inout RoiReport, grouping: RoiQuery.Grouping?, filters: Filters, hours: Range<Int64>) throws {
        let since = RoiQuery.hourStart(hours.lowerBound), until = RoiQuery.hourStart(hours.upperBound)
        var clauses = ["s.order_date >= ?", "s.order_date < ?"]
        var arguments: [(any SQLValue)?] = [since, until]
        for (column, value) in filters.conditions {
            let physical = column == "department" ? "coalesce(c.department_final, '')" : column == "outcome" ? "coalesce(c.outcome_final, '')" : "c.\(column)"
            clauses.append("\(physical) = ?")
            arguments.append(value)
        }
        let from = " FROM order_shares s JOIN conversations c ON c.id = s.conversation_id WHERE " + clauses.joined(separator: " AND ")
        let groupFilter: (String) -> Bool = { channel in filters.channelGroup.map { self.group(ofChannel: channel) == $0 } ?? true }
        if filters.channelGroup != nil {
            // A group filter: by channel, the group's channels kept.
            let byChannel = try database.fetchAll("SELECT c.channel, sum(s.share_cents)" + from + " GROUP BY 1", arguments: arguments) { row in
                (row[0] as String, row[1] as Int64)
            }
            report.total.attributedCents = byChannel.filter { groupFilter($0.0) }.reduce(0) { $0 + $1.1 }
        } else {
            report.total.attributedCents = try database.scalar("SELECT coalesce(sum(s.share_cents), 0)" + from, arguments: arguments, as: Int64.self) ?? 0
        }
        if let grouping, let column = Self.attributionColumn(grouping) {
            var byKey: [String: Int64] = [:]
            let select = "SELECT coalesce(\(column), ''), c.channel, sum(s.share_cents)" + from + " GROUP BY 1, 2"
            _ = try database.fetchAll(select, arguments: arguments) { row in
                let value: String = row[0], channel: String = row[1], cents: Int64 = row[2]
                guard groupFilter(channel) else { return }
                byKey[displayKey(value, grouping), default: 0] += cents
            }
            for i in report.rows.indices {
                report.rows[i].figures.attributedCents = byKey.removeValue(forKey: report.rows[i].key) ?? 0
            }
            // Revenue credited to conversations dated before the window still belongs to its rows.
            for (key, cents) in byKey {
                var figures = RoiFigures(RoiSums())
                figures.attributedCents = cents
                report.rows.append(RoiRow(key: key, figures: figures))
            }
            report.rows.sort { $0.key < $1.key }
        }
        guard filters.conditions.isEmpty, filters.channelGroup == nil else { return }
        let window: [(any SQLValue)?] = [since, until]
        let totals = try database.fetchOne("SELECT count(*), coalesce(sum(amount_cents), 0) FROM orders WHERE date >= ? AND date < ?",
                                           arguments: window) { row in (row[0] as Int64, row[1] as Int64) }
        report.total.orders = totals?.0 ?? 0
        report.total.ordersCents = totals?.1 ?? 0
        report.total.unattributedCents = try database.scalar("""
            SELECT coalesce(sum(amount_cents), 0) FROM orders o WHERE date >= ? AND date < ?
                AND NOT EXISTS (SELECT 1 FROM order_shares s WHERE s.order_id = o.id)
            """, arguments: window, as: Int64.self) ?? 0
    }
}
