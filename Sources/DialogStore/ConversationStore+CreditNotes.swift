import DialogCore

/// What storing an order or a credit note found about the link between them (docs/roi.md
/// "Credit notes"), for the log and the counters: findings a controller must hear about, since
/// the figures alone would show them only as revenue that moved without a reason.
public enum CreditNotice: Sendable, Equatable {
    /// A credit note names an order of another customer (whichever came first): it is stored
    /// and counts in the order totals, but takes no shares — its amount stays in `unattributed_cents`.
    case otherCustomer(order: StoredOrder, note: StoredOrder)
    /// The credit notes naming `order` (same customer) take back more than it was worth.
    case exceeding(order: StoredOrder, creditedCents: Int64, notes: [StoredOrder])
}

extension ConversationStore {
    /// The expression the credit note's link is read and indexed by (`Schema.creditNoteIndexes`):
    /// a query must write it exactly so for SQLite to use the index.
    static let creditsExpression = "json_extract(extras, '$.credits')"

    /// The stored credit notes that name order number `number`, of any customer, by date then row.
    func creditNotes(naming number: String) throws -> [StoredOrder] {
        try database.fetchAll(Self.orderSelect + " WHERE \(Self.creditsExpression) = ? AND \(Self.creditsExpression) IS NOT NULL ORDER BY date, id",
                              arguments: [number], Self.decodeOrder)
    }

    /// An order with a number just stored or amended: credit notes of other customers that
    /// name it are attributed again — to no shares (`creditShares`), they are unattributed.
    func orderArrived(_ order: OrderRecord) throws {
        guard let number = order.id else { return }
        for note in try creditNotes(naming: number) where note.order.customer != order.customer {
            try customerChanged(note.order.customer, .order(id: note.rowID))
        }
    }

    /// What the log must say after `order` was stored or amended under `key`: a credit note
    /// naming another customer's order; credit notes of other customers naming it (unless `otherCustomers` is false: an amend that
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
        if let number = order.credits, let credited = try self.order(key: "id:" + number), !credited.key.sameBytes(as: key) {
            if credited.order.customer != order.customer, let note = try self.order(key: key) {
                notices.append(.otherCustomer(order: credited, note: note))
            } else if let excess = excess(of: credited, notes: try creditNotes(naming: number)) {
                notices.append(excess)
            }
        }
        return notices
    }

    /// The credit notes among `notes` of `order`'s customer take back more than it was worth.
    private func excess(of order: StoredOrder, notes: [StoredOrder]) -> CreditNotice? {
        guard order.order.amountCents >= 0 else { return nil }
        let notes = notes.filter { $0.order.customer == order.order.customer && !$0.key.sameBytes(as: order.key) }
        let credited = notes.reduce(Int64(0)) { $0 &+ $1.order.amountCents }
        guard !notes.isEmpty, credited < 0, credited.magnitude > order.order.amountCents.magnitude else { return nil }
        return .exceeding(order: order, creditedCents: credited, notes: notes)
    }
}

/// The credit notes' audit as the store holds it now (`status`, `metrics`, docs/roi.md
/// "Credit notes"): it survives a restart and follows amends, unlike counters since start.
extension ConversationStore {
    /// Credit notes naming a stored order of another customer (unattributed), and credit notes
    /// of an order's own customer that together take back more than it was worth. Both read only the
    /// credit notes (the v11 partial indexes), each with one lookup of its order by key.
    public func creditNoteCounts() throws -> (mismatched: Int, exceeding: Int) {
        let changes = database.totalChanges
        if let cached = creditNoteCountsCache, cached.changes == changes { return cached.counts }
        let counts = try countCreditNotes()
        creditNoteCountsCache = (changes, counts)
        return counts
    }

    private func countCreditNotes() throws -> (mismatched: Int, exceeding: Int) {
        let linked = """
            FROM orders n JOIN orders o ON o.key = 'id:' || \(Self.creditsExpression.replacingOccurrences(of: "extras", with: "n.extras"))
            WHERE \(Self.creditsExpression.replacingOccurrences(of: "extras", with: "n.extras")) IS NOT NULL AND o.id != n.id
            """
        let mismatched = try database.scalar("SELECT count(*) \(linked) AND o.customer != n.customer", as: Int64.self) ?? 0
        let exceeding = try database.scalar("""
            SELECT coalesce(sum(notes), 0) FROM (SELECT o.amount_cents AS amount, sum(n.amount_cents) AS credited, count(*) AS notes
                \(linked) AND o.customer = n.customer GROUP BY o.id)
            WHERE amount >= 0 AND credited < -amount
            """, as: Int64.self) ?? 0
        return (Int(mismatched), Int(exceeding))
    }
}

extension ConversationStore {
    /// A credit note's link as stored now (`list --order`): its order's state and, when the
    /// credit notes of that order's customer take back more than it was worth, by how much.
    public func creditLink(of note: StoredOrder) throws -> (state: CreditLinkState, exceedsByCents: Int64?)? {
        guard let number = note.order.credits else { return nil }
        guard let credited = try order(key: "id:" + number), !credited.key.sameBytes(as: note.key) else { return (.notStored, nil) }
        guard credited.order.customer == note.order.customer else { return (.otherCustomer, nil) }
        guard case .exceeding(_, let creditedCents, _)? = excess(of: credited, notes: try creditNotes(naming: number)) else { return (.linked, nil) }
        let (more, overflow) = (-creditedCents).subtractingReportingOverflow(credited.order.amountCents)
        return (.linked, overflow || creditedCents == .min ? .max : more)
    }
}
