import DialogCore

/// Orders for `export` (docs/roi.md "Tracing a figure"): those dated in the window, a page at a
/// time by row id, each with the cents its shares credited and how many conversations they went to.
extension ConversationStore {
    public func exportOrders(since: Int64, until: Int64, afterRow: Int64, limit: Int) throws
        -> [(order: StoredOrder, attributedCents: Int64, touches: Int)] {
        let orders = try database.fetchAll(
            Self.orderSelect + " WHERE date >= ? AND date < ? AND id > ? ORDER BY id LIMIT ?",
            arguments: [since, until, afterRow, Int64(limit)], Self.decodeOrder)
        return try orders.map { stored in
            let (cents, touches) = try database.fetchOne(
                "SELECT coalesce(sum(share_cents), 0), count(*) FROM order_shares WHERE order_id = ?",
                arguments: [stored.rowID]) { row in (row[0] as Int64, Int(clamping: row[1] as Int64)) } ?? (0, 0)
            return (stored, cents, touches)
        }
    }
}
