/// The order `list --order` shows the split of (docs/protocol.md `list`): its rows'
/// `attributed_cents` are this order's shares only, and add up to `amount_cents` when it has touches.
public struct ListedOrder: Codable, Sendable, Equatable {
    /// The order number, absent for an order stored without one (then `key` names it).
    public var id: String?
    public var key: String
    public var date: Int64
    public var utcOffset: Int32
    public var amountCents: Int64
    public var currency: String
    /// Conversations credited by it (rows with a share); 0: no conversation before it.
    public var touches: Int
    /// A credit note: the order number it names in `credits`, and what became of that link
    /// (docs/roi.md "Credit notes") — the audit a controller reads from the store, not the log.
    public var credits: String?
    public var creditState: CreditLinkState?
    /// The credit notes naming that order (this one with the others) take back this much more than it was worth.
    public var exceedsByCents: Int64?

    public init(id: String?, key: String, date: Int64, utcOffset: Int32, amountCents: Int64, currency: String, touches: Int) {
        self.id = id; self.key = key; self.date = date; self.utcOffset = utcOffset
        self.amountCents = amountCents; self.currency = currency; self.touches = touches
    }

    enum CodingKeys: String, CodingKey {
        case id, key, date, currency, touches, credits
        case utcOffset = "utc_offset", amountCents = "amount_cents", creditState = "credit_state", exceedsByCents = "exceeds_by_cents"
    }
}

/// What a credit note's `credits` link is in the store now.
public enum CreditLinkState: String, Codable, Sendable, Equatable {
    /// Its own customer's stored order: it takes back that order's shares.
    case linked
    /// A stored order of another customer: no shares, its amount is unattributed.
    case otherCustomer = "other_customer"
    /// No stored order has that number: no shares, its amount is unattributed.
    case notStored = "not_stored"
}
