import DialogCore
import DialogStore

extension IngestBatch {
    /// Stores one order, customer through the same pseudonym function as conversations; a
    /// stored order number with other content is refused like a conversation's id conflict,
    /// with the two ways to correct it (docs/spool.md "Orders").
    func insert(_ order: OrderRecord, key: String, line: Int, raw: String?, file: String, now: Int64, into result: inout FileResult) throws {
        var order = order
        if let customers, let stored = customers.stored(order.customer) { order.customer = stored }
        switch try store.ingest(order, key: key, sourceFile: file, line: line, ingestedAt: now) {
        case .stored: result.orders += 1
        case .duplicate: result.orderDuplicates += 1
        case .repeated(let first):
            result.orderDuplicates += 1
            result.repeatedOrders += 1
            if result.firstRepeatedOrder == nil { result.firstRepeatedOrder = (line, first) }
        case .amended(let replaced):
            result.ordersAmended += 1
            // The audit: what the books held before, and which row replaced it.
            let was = MoneyText.plain(replaced.order.amountCents, currency: replaced.order.currency, language: .en)
            let now = MoneyText.plain(order.amountCents, currency: order.currency, language: .en)
            result.noteAmended("order \(order.id ?? "") amended by line \(line): \(was) -> \(now) "
                + "(was \(replaced.sourceFile) line \(replaced.line), \(RFC3339.string(replaced.order.date, offset: replaced.order.utcOffsetSeconds)); "
                + "changed: \(replaced.order.differences(order).joined(separator: ", "))); its attribution is redone")
        case .conflict(let stored, let differences):
            result.conflicting += 1
            let named = OrderConflict.StoredOrder(amountCents: stored.order.amountCents, currency: stored.order.currency, date: stored.order.date,
                                                  utcOffsetSeconds: stored.order.utcOffsetSeconds, sourceFile: stored.sourceFile, line: stored.line)
            result.refused.append(RejectedRecord(rejection: OrderConflict.conflict(id: order.id ?? "", line: line, stored: named, differences: differences),
                                                 raw: raw ?? ""))
        case .unknownAmend:
            result.unknownAmends += 1
            result.refused.append(RejectedRecord(rejection: OrderConflict.unknownAmend(id: order.amends ?? "", line: line), raw: raw ?? ""))
        }
    }
}
