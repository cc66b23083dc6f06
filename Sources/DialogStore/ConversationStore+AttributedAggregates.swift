import DialogCore

/// Attributed revenue in the ROI aggregates (docs/roi.md "Orders and attribution"): the
/// `attributed_cents` sum of every `AggregateTable`, under the order's hour and the touching
/// conversation's labels, and the order totals (`OrderTotals`). Kept at ingest by
/// `attribute(customer:)` and `moveShares`; rebuilt here from `order_shares` by `recompute`.
extension ConversationStore {
    /// Writes buffered order totals: one UPSERT per touched hour and per touched day.
    func flushOrderTotals(_ byHour: [Int64: OrderTotals]) throws {
        guard !byHour.isEmpty else { return }
        var byDay: [Int64: OrderTotals] = [:]
        for (hour, totals) in byHour { byDay[RoiReader.floorDiv(hour, 24), default: OrderTotals()] += totals }
        for (table, rows) in [(OrderTotals.tables[0], byHour), (OrderTotals.tables[1], byDay)] {
            let statement = try database.cachedStatement("""
                INSERT INTO \(table.name) (\(table.time), orders, orders_cents, unattributed_cents) VALUES (?, ?, ?, ?)
                ON CONFLICT (\(table.time)) DO UPDATE SET orders = orders + excluded.orders,
                    orders_cents = orders_cents + excluded.orders_cents, unattributed_cents = unattributed_cents + excluded.unattributed_cents
                """)
            for (time, totals) in rows where totals != OrderTotals() {
                try statement.bind(arguments: [time, totals.orders, totals.cents, totals.unattributedCents])
                try statement.execute()
            }
        }
    }

    /// Adds every stored share to the aggregates and rebuilds the order totals (inside a
    /// transaction, after `rebuildAggregates` cleared them): the same figures the ingest
    /// path keeps, so a recompute equals a fresh ingest.
    func rebuildAttributedAggregates() throws {
        let hour = "s.order_date / 3600 - (s.order_date % 3600 < 0)"
        try database.execute("DROP TABLE IF EXISTS temp.attributed_buckets")
        try database.execute("""
            CREATE TEMP TABLE attributed_buckets AS SELECT \(hour) AS hour, c.site AS site,
                coalesce(c.department_final, '') AS department, coalesce(c.outcome_final, '') AS outcome,
                c.channel AS channel, c.employee AS employee, sum(s.share_cents) AS cents
            FROM order_shares s JOIN conversations c ON c.id = s.conversation_id
            GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(s.share_cents) != 0
            """)
        defer { try? database.execute("DROP TABLE IF EXISTS temp.attributed_buckets") }
        let sums = RoiSumColumn.allCases.map { $0 == .attributedCents ? "sum(cents)" : "0" }.joined(separator: ", ")
        let day = "hour / 24 - (hour % 24 < 0)"
        func upsert(_ table: AggregateTable, _ keys: String, groups: Int) throws {
            try database.execute("""
                INSERT INTO \(table.name) (\(table.columns.joined(separator: ", ")))
                SELECT \(keys), \(sums) FROM temp.attributed_buckets WHERE true GROUP BY \((1...groups).map(String.init).joined(separator: ", "))
                ON CONFLICT (\(([table.time] + table.keys).joined(separator: ", "))) DO UPDATE SET
                    attributed_cents = attributed_cents + excluded.attributed_cents
                """)
        }
        try upsert(.hourly, "hour, site, department, outcome, channel, employee", groups: 6)
        try upsert(.hourlyDepartment, "hour, site, department", groups: 3)
        try upsert(.dailyDimension, "\(day), 'department', site, department, ''", groups: 5)
        for other in AggregateTable.pairs {
            try upsert(.dailyDimension, "\(day), 'department/\(other)', site, department, \(other)", groups: 5)
        }
        try upsert(.dailyActivity, "\(day), site, employee, channel", groups: 4)
        let week = "(\(day)) / 7 - ((\(day)) % 7 < 0)"
        try upsert(.weeklyDimension, "\(week), 'department', site, department, ''", groups: 5)
        for other in AggregateTable.pairs {
            try upsert(.weeklyDimension, "\(week), 'department/\(other)', site, department, \(other)", groups: 5)
        }
        try upsert(.weeklyActivity, "\(week), site, employee, channel", groups: 4)
        try rebuildOrderTotals()
    }

    /// The order totals from `orders`: an order without a share is unattributed.
    func rebuildOrderTotals() throws {
        for table in OrderTotals.tables { try database.execute("DELETE FROM \(table.name)") }
        try database.execute("""
            INSERT INTO roi_orders_hourly (hour, orders, orders_cents, unattributed_cents)
            SELECT date / 3600 - (date % 3600 < 0), count(*), sum(amount_cents),
                sum(CASE WHEN EXISTS (SELECT 1 FROM order_shares s WHERE s.order_id = o.id) THEN 0 ELSE amount_cents END)
            FROM orders o GROUP BY 1
            """)
        try database.execute("""
            INSERT INTO roi_orders_daily (day, orders, orders_cents, unattributed_cents)
            SELECT hour / 24 - (hour % 24 < 0), sum(orders), sum(orders_cents), sum(unattributed_cents) FROM roi_orders_hourly GROUP BY 1
            """)
    }

    /// Takes every share out of the aggregates (their `attributed_cents` set to 0), e.g.
    /// before `reattributeAll` rebuilds them.
    func clearAttributedAggregates() throws {
        for table in AggregateTable.all {
            try database.execute("UPDATE \(table.name) SET attributed_cents = 0 WHERE attributed_cents != 0")
        }
    }
}
