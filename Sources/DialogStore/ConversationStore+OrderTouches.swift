import DialogCore

/// One order's split (`list --order`, docs/roi.md "Tracing a figure"): the conversations it
/// credited, each with that order's share only, so the rows add up to the order's amount.
extension ConversationStore {
    /// An order by its number (`A-2`) or its record key (`id:A-2`, `sha256:…`).
    public func order(numberOrKey text: String) throws -> StoredOrder? {
        if let byKey = try order(key: text) { return byKey }
        return try order(key: "id:" + text)
    }

    /// The conversations `order` (row id) credited, newest first, with the cents it credited
    /// each; at most `limit` (the shares are at most `[attribution] max_touches`).
    public func touches(ofOrder order: Int64, limit: Int) throws -> [(conversation: ExportedConversation, shareCents: Int64)] {
        let shareColumn = Self.pricedSelectColumns.split(separator: ",").count
        return try database.fetchAll(
            "SELECT \(Self.pricedSelectColumns), s.share_cents FROM order_shares s JOIN conversations ON conversations.id = s.conversation_id"
                + " WHERE s.order_id = ? ORDER BY conversations.date DESC, conversations.id DESC LIMIT ?",
            arguments: [order, Int64(limit)]) { row in (try Self.decodePriced(row), row[shareColumn] as Int64) }
    }

    /// How many conversations `order` (row id) credited.
    public func shareCount(ofOrder order: Int64) throws -> Int {
        Int(try database.scalar("SELECT count(*) FROM order_shares WHERE order_id = ?", arguments: [order], as: Int64.self) ?? 0)
    }
}
