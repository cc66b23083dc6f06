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

    public init(id: String?, key: String, date: Int64, utcOffset: Int32, amountCents: Int64, currency: String, touches: Int) {
        self.id = id; self.key = key; self.date = date; self.utcOffset = utcOffset
        self.amountCents = amountCents; self.currency = currency; self.touches = touches
    }

    enum CodingKeys: String, CodingKey {
        case id, key, date, currency, touches
        case utcOffset = "utc_offset", amountCents = "amount_cents"
    }
}
