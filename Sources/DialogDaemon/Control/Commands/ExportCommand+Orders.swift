import DialogCore
import DialogStore

/// `export` with `orders` (docs/protocol.md `export`): the orders dated in the `roi` window, a
/// page by row id as conversations come, so `dialogctl export` writes them after the conversations.
extension ExportCommand {
    static func ordersPage(_ query: RoiQuery, _ settings: RoiReaderSettings, after: Int64, limit: Int, currency: String,
                           _ origin: RequestOrigin) -> CommandOutcome {
        .deferred(origin.reads.submit { store in
            let (window, _, labeler) = try RoiQueryArguments.conversations(query, settings.reader(store))
            let found = try store.exportOrders(since: window.since, until: window.until, afterRow: after, limit: limit + 1)
            let rows = found.prefix(limit).map { item in
                let o = item.order.order
                return OrderExportRow(
                    id: item.order.rowID, key: item.order.key, externalId: o.id, date: o.date, utcOffset: o.utcOffsetSeconds,
                    customer: o.customer, amountCents: o.amountCents, currency: o.currency, department: o.department, product: o.product,
                    extras: o.extras.sorted { $0.key < $1.key }.map { ExtraField(name: $0.key, value: $0.value) },
                    sourceFile: labeler.shownFileName(item.order.sourceFile), sourceLine: item.order.line, ingestedAt: item.order.ingestedAt,
                    attributedCents: item.attributedCents, touches: item.touches)
            }
            let more = found.count > rows.count
            return ExportPage(currency: currency, window: window, rows: Array(rows), nextAfter: more ? rows.last?.id : nil)
        })
    }
}
