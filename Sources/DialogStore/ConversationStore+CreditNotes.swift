import DialogCore

/// What storing an order or a credit note found about the link between them (docs/roi.md
/// "Credit notes"), for the log and the counters: findings a controller must hear about, since
/// the figures alone would show them only as revenue that moved without a reason.
public enum CreditNotice: Sendable, Equatable {
    /// A credit note stored before its order names an order of another customer: it is
    /// attributed by its own touches (the unlinked rule), not the other customer's shares.
    case otherCustomer(order: StoredOrder, note: StoredOrder)
    /// The credit notes naming `order` (same customer) take back more than it was worth.
    case exceeding(order: StoredOrder, creditedCents: Int64, notes: [StoredOrder])
}

extension ConversationStore {
    /// The expression the credit note's link is read and indexed by (`Schema.creditNoteIndexes`):
    /// a query must write it exactly so for SQLite to use the index.
    static let creditsExpression = "json_extract(extras, '$.credits')"

    /// A credit note naming a stored order of another customer is refused (`.creditsOtherCustomer`);
    /// nil lets it go on. A credit note already stored under `key` (a re-ingest, a conflict)
    /// is judged by its key, as before: only what would be written is checked.
    func creditRefusal(_ note: OrderRecord, key: String) throws -> OrderIngestOutcome? {
        guard let number = note.credits else { return nil }
        if note.amends == nil, try order(key: key) != nil { return nil }
        guard let credited = try order(key: "id:" + number), credited.key != key, credited.order.customer != note.customer else { return nil }
        return .creditsOtherCustomer(credited)
    }

    /// The stored credit notes that name order number `number`, of any customer, by date then row.
    func creditNotes(naming number: String) throws -> [StoredOrder] {
        try database.fetchAll(Self.orderSelect + " WHERE \(Self.creditsExpression) = ? AND \(Self.creditsExpression) IS NOT NULL ORDER BY date, id",
                              arguments: [number], Self.decodeOrder)
    }

    /// An order with a number just stored or amended: credit notes of other customers that
    /// named it before it came are attributed again — by their own touches now, no longer
    /// waiting for it (`creditShares`).
    func orderArrived(_ order: OrderRecord) throws {
        guard let number = order.id else { return }
        for note in try creditNotes(naming: number) where note.order.customer != order.customer {
            try customerChanged(note.order.customer, .order(id: note.rowID))
        }
    }

    /// What the log and the counters must say after `order` was stored or amended under `key`:
    /// credit notes of other customers naming it (unless `otherCustomers` is false: an amend that
    /// kept the customer, those were said when the order came), and credit notes taking back more than their order.
    public func creditNotices(after order: OrderRecord, key: String, otherCustomers: Bool = true) throws -> [CreditNotice] {
        var notices: [CreditNotice] = []
        if let number = order.id {
            let notes = try creditNotes(naming: number)
            if !notes.isEmpty, let stored = try self.order(key: key) {
                notices += notes.filter { otherCustomers && $0.order.customer != order.customer }.map { .otherCustomer(order: stored, note: $0) }
                if order.credits == nil, let excess = excess(of: stored, notes: notes) { notices.append(excess) }
            }
        }
        if let number = order.credits, let credited = try self.order(key: "id:" + number), let excess = excess(of: credited, notes: try creditNotes(naming: number)) {
            notices.append(excess)
        }
        return notices
    }

    /// The credit notes among `notes` of `order`'s customer take back more than it was worth.
    private func excess(of order: StoredOrder, notes: [StoredOrder]) -> CreditNotice? {
        guard order.order.amountCents >= 0 else { return nil }
        let notes = notes.filter { $0.order.customer == order.order.customer && $0.key != order.key }
        let credited = notes.reduce(Int64(0)) { $0 &+ $1.order.amountCents }
        guard !notes.isEmpty, credited < 0, credited.magnitude > order.order.amountCents.magnitude else { return nil }
        return .exceeding(order: order, creditedCents: credited, notes: notes)
    }
}
