import DialogCore

/// What a change can move of a customer's attribution (docs/roi.md "Orders and attribution"):
/// a conversation dated d is a touch only of orders dated d … d + lookback, a new order moves
/// only its own shares; an identity rewrite (`whole`) may move any.
struct AttributionScope: Sendable {
    var whole = false
    var conversationDates: Set<Int64> = []
    var orderIDs: Set<Int64> = []
    /// The lookbacks of `conversationDates`, merged: a new date counts only the orders of what it adds.
    var spans: [ClosedRange<Int64>] = []
    var size: Int { conversationDates.count + orderIDs.count }
}

/// One change that marks a customer for attribution.
enum AttributionChange {
    case whole, conversation(date: Int64), order(id: Int64)
}

/// Keeps `order_shares` in step with the stored orders and conversations: when a customer's
/// orders or conversations change, the orders whose touches can change are attributed again
/// from the stored rows — so the figures do not depend on arrival order (an order before its
/// conversations is attributed when they arrive), and one arrival's work is bounded by the
/// orders in its lookback × `[attribution] max_touches`, whatever the customer holds.
extension ConversationStore {
    static let attributionMetaKey = "attribution_fingerprint"
    /// A customer marked with more dates and orders than this in an open transaction is attributed early.
    static let maxScopeSize = 1024

    /// Marks `customer` for attribution: at the end of the open transaction, or now outside one.
    /// A large file's open transaction attributes early when many are marked, so its memory stays
    /// bounded (attributing again later gives the same shares: they are made from the stored rows).
    func customerChanged(_ customer: String?, _ change: AttributionChange) throws {
        guard let customer else { return }
        var scope = defersAggregates ? attributionDirty[customer, default: AttributionScope()] : AttributionScope()
        switch change {
        case .whole:
            if !scope.whole, defersAggregates { attributionQueued += try queuedOrders(customer: customer) }
            scope.whole = true
        case .conversation(let date):
            if !scope.whole, scope.conversationDates.insert(date).inserted, defersAggregates {
                attributionQueued += try queuedOrders(customer: customer, adding: date, to: &scope.spans)
            }
        case .order(let id): if !scope.whole, scope.orderIDs.insert(id).inserted, defersAggregates { attributionQueued += 1 }
        }
        guard defersAggregates else { return try attribute(customer: customer, scope: scope) }
        attributionDirty[customer] = scope
        if inOpenTransaction, attributionDirty.count >= maxOpenBufferedBuckets || scope.size >= Self.maxScopeSize { try flushAttribution() }
    }

    /// The orders a new mark queues (an upper bound: an order may be queued by a change of
    /// another kind too): what the batch counts against `maxQueuedAttributions`.
    private func queuedOrders(customer: String, adding date: Int64? = nil, to spans: inout [ClosedRange<Int64>]) throws -> Int {
        guard let date else { return 0 }
        let lookback = max(0, attribution.lookbackSeconds)
        let end = date.addingReportingOverflow(lookback).overflow ? Int64.max : date + lookback
        // The parts of date … end no span covers yet.
        var uncovered: [ClosedRange<Int64>] = [date...end]
        for span in spans {
            uncovered = uncovered.flatMap { part -> [ClosedRange<Int64>] in
                guard part.overlaps(span) else { return [part] }
                var left: [ClosedRange<Int64>] = []
                if part.lowerBound < span.lowerBound { left.append(part.lowerBound...(span.lowerBound - 1)) }
                if part.upperBound > span.upperBound { left.append((span.upperBound + 1)...part.upperBound) }
                return left
            }
            if uncovered.isEmpty { break }
        }
        // Merged, so the list stays as short as the customer's distinct stretches of history.
        var merged: [ClosedRange<Int64>] = []
        for span in (spans + [date...end]).sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, span.lowerBound <= (last.upperBound == Int64.max ? Int64.max : last.upperBound + 1) {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, span.upperBound)
            } else { merged.append(span) }
        }
        spans = merged
        var count = 0
        for part in uncovered {
            count += try database.scalar("SELECT count(*) FROM orders WHERE customer = ? AND date BETWEEN ? AND ?",
                                         arguments: [customer, part.lowerBound, part.upperBound], as: Int.self) ?? 0
        }
        return count
    }

    private func queuedOrders(customer: String) throws -> Int {
        try database.scalar("SELECT count(*) FROM orders WHERE customer = ?", arguments: [customer], as: Int.self) ?? 0
    }

    /// Attributes the orders of every customer marked in this transaction.
    func flushAttribution() throws {
        attributionQueued = 0
        guard !attributionDirty.isEmpty else { return }
        let marked = attributionDirty
        attributionDirty = [:]
        for customer in marked.keys.sorted() { try attribute(customer: customer, scope: marked[customer] ?? AttributionScope(whole: true)) }
    }

    /// Attributes again the orders of `customer` that `scope` can move (all with `whole`).
    func attribute(customer: String, scope: AttributionScope = AttributionScope(whole: true), aggregates: Bool = true) throws {
        for order in try withCreditNotes(try ordersToAttribute(customer: customer, scope: scope), customer: customer, whole: scope.whole) {
            try attribute(order: order, customer: customer, aggregates: aggregates)
            attributedInTransaction += 1
            // A long run of orders writes its aggregate changes as its buffer fills: memory stays bounded.
            if aggregates { try flushAggregatesIfDue() }
        }
        // Outside a transaction at once; inside, early when the buffer reaches its bound (a streamed file of orders).
        if aggregates { try flushAggregatesIfDue() }
    }

    typealias OrderToAttribute = (id: Int64, date: Int64, amount: Int64, number: String?, credits: String?)

    static let orderToAttributeColumns = "SELECT id, date, amount_cents, external_id, json_extract(extras, '$.credits') FROM orders WHERE customer = ?"
    static func readOrderToAttribute(_ row: Row) -> OrderToAttribute {
        (id: row[0] as Int64, date: row[1] as Int64, amount: row[2] as Int64, number: row[3] as String?, credits: row[4] as String?)
    }

    /// `orders` with the credit notes that name one of them added, orders first: a credit note
    /// takes its shares from its order's, so it is attributed again whenever its order is, after it.
    private func withCreditNotes(_ orders: [OrderToAttribute], customer: String, whole: Bool) throws -> [OrderToAttribute] {
        var all = orders
        if !whole {
            let numbers = Set(orders.compactMap(\.number))
            let present = Set(orders.map(\.id))
            if !numbers.isEmpty {
                let notes = try database.fetchAll(Self.orderToAttributeColumns + " AND json_extract(extras, '$.credits') IS NOT NULL ORDER BY date, id",
                                                  arguments: [customer], Self.readOrderToAttribute)
                all += notes.filter { note in note.credits.map(numbers.contains) == true && !present.contains(note.id) }
            }
        }
        return all.filter { $0.credits == nil } + all.filter { $0.credits != nil }
    }

    /// The orders `scope` can move, by date then id: each changed conversation's lookback ahead
    /// of it (merged into spans, one indexed range each) and the new orders.
    private func ordersToAttribute(customer: String, scope: AttributionScope) throws -> [OrderToAttribute] {
        let columns = Self.orderToAttributeColumns
        let read = Self.readOrderToAttribute
        if scope.whole { return try database.fetchAll(columns + " ORDER BY date, id", arguments: [customer], read) }
        var found: [Int64: OrderToAttribute] = [:]
        let lookback = max(0, attribution.lookbackSeconds)
        var spans: [(from: Int64, to: Int64)] = []
        for date in scope.conversationDates.sorted() {
            let end = date.addingReportingOverflow(lookback).overflow ? Int64.max : date + lookback
            if let last = spans.last, date <= last.to { spans[spans.count - 1].to = max(last.to, end) } else { spans.append((date, end)) }
        }
        for span in spans {
            for order in try database.fetchAll(columns + " AND date BETWEEN ? AND ?", arguments: [customer, span.from, span.to], read) { found[order.id] = order }
        }
        for id in scope.orderIDs {
            for order in try database.fetchAll(columns + " AND id = ?", arguments: [customer, id], read) { found[order.id] = order }
        }
        return found.values.sorted { ($0.date, $0.id) < ($1.date, $1.id) }
    }

    /// Replaces the shares of one order: its touches are the customer's latest `max_touches`
    /// conversations dated order date − lookback … order date inclusive, ordered by date then
    /// key. Only shares that change are written, a zero-cent share is no row. With `aggregates`,
    /// each touch's change of share moves the aggregates under the order's hour and the touch's
    /// labels, and the order totals' unattributed cents follow.
    private func attribute(order: OrderToAttribute, customer: String, aggregates: Bool) throws {
        let (window, shares) = try order.credits.map { try creditShares(of: order, crediting: $0, customer: customer) }
            ?? (try touchShares(of: order, customer: customer))
        try write(shares: shares, of: window, order: order, aggregates: aggregates)
    }

    typealias Touch = (id: Int64, bucket: AggregateBuffer.Bucket)

    /// An order's touches (the customer's latest `max_touches` conversations in its lookback) and the model's shares.
    private func touchShares(of order: OrderToAttribute, customer: String) throws -> ([Touch], [Int64]) {
        let earliest = order.date.subtractingReportingOverflow(attribution.lookbackSeconds).overflow ? Int64.min : order.date - attribution.lookbackSeconds
        let maxTouches = max(1, attribution.maxTouches)
        let latest = try database.fetchAll("""
            SELECT c.id, c.date, \(Self.bucketColumns) FROM conversations c WHERE c.customer = ? AND c.date BETWEEN ? AND ?
            ORDER BY c.date DESC, c.key DESC LIMIT ?
            """, arguments: [customer, earliest, order.date, Int64(maxTouches)]) { row in
            (id: row[0] as Int64, date: row[1] as Int64, bucket: Self.bucket(row, from: 2))
        }
        let inLookback = Array(latest.reversed())
        let window = Array(inLookback[Attribution.touchRange(count: inLookback.count, maxTouches: maxTouches)])
        let shares = Attribution.shares(amountCents: order.amount, touchDates: window.map(\.date), orderDate: order.date, model: attribution.model)
        return (window.map { (id: $0.id, bucket: $0.bucket) }, shares)
    }

    /// A credit note that names its order: the order's touches, in the proportions of the order's
    /// stored shares, whatever the credit note's date. No shares while that order is not stored,
    /// has none, or is another customer's: the credit note is unattributed — never on another
    /// customer's conversations, nor its own by the model, so arrival order cannot move it.
    private func creditShares(of note: OrderToAttribute, crediting number: String, customer: String) throws -> ([Touch], [Int64]) {
        guard let (orderID, owner) = try database.fetchOne("SELECT id, customer FROM orders WHERE key = ? AND id != ?",
                                                           arguments: ["id:" + number, note.id], { row in (row[0] as Int64, row[1] as String) })
        else { return ([], []) }
        if owner != customer { return ([], []) }
        let given = try database.fetchAll("""
            SELECT s.conversation_id, s.share_cents, \(Self.bucketColumns) FROM order_shares s
            JOIN conversations c ON c.id = s.conversation_id WHERE s.order_id = ? ORDER BY c.date, c.key
            """, arguments: [orderID]) { row in (id: row[0] as Int64, cents: row[1] as Int64, bucket: Self.bucket(row, from: 2)) }
        let shares = Attribution.shares(amountCents: note.amount, proportionalTo: given.map(\.cents))
        return (shares.isEmpty ? [] : given.map { (id: $0.id, bucket: $0.bucket) }, shares)
    }

    /// Writes `shares` of `order` over `window`: only shares that change, a zero-cent share is no row.
    private func write(shares: [Int64], of window: [Touch], order: OrderToAttribute, aggregates: Bool) throws {
        var old: [Int64: (cents: Int64, bucket: AggregateBuffer.Bucket)] = [:]
        for share in try database.fetchAll("""
            SELECT s.conversation_id, s.share_cents, \(Self.bucketColumns) FROM order_shares s
            JOIN conversations c ON c.id = s.conversation_id WHERE s.order_id = ?
            """, arguments: [order.id], { row in (id: row[0] as Int64, cents: row[1] as Int64, bucket: Self.bucket(row, from: 2)) }) {
            old[share.id] = (share.cents, share.bucket)
        }
        let wasAttributed = try database.fetchOne("SELECT 1 FROM order_shares WHERE order_id = ? LIMIT 1", arguments: [order.id]) { _ in true } ?? false
        var isAttributed = false
        for (touch, share) in zip(window, shares) where share != 0 {
            isAttributed = true
            let before = old.removeValue(forKey: touch.id)?.cents
            guard before != share else { continue }
            if before == nil {
                let insert = try database.cachedStatement("INSERT INTO order_shares (order_id, conversation_id, order_date, share_cents) VALUES (?, ?, ?, ?)")
                try insert.bind(arguments: [order.id, touch.id, order.date, share])
                try insert.execute()
            } else {
                let update = try database.cachedStatement("UPDATE order_shares SET share_cents = ?, order_date = ? WHERE order_id = ? AND conversation_id = ?")
                try update.bind(arguments: [share, order.date, order.id, touch.id])
                try update.execute()
            }
            if aggregates { pendingAggregates.addShare(share - (before ?? 0), orderDate: order.date, touch.bucket) }
        }
        // Shares of conversations that are no touch now (or whose share is zero now) leave.
        if wasAttributed {
            let delete = try database.cachedStatement("DELETE FROM order_shares WHERE order_id = ? AND conversation_id = ?")
            for (id, share) in old {
                try delete.bind(arguments: [order.id, id])
                try delete.execute()
                if aggregates, share.cents != 0 { pendingAggregates.addShare(-share.cents, orderDate: order.date, share.bucket) }
            }
            // Rows whose conversation is gone (no join) go too.
            if !isAttributed { try database.execute("DELETE FROM order_shares WHERE order_id = ?", arguments: [order.id]) }
        }
        // Unattributed before and touched now, or the other way round: the order moves in or out of `unattributed_cents`.
        guard aggregates, isAttributed != wasAttributed else { return }
        pendingAggregates.addOrderTotals(OrderTotals(unattributedCents: isAttributed ? -order.amount : order.amount), orderDate: order.date)
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

    /// Sets `attribution`; returns true when stored shares were made with another model,
    /// lookback, half-life or touch cap (then `recompute` re-attributes). A store without orders takes it at once.
    @discardableResult
    public func adopt(_ config: AttributionConfig) throws -> Bool {
        attribution = config
        if try meta(Self.attributionMetaKey) == config.fingerprint { return false }
        if try orderCount() == 0 {
            try setMeta(Self.attributionMetaKey, config.fingerprint)
            return false
        }
        return try attributionIsStale()
    }

    /// What differs between the `[attribution]` the stored shares were made with and the adopted
    /// one (`half_life 7 days → 10 days`), for the daemon's stale warning.
    public func attributionChanges() throws -> [String] {
        attribution.changes(since: try meta(Self.attributionMetaKey) ?? AttributionConfig().fingerprint)
    }

    /// Whether the stored order shares were made with another `[attribution]` than the adopted
    /// one — what the pyramid's `stale` says too (`Database.attributionIsStale`); `recompute` fixes it.
    public func attributionIsStale() throws -> Bool {
        try database.attributionIsStale(attribution)
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
