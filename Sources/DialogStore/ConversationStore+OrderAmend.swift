import DialogCore

/// Correcting a stored order from a file drop (docs/spool.md "Orders", docs/roi.md "Correcting
/// an order"): a row with `amends: NUMBER` replaces the stored order with that number, as an
/// amend replaces a conversation — so the figures afterwards equal those of a store that only
/// ever held the corrected order. The replaced content is handed back for the log (the audit).
extension ConversationStore {
    static let amendOrderSQL = """
        UPDATE orders SET external_id = ?, date = ?, utc_offset = ?, customer = ?, amount_cents = ?, currency = ?,
            department = ?, product = ?, extras = ?, source_file = ?, source_line = ?, ingested_at = ? WHERE id = ?
        """

    /// Replaces the stored order under `key` with `order` in place (its row stays), inside the
    /// open transaction: its shares and totals leave the aggregates under the old date and the
    /// touches' labels, the new totals go in unattributed, and the order is attributed again.
    /// The same content again (an amend read twice) is a duplicate; an unknown number is refused.
    func amend(with order: OrderRecord, key: String, sourceFile: String, line: Int, ingestedAt: Int64) throws -> OrderIngestOutcome {
        guard let stored = try self.order(key: key) else { return .unknownAmend }
        if stored.order.differences(order).isEmpty { return .duplicate }
        let old = stored.order
        // Its shares as they are stored now: out of the attributed aggregates, then gone.
        let shares = try database.fetchAll("""
            SELECT s.order_date, s.share_cents, \(Self.bucketColumns) FROM order_shares s
            JOIN conversations c ON c.id = s.conversation_id WHERE s.order_id = ?
            """, arguments: [stored.rowID]) { row in (date: row[0] as Int64, cents: row[1] as Int64, bucket: Self.bucket(row, from: 2)) }
        for share in shares { pendingAggregates.addShare(-share.cents, orderDate: share.date, share.bucket) }
        let wasAttributed = try database.fetchOne("SELECT 1 FROM order_shares WHERE order_id = ? LIMIT 1", arguments: [stored.rowID]) { _ in true } ?? false
        try database.execute("DELETE FROM order_shares WHERE order_id = ?", arguments: [stored.rowID])
        pendingAggregates.addOrderTotals(OrderTotals(orders: -1, cents: -old.amountCents, unattributedCents: wasAttributed ? 0 : -old.amountCents),
                                         orderDate: old.date)

        let update = try database.cachedStatement(Self.amendOrderSQL)
        try update.bind(arguments: [order.id, order.date, Int64(order.utcOffsetSeconds), order.customer, order.amountCents, order.currency,
                                    order.department, order.product, ExtrasJSON.encode(order.extras), sourceFile, Int64(line), ingestedAt,
                                    stored.rowID])
        try update.execute()
        // Unattributed until `attribute(customer:)` finds it a touch, as a new order.
        pendingAggregates.addOrderTotals(OrderTotals(orders: 1, cents: order.amountCents, unattributedCents: order.amountCents), orderDate: order.date)
        if !defersAggregates { try flushAggregates() }
        try customerChanged(order.customer, .order(id: stored.rowID))
        // The old customer's credit notes that named this order lose it (docs/roi.md "Credit notes").
        if old.customer != order.customer {
            try customerChanged(old.customer, .whole)
            try orderArrived(order)
        }
        return .amended(stored)
    }
}
