import DialogCore

/// Keeps `order_shares` in step with the stored orders and conversations (docs/roi.md "Orders
/// and attribution"): whenever a customer's orders or conversations change, all that
/// customer's orders are attributed again — so the figures do not depend on arrival order
/// (an order before its conversations is attributed when they arrive).
extension ConversationStore {
    static let attributionMetaKey = "attribution_fingerprint"

    /// Marks `customer` for attribution: at the end of the open transaction, or now outside one.
    /// A large file's open transaction attributes early when many are marked, so its memory stays
    /// bounded (attributing again later gives the same shares: they are made from the stored rows).
    func customerChanged(_ customer: String?) throws {
        guard let customer else { return }
        guard defersAggregates else { return try attribute(customer: customer) }
        attributionDirty.insert(customer)
        if inOpenTransaction, attributionDirty.count >= maxOpenBufferedBuckets { try flushAttribution() }
    }

    /// Attributes the orders of every customer marked in this transaction.
    func flushAttribution() throws {
        guard !attributionDirty.isEmpty else { return }
        let customers = attributionDirty
        attributionDirty = []
        for customer in customers.sorted() { try attribute(customer: customer) }
    }

    /// Replaces the shares of `customer`'s orders: touches are the customer's conversations
    /// dated order date − lookback … order date inclusive, ordered by date then key. With
    /// `aggregates`, the old shares leave the aggregates and the new ones enter them under the
    /// order's hour and each touch's labels, and the order totals' unattributed cents follow.
    func attribute(customer: String, aggregates: Bool = true) throws {
        let orders = try database.fetchAll("SELECT id, date, amount_cents FROM orders WHERE customer = ? ORDER BY date, id",
                                           arguments: [customer]) { row in (id: row[0] as Int64, date: row[1] as Int64, amount: row[2] as Int64) }
        // Most customers who talk have no order: one indexed lookup, nothing to delete.
        guard !orders.isEmpty else { return }
        var attributedBefore = Set<Int64>()
        if aggregates {
            let old = try database.fetchAll("""
                SELECT s.order_id, s.order_date, s.share_cents, \(Self.bucketColumns) FROM orders o
                JOIN order_shares s ON s.order_id = o.id JOIN conversations c ON c.id = s.conversation_id WHERE o.customer = ?
                """, arguments: [customer]) { row in (order: row[0] as Int64, date: row[1] as Int64, cents: row[2] as Int64, bucket: Self.bucket(row, from: 3)) }
            for share in old {
                attributedBefore.insert(share.order)
                pendingAggregates.addShare(-share.cents, orderDate: share.date, share.bucket)
            }
        }
        try database.execute("DELETE FROM order_shares WHERE order_id IN (SELECT id FROM orders WHERE customer = ?)", arguments: [customer])
        let touches = try database.fetchAll("SELECT id, date, \(Self.bucketColumns) FROM conversations c WHERE customer = ? ORDER BY date, key",
                                            arguments: [customer]) { row in (id: row[0] as Int64, date: row[1] as Int64, bucket: Self.bucket(row, from: 2)) }
        let insert = try database.cachedStatement("INSERT INTO order_shares (order_id, conversation_id, order_date, share_cents) VALUES (?, ?, ?, ?)")
        let model = attribution.model
        for order in orders {
            let earliest = order.date &- attribution.lookbackSeconds
            let window = touches.filter { $0.date >= earliest && $0.date <= order.date }
            let shares = Attribution.shares(amountCents: order.amount, touchDates: window.map(\.date), orderDate: order.date, model: model)
            for (touch, share) in zip(window, shares) {
                try insert.bind(arguments: [order.id, touch.id, order.date, share])
                try insert.execute()
                if aggregates { pendingAggregates.addShare(share, orderDate: order.date, touch.bucket) }
            }
            // Unattributed before and touched now, or the other way round: the order moves in or out of `unattributed_cents`.
            let wasUnattributed = !attributedBefore.contains(order.id)
            guard aggregates, window.isEmpty != wasUnattributed else { continue }
            let cents = window.isEmpty ? order.amount : -order.amount
            pendingAggregates.addOrderTotals(OrderTotals(unattributedCents: cents), orderDate: order.date)
        }
        // Outside a transaction at once; inside, early when the buffer reaches its bound (a streamed file of orders).
        if aggregates { try flushAggregatesIfDue() }
    }

    /// The columns of a conversation row (alias `c`) that name its aggregate bucket, read by `bucket(_:from:)`.
    static let bucketColumns = "c.site, coalesce(c.department_final, ''), coalesce(c.outcome_final, ''), c.channel, c.employee"

    static func bucket(_ row: Row, from i: Int) -> AggregateBuffer.Bucket {
        AggregateBuffer.Bucket(site: row[i], department: row[i + 1], outcome: row[i + 2], channel: row[i + 3], employee: row[i + 4])
    }

    /// Takes the shares credited to conversation `rowID` out of the aggregates (`sign` -1) or
    /// puts them back (+1) under its labels as stored now: call with -1 before its labels
    /// change and +1 after, so a relabel or an amend moves its attributed revenue.
    func moveShares(ofConversation rowID: Int64, sign: Int64) throws {
        let shares = try database.fetchAll("""
            SELECT s.order_date, s.share_cents, \(Self.bucketColumns) FROM order_shares s
            JOIN conversations c ON c.id = s.conversation_id WHERE s.conversation_id = ?
            """, arguments: [rowID]) { row in (date: row[0] as Int64, cents: row[1] as Int64, bucket: Self.bucket(row, from: 2)) }
        guard !shares.isEmpty else { return }
        for share in shares { pendingAggregates.addShare(sign * share.cents, orderDate: share.date, share.bucket) }
        try flushAggregatesIfDue()
    }

    /// Attributes every stored order again (after a model change) and rebuilds the attributed
    /// aggregates from the new shares; records the model it used. Returns the orders attributed.
    @discardableResult
    public func reattributeAll() throws -> Int {
        try clearAttributedAggregates()
        let count = try reattributeShares()
        try rebuildAttributedAggregates()
        return count
    }

    /// `reattributeAll` without the aggregates, for `recompute`, which rebuilds them all after.
    func reattributeShares() throws -> Int {
        try database.execute("DELETE FROM order_shares")
        let customers = try database.fetchAll("SELECT DISTINCT customer FROM orders ORDER BY customer") { row in row[0] as String }
        for customer in customers { try attribute(customer: customer, aggregates: false) }
        try setMeta(Self.attributionMetaKey, attribution.fingerprint)
        return Int(try orderCount())
    }

    /// Sets `attribution`; returns true when stored shares were made with another model or
    /// lookback (then `recompute` re-attributes). A store without orders takes it at once.
    @discardableResult
    public func adopt(_ config: AttributionConfig) throws -> Bool {
        attribution = config
        let stored = try meta(Self.attributionMetaKey)
        if stored == config.fingerprint { return false }
        if try orderCount() == 0 {
            try setMeta(Self.attributionMetaKey, config.fingerprint)
            return false
        }
        return stored != nil || config != AttributionConfig()
    }

    /// Cents credited to each of `conversations` (row ids) over all orders; absent ids touched none.
    public func attributedCents(conversations: [Int64]) throws -> [Int64: Int64] {
        guard !conversations.isEmpty else { return [:] }
        let marks = conversations.map { _ in "?" }.joined(separator: ", ")
        let rows = try database.fetchAll(
            "SELECT conversation_id, sum(share_cents) FROM order_shares WHERE conversation_id IN (\(marks)) GROUP BY 1",
            arguments: conversations) { row in (row[0] as Int64, row[1] as Int64) }
        return Dictionary(rows, uniquingKeysWith: +)
    }
}
