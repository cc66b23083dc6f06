import DialogCore

/// The bound on one customer's orders (`[attribution] max_orders`, docs/roi.md "How many
/// orders"): a conversation dated d re-attributes the customer's orders dated d … d + lookback,
/// so with at most `max_orders` of them in any lookback-long span one arrival's work stays at
/// orders × `max_touches` shares, however many orders someone with drop rights sends.
extension ConversationStore {
    /// `.tooManyOrders` when `order`'s customer already has `max_orders` orders dated within
    /// the lookback before or after it (the spans of the conversations it would be re-attributed
    /// by); nil lets it go on. An order already stored under `key` is judged by its key, as before.
    func crowdedRefusal(_ order: OrderRecord, key: String) throws -> OrderIngestOutcome? {
        let lookback = max(0, attribution.lookbackSeconds)
        let from = order.date.subtractingReportingOverflow(lookback).overflow ? Int64.min : order.date - lookback
        let to = order.date.addingReportingOverflow(lookback).overflow ? Int64.max : order.date + lookback
        let cap = max(1, attribution.maxOrders)
        // Counting stops at the cap: the cost is bounded by it, not by what the customer holds.
        let count = try database.scalar("SELECT count(*) FROM (SELECT 1 FROM orders WHERE customer = ? AND date BETWEEN ? AND ? LIMIT ?)",
                                        arguments: [order.customer, from, to, Int64(cap)], as: Int64.self) ?? 0
        guard count >= Int64(cap), try self.order(key: key) == nil else { return nil }
        return .tooManyOrders(Int(count))
    }
}
