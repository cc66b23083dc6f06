/// One stored order as `export` sends it with `orders` (docs/protocol.md `export`): the order
/// as stored (customer as stored: its pseudonym) and the cents its shares credited, so attributed
/// revenue can be re-added outside the daemon and the jsonl line re-ingests to the same order.
public struct OrderExportRow: Codable, Sendable, Equatable {
    public var type = "order"
    public var id: Int64
    public var key: String
    /// The order number, absent for an order stored without one.
    public var externalId: String?
    public var date: Int64
    public var utcOffset: Int32
    public var customer: String
    public var amountCents: Int64
    public var currency: String
    public var department: String?
    public var product: String?
    public var extras: [ExtraField]
    public var sourceFile: String
    public var sourceLine: Int
    public var ingestedAt: Int64
    /// Sum of its shares: the amount when it has a touch, else 0 (unattributed).
    public var attributedCents: Int64
    /// Conversations it credited.
    public var touches: Int

    public init(id: Int64, key: String, externalId: String?, date: Int64, utcOffset: Int32, customer: String, amountCents: Int64,
                currency: String, department: String?, product: String?, extras: [ExtraField], sourceFile: String, sourceLine: Int,
                ingestedAt: Int64, attributedCents: Int64, touches: Int) {
        self.id = id; self.key = key; self.externalId = externalId; self.date = date; self.utcOffset = utcOffset
        self.customer = customer; self.amountCents = amountCents; self.currency = currency; self.department = department
        self.product = product; self.extras = extras; self.sourceFile = sourceFile; self.sourceLine = sourceLine
        self.ingestedAt = ingestedAt; self.attributedCents = attributedCents; self.touches = touches
    }

    enum CodingKeys: String, CodingKey {
        case type, id, key, date, customer, currency, department, product, extras, touches
        case externalId = "external_id", utcOffset = "utc_offset", amountCents = "amount_cents", sourceFile = "source_file"
        case sourceLine = "source_line", ingestedAt = "ingested_at", attributedCents = "attributed_cents"
    }
}
