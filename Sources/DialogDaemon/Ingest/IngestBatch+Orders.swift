import DialogCore
import DialogStore

extension IngestBatch {
    /// Stores one order, customer through the same pseudonym function as conversations; a
    /// stored order number with other content is refused like a conversation's id conflict,
    /// with the two ways to correct it (docs/spool.md "Orders").
    func insert(_ order: OrderRecord, key: String, line: Int, raw: String?, file: String, now: Int64, into result: inout FileResult) throws {
        var order = order
        if let customers, let stored = customers.stored(order.customer) { order.customer = stored }
        if try store.isForgotten(stored: order.customer) {
            // A customer `forget` erased: the erased order again is a duplicate; a new one is stored as `forget` leaves orders.
            result.forgottenRecords += 1
            if try store.forgottenLabel(ofOrderKey: key) != nil {
                result.orderDuplicates += 1
                return
            }
            order = Self.erased(order, label: result.erasedLabel(for: order.customer))
        }
        let outcome = try store.ingest(order, key: key, sourceFile: file, line: line, ingestedAt: now)
        switch outcome {
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
        case .tooManyOrders(let count):
            let attribution = store.attribution
            result.refused.append(RejectedRecord(rejection: OrderConflict.tooManyOrders(line: line, count: count, maxOrders: attribution.maxOrders,
                                                                                        lookbackSeconds: attribution.lookbackSeconds), raw: raw ?? ""))
        }
        switch outcome {
        case .stored: try warnAboutCreditNotes(after: order, key: key, otherCustomers: true, into: &result)
        case .amended(let replaced): try warnAboutCreditNotes(after: order, key: key, otherCustomers: replaced.order.customer != order.customer, into: &result)
        default: break
        }
    }

    /// The log's warnings and the counters for credit notes the stored order or credit note
    /// is linked to (docs/roi.md "Credit notes"): another customer's order, more than the order.
    private func warnAboutCreditNotes(after order: OrderRecord, key: String, otherCustomers: Bool, into result: inout FileResult) throws {
        for notice in try store.creditNotices(after: order, key: key, otherCustomers: otherCustomers) {
            switch notice {
            case .otherCustomer(let stored, let note):
                result.creditNotesMismatched += 1
                result.warnCreditNote(CreditNoteCheck.otherCustomerWarning(order: Self.row(stored), note: Self.row(note)))
            case .exceeding(let stored, let credited, let notes):
                result.creditNotesExceeding += 1
                result.warnCreditNote(CreditNoteCheck.exceedingWarning(order: Self.row(stored), orderCents: stored.order.amountCents,
                                                                       creditedCents: credited, currency: stored.order.currency, notes: notes.map(Self.row)))
            }
        }
    }

    static func row(_ order: StoredOrder) -> CreditNoteCheck.Row {
        CreditNoteCheck.Row(number: order.order.id, key: order.key, sourceFile: order.sourceFile, line: order.line)
    }
}
