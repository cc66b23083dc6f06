import DialogCore

/// What became of one order the spool offered the store.
public enum OrderIngestOutcome: Sendable, Equatable {
    case stored
    /// Its key is stored with the same content: a re-ingest.
    case duplicate
    /// Without an order number, the same content as an order stored from this file in this
    /// ingest (`line`): a duplicate that may be a second real order, so the batch warns.
    case repeated(line: Int)
    /// Its order number is stored with other content (these fields differ): refused.
    case conflict(StoredOrder, [String])
    /// An amend: the stored order (as it was) was replaced by this one.
    case amended(StoredOrder)
    /// An amend of an order number that is not stored: refused, nothing stored.
    case unknownAmend
    /// Its customer already has this many orders dated within the lookback before or after it
    /// (`[attribution] max_orders`): refused, nothing stored.
    case tooManyOrders(Int)
}

/// An order as stored, with its row number (docs/spool.md "Orders").
public struct StoredOrder: Sendable, Equatable {
    public var rowID: Int64
    public var key: String
    public var order: OrderRecord
    public var sourceFile: String
    public var line: Int
    /// When it was stored (or last amended), Unix seconds: the ingest that wrote it.
    public var ingestedAt: Int64 = 0
}

extension ConversationStore {
    static let orderColumns = ["key", "external_id", "date", "utc_offset", "customer", "amount_cents", "currency",
                               "department", "product", "extras", "source_file", "source_line", "ingested_at"]
    static let insertOrderSQL = "INSERT INTO orders (" + orderColumns.joined(separator: ", ") + ") VALUES ("
        + orderColumns.map { _ in "?" }.joined(separator: ", ") + ") ON CONFLICT(key) DO NOTHING"

    /// Stores `order` under `key` exactly once (the customer must already be what the store
    /// keeps, `CustomerIdentity`), inside the open transaction. Orders are never conversations:
    /// they count only in the order totals and, through their shares, in `attributed_cents`.
    public func ingest(_ order: OrderRecord, key: String, sourceFile: String, line: Int, ingestedAt: Int64) throws -> OrderIngestOutcome {
        if order.amends != nil { return try amend(with: order, key: key, sourceFile: sourceFile, line: line, ingestedAt: ingestedAt) }
        // A blanked order's rewritten original, dropped again (`forget`): the stored order.
        if try isForgottenKeyAlias(key, order: true) { return .duplicate }
        if let crowded = try crowdedRefusal(order, key: key) { return crowded }
        let statement = try database.cachedStatement(Self.insertOrderSQL)
        try statement.bind(arguments: [key, order.id, order.date, Int64(order.utcOffsetSeconds), order.customer, order.amountCents,
                                       order.currency, order.department, order.product, ExtrasJSON.encode(order.extras),
                                       sourceFile, Int64(line), ingestedAt])
        try statement.execute()
        if database.changes == 1 {
            // Unattributed until `attribute(customer:)` finds it a touch.
            pendingAggregates.addOrderTotals(OrderTotals(orders: 1, cents: order.amountCents, unattributedCents: order.amountCents),
                                             orderDate: order.date)
            let id = database.lastInsertRowID
            if !defersAggregates { try flushAggregates() }
            try customerChanged(order.customer, .order(id: id))
            try orderArrived(order)
            return .stored
        }
        guard let stored = try self.order(key: key) else { return .duplicate }
        let differences = stored.order.differences(order)
        if order.id == nil {
            // A content key: the same content, perhaps a second order written identically in this file.
            let sameIngest = stored.sourceFile == sourceFile && stored.ingestedAt == ingestedAt && stored.line != line
            return sameIngest ? .repeated(line: stored.line) : .duplicate
        }
        return differences.isEmpty ? .duplicate : .conflict(stored, differences)
    }

    static let orderSelect = "SELECT id, key, " + orderColumns.dropFirst().joined(separator: ", ") + " FROM orders"

    /// The stored order under `key`, if any.
    public func order(key: String) throws -> StoredOrder? {
        try database.fetchOne(Self.orderSelect + " WHERE key = ?", arguments: [key], Self.decodeOrder)
    }

    /// Stored orders, by date then row, optionally of one customer (its stored form) or dated in [since, until).
    public func orders(customer: String? = nil, since: Int64? = nil, until: Int64? = nil, limit: Int = 1000) throws -> [StoredOrder] {
        var clauses: [String] = []
        var arguments: [(any SQLValue)?] = []
        if let customer { clauses.append("customer = ?"); arguments.append(customer) }
        if let since { clauses.append("date >= ?"); arguments.append(since) }
        if let until { clauses.append("date < ?"); arguments.append(until) }
        let condition = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
        arguments.append(Int64(limit))
        return try database.fetchAll(Self.orderSelect + condition + " ORDER BY date, id LIMIT ?", arguments: arguments, Self.decodeOrder)
    }

    public func orderCount() throws -> Int64 {
        try database.scalar("SELECT count(*) FROM orders", as: Int64.self) ?? 0
    }

    static func decodeOrder(_ row: Row) throws -> StoredOrder {
        let order = OrderRecord(
            id: row[2], date: row[3], utcOffsetSeconds: Int32(clamping: row[4] as Int64), customer: row[5], amountCents: row[6],
            currency: row[7], department: row[8], product: row[9], extras: try ExtrasJSON.decode(row[10]))
        return StoredOrder(rowID: row[0], key: row[1], order: order, sourceFile: row[11], line: Int(clamping: row[12] as Int64), ingestedAt: row[13])
    }
}
