import DialogCore

/// The order side of `roi`'s total (docs/roi.md "Orders and attribution"). Attributed revenue
/// itself is a sum of the aggregates (`RoiSumColumn.attributedCents`), read with the logged
/// figures; orders belong to no conversation's labels and have tables of their own.
extension RoiReader {
    /// Sets `orders`, `orders_cents` and `unattributed_cents` on the total of an unfiltered
    /// answer: orders dated in `hours`, whole UTC days from `roi_orders_daily`, the partial days
    /// at the edges from `roi_orders_hourly`. A filter (site, label, channel group) leaves them
    /// absent: an order has no site or labels of its own, only its touches have.
    func addOrderTotals(to report: inout RoiReport, filters: Filters, hours: Range<Int64>) throws {
        guard filters.conditions.isEmpty, filters.channelGroup == nil else { return }
        let firstDay = Self.ceilDiv(hours.lowerBound, 24), endDay = Self.floorDiv(hours.upperBound, 24)
        var parts: [(table: String, time: String, range: Range<Int64>)] = []
        if firstDay < endDay {
            parts = [("roi_orders_hourly", "hour", hours.lowerBound..<(firstDay * 24)), ("roi_orders_daily", "day", firstDay..<endDay),
                     ("roi_orders_hourly", "hour", (endDay * 24)..<hours.upperBound)]
        } else {
            parts = [("roi_orders_hourly", "hour", hours)]
        }
        var totals = OrderTotals()
        for part in parts where !part.range.isEmpty {
            let statement = try database.cachedStatement("""
                SELECT coalesce(sum(orders), 0), coalesce(sum(orders_cents), 0), coalesce(sum(unattributed_cents), 0)
                FROM \(part.table) WHERE \(part.time) >= ? AND \(part.time) < ?
                """)
            try statement.bind(arguments: [part.range.lowerBound, part.range.upperBound])
            defer { statement.reset() }
            if try statement.step() {
                let row = statement.row
                totals += OrderTotals(orders: row[0], cents: row[1], unattributedCents: row[2])
            }
        }
        report.total.orders = totals.orders
        report.total.ordersCents = totals.cents
        report.total.unattributedCents = totals.unattributedCents
    }

    /// Attributed revenue for a report whose rows were read elsewhere (the pyramid's
    /// departments): the same aggregate sums as `roi`, so both answers agree to the cent. A key
    /// whose revenue came from conversations before the window gets a row of its own.
    func addAttribution(to report: inout RoiReport, grouping: RoiQuery.Grouping?, filters: Filters, hours: Range<Int64>) throws {
        if let grouping, !grouping.isCalendar {
            var byKey = try dimensionSums(hours, filters: filters, by: grouping).mapValues(\.attributedCents)
            report.total.attributedCents = byKey.values.reduce(0, +)
            for i in report.rows.indices {
                report.rows[i].figures.attributedCents = byKey.removeValue(forKey: ExactBytes(report.rows[i].key)) ?? 0
            }
            for (key, cents) in byKey where cents != 0 {
                var figures = RoiFigures(RoiSums())
                figures.attributedCents = cents
                report.rows.append(RoiRow(key: key.text, figures: figures))
            }
            report.rows.sort { $0.key.sortsBefore($1.key) }
        } else {
            report.total.attributedCents = try cells(hours: hours, filters: filters, by: [], keepingAttributed: true).first?.sums.attributedCents ?? 0
        }
        try addOrderTotals(to: &report, filters: filters, hours: hours)
    }
}
