/// One order (or credit note) from an ERP or CRM export, after parsing (docs/spool.md
/// "Orders"): real revenue that `[attribution]` credits to the conversations with the same
/// customer before it (docs/roi.md). Stored in its own table, never counted as a conversation.
public struct OrderRecord: Sendable, Equatable {
    /// The writer's order number (`Auftragsnummer`), when given: the idempotency key.
    public var id: String?
    /// When the order was placed, Unix seconds (UTC).
    public var date: Int64
    public var utcOffsetSeconds: Int32
    /// Required: an order is matched to conversations by its customer (pseudonymized before storage).
    public var customer: String
    /// Integer cents; negative for a credit note.
    public var amountCents: Int64
    public var currency: String
    public var department: String?
    public var product: String?
    /// Fields dialogd does not read for orders, kept for traceability.
    public var extras: [String: String]
    /// The order number of a stored order this row replaces (docs/spool.md "Orders": correcting
    /// an order); then `id` is that number. Not content: it is not stored and not compared.
    public var amends: String?
    /// Set for an order read from a date without a time (`27.11.2026`): the instant of local
    /// midnight as written, while `date` is the end of that day (docs/roi.md "Date-only orders").
    /// The key and conflicts compare the date as written, so an export read before stays a duplicate.
    public var writtenDate: Int64?

    /// The canonical extras name of the link from a credit note to the order it credits.
    public static let creditsKey = "credits"
    /// The order number of the order this credit note takes back (`credits`, German
    /// `Gutschrift zu`): its shares follow that order's (docs/roi.md "Credit notes"). Kept in
    /// `extras` under `credits`, so the link needs no schema change.
    public var credits: String? { extras[Self.creditsKey] }

    public init(id: String? = nil, date: Int64, utcOffsetSeconds: Int32 = 0, customer: String, amountCents: Int64,
                currency: String, department: String? = nil, product: String? = nil, extras: [String: String] = [:]) {
        self.id = id
        self.date = date
        self.utcOffsetSeconds = utcOffsetSeconds
        self.customer = customer
        self.amountCents = amountCents
        self.currency = currency
        self.department = department
        self.product = product
        self.extras = extras
    }

    /// `id:` + the order number, else `sha256:` + SHA-256 of the order's content (as written,
    /// before the customer is pseudonymized), so dropping an export twice stores it once.
    public var key: String {
        if let id { return "id:" + id }
        var text = "order\u{0}\(writtenDate ?? date)\u{0}\(utcOffsetSeconds)\u{0}\(customer)\u{0}\(amountCents)\u{0}\(currency)\u{0}"
        text += (department ?? "") + "\u{0}" + (product ?? "") + "\u{0}"
        for (name, value) in extras.sorted(by: { $0.key < $1.key }) { text += name + "\u{1}" + value + "\u{0}" }
        return "sha256:" + SHA256.hex(text)
    }

    /// The fields in which `other` differs, for a conflict's reason.
    public func differences(_ other: OrderRecord) -> [String] {
        var out: [String] = []
        // A date-only row read today (end of day) is the same date as that row stored at midnight before.
        let sameWritten = writtenDate.map { $0 == other.date || $0 == other.writtenDate } ?? (other.writtenDate == date)
        if !sameWritten, date != other.date || utcOffsetSeconds != other.utcOffsetSeconds { out.append("date") }
        // Text by bytes, as a conversation's content (`RecordContent`) and the store compare it:
        // a product written "Müller-Paket" composed, then decomposed, is a change, not a duplicate.
        func differ(_ a: String?, _ b: String?) -> Bool { a.map { x in b.map { !x.sameBytes(as: $0) } ?? true } ?? (b != nil) }
        if differ(customer, other.customer) { out.append("customer") }
        if amountCents != other.amountCents || currency != other.currency { out.append("amount") }
        if differ(department, other.department) { out.append("department") }
        if differ(product, other.product) { out.append("product") }
        if extras.count != other.extras.count || extras.contains(where: { differ($0.value, other.extras[$0.key]) }) { out.append("extras") }
        return out
    }
}

/// How an order is recognised and read (docs/spool.md "Orders").
public enum OrderFields {
    /// `type` values that make a record an order (folded: lowercase).
    public static let orderTypes: Set<String> = ["order", "auftrag", "bestellung"]
    /// Names of the `type` field (normalized as `Field.normalize` does).
    static let typeNames: Set<String> = ["type", "typ", "record_type"]
    /// ERP/CRM export columns, read only for orders (a conversation keeps them as extras).
    static let aliases: [String: Field] = [
        "kundennummer": .customer, "kundennr": .customer, "customer_id": .customer, "customer_number": .customer,
        "umsatz": .value, "total": .value, "order_total": .value,
        "bestelldatum": .date, "order_date": .date, "auftragsdatum": .date,
        "auftragsnummer": .id, "order_id": .id, "bestellnummer": .id, "order_number": .id,
    ]
    static let productNames: Set<String> = ["product", "produkt", "artikel", "item"]
    /// Names of the credit note's link to the order it credits (normalized), kept as `credits`.
    static let creditsNames: Set<String> = ["credits", "credit_for", "credited_order", "gutschrift_zu", "gutschrift_für", "storno_zu"]

    /// The order columns (date, customer, amount, under any of their names) a CSV header lacks.
    static func missingColumns(_ keys: [FieldKey]) -> [String] {
        var present: Set<Field> = []
        for key in keys {
            switch key {
            case .known(let field): present.insert(field)
            case .extra(let name): if let field = aliases[Field.normalize(name)] { present.insert(field) }
            }
        }
        return [(Field.date, "date"), (.customer, "customer"), (.value, "amount")].filter { !present.contains($0.0) }.map(\.1)
    }

    /// Whether a CSV header has a `type` column (its rows may be orders).
    static func hasTypeColumn(_ keys: [FieldKey]) -> Bool {
        keys.contains { if case .extra(let name) = $0 { typeNames.contains(Field.normalize(name)) } else { false } }
    }

    /// `NAME.orders.csv`, `NAME.orders.jsonl` (case-insensitive): every record is an order.
    public static func isOrdersFile(_ fileName: String) -> Bool {
        let low = fileName.lowercased()
        return [".orders.csv", ".orders.jsonl", ".orders.ndjson"].contains { low.hasByteSuffix($0) && low.utf8.count > $0.utf8.count }
    }
}
