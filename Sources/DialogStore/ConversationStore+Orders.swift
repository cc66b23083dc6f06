import DialogCore

/// What became of one order the spool offered the store.
public enum OrderIngestOutcome: Sendable, Equatable {
    case stored
    /// Its key is stored with the same content: a re-ingest.
    case duplicate
    /// Its order number is stored with other content (these fields differ): refused.
    case conflict([String])
}

/// An order as stored, with its row number (docs/spool.md "Orders").
public struct StoredOrder: Sendable, Equatable {
    public var rowID: Int64
    public var key: String
    public var order: OrderRecord
    public var sourceFile: String
    public var line: Int
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
            return .stored
        }
        guard let stored = try self.order(key: key) else { return .duplicate }
        let differences = stored.order.differences(order)
        return differences.isEmpty || order.id == nil ? .duplicate : .conflict(differences)
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
        return StoredOrder(rowID: row[0], key: row[1], order: order, sourceFile: row[11], line: Int(clamping: row[12] as Int64))
    }
}
