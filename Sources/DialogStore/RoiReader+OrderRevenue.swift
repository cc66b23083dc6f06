import DialogCore

/// Revenue from orders beside the logged value in the pyramid (docs/roi.md "Order revenue in
/// the pyramid"): attributed revenue comes from `addAttribution`, the same figures as
/// `roi --json`, so every number here can be traced with `roi` and `list`.
extension RoiReader {
    /// Whether the store holds any order: one probe of the orders table's first row.
    func hasOrders() throws -> Bool {
        try database.scalar("SELECT EXISTS (SELECT 1 FROM orders)", as: Int64.self) == 1
    }

    /// Orders dated in `hours`, whatever the filters (orders carry no conversation labels).
    func orderCount(_ hours: Range<Int64>) throws -> Int64 {
        try database.scalar("SELECT count(*) FROM orders WHERE date >= ? AND date < ?",
                            arguments: [RoiQuery.hourStart(hours.lowerBound), RoiQuery.hourStart(hours.upperBound)], as: Int64.self) ?? 0
    }

    /// Stored shares made with another model or lookback than `attribution` (the daemon warns
    /// too; `recompute` re-attributes): the store's one test (`Database.attributionIsStale`).
    func attributionIsStale() throws -> Bool {
        try database.attributionIsStale(attribution)
    }

    /// Sets `executive.order_revenue` and the departments' `attributed_cents`/`attributed_roi`.
    /// A store without orders gets only the model and `has_orders: false`: no figure at all.
    func addOrderRevenue(to pyramid: inout Pyramid, filters: Filters, hours: Range<Int64>) throws {
        var revenue = OrderRevenue(attribution: attribution, stale: false, hasOrders: try hasOrders())
        defer { pyramid.executive.orderRevenue = revenue }
        guard revenue.hasOrders else { return }
        revenue.stale = try attributionIsStale()
        let executive = pyramid.executive
        var report = RoiReport(window: pyramid.window, rows: executive.valueByDepartment, total: executive.figures,
                               previousWindow: nil, previous: nil)
        try addAttribution(to: &report, grouping: .department, filters: filters, hours: hours)
        let orders = try report.total.orders ?? orderCount(hours)
        revenue.ordersInWindow = orders
        revenue.attributedCents = report.total.attributedCents ?? 0
        revenue.roi = OrderRevenue.roi(attributedCents: revenue.attributedCents, costCents: executive.figures.costCents, ordersInWindow: orders)
        if let ordersCents = report.total.ordersCents, let unattributed = report.total.unattributedCents {
            revenue.ordersCents = ordersCents
            revenue.unattributedCents = unattributed
            revenue.unattributedShare = ordersCents > 0 ? Double(unattributed) / Double(ordersCents) : nil
        }
        pyramid.executive.valueByDepartment = revenue.rated(report.rows)
    }
}
