/// The refusals of an order whose number the store already holds (docs/spool.md "Orders":
/// correcting an order): like `IdConflict` for conversations they name the stored order and say
/// what to do, because the ERP admin who dropped the export cannot read the database.
public enum OrderConflict {
    /// The stored order a refusal names: what the books already hold and where it came from.
    public struct StoredOrder: Sendable, Equatable {
        public var amountCents: Int64
        public var currency: String
        public var date: Int64
        public var utcOffsetSeconds: Int32
        public var sourceFile: String
        public var line: Int

        public init(amountCents: Int64, currency: String, date: Int64, utcOffsetSeconds: Int32, sourceFile: String, line: Int) {
            self.amountCents = amountCents
            self.currency = currency
            self.date = date
            self.utcOffsetSeconds = utcOffsetSeconds
            self.sourceFile = sourceFile
            self.line = line
        }
    }

    /// Same order number, other content: refused, the stored order stays as it is. The two
    /// corrections an accountant knows: replace the order (`amends`) or book a credit note.
    public static func conflict(id: String, line: Int?, stored: StoredOrder, differences: [String]) -> RecordRejection {
        let amount = MoneyText.plain(stored.amountCents, currency: stored.currency, language: .en)
        let placed = RFC3339.string(stored.date, offset: stored.utcOffsetSeconds)
        return RecordRejection(
            line: line, field: "id", expected: "an order number that is not stored yet, or an amend", found: id,
            detail: "order \(id) is already stored with \(amount) (\(placed), from \(stored.sourceFile) line \(stored.line)); "
                + "this row differs in \(differences.joined(separator: ", ")). To correct it, drop the corrected row with amends=\(id) "
                + "(an \"amends\" column or field; German \"korrigiert\"): it replaces the stored order and its attribution; "
                + "or book a credit note: a row with its own order number and a negative amount")
    }

    /// An order of a customer who already has `count` orders dated within `lookback` before or
    /// after it (`[attribution] max_orders`): refused, so no arriving conversation of that
    /// customer re-attributes without bound. The customer is not named (the raw row is beside it).
    public static func tooManyOrders(line: Int?, count: Int, maxOrders: Int, lookbackSeconds: Int64) -> RecordRejection {
        let span = DurationFormat.describe(lookbackSeconds)
        return RecordRejection(
            line: line, field: "customer",
            expected: "at most \(maxOrders) orders of one customer dated within \(span) (the [attribution] lookback) before or after each other",
            detail: "this customer already has \(count) stored orders dated within \(span) of this one, and every conversation of a customer "
                + "re-attributes its orders, so more would stall ingestion ([attribution] max_orders). If these are real orders, raise "
                + "max_orders in dialogd.conf, reload, and drop the refused rows again")
    }

    /// An amend of an order number the store does not hold: refused, nothing is stored.
    public static func unknownAmend(id: String, line: Int?) -> RecordRejection {
        RecordRejection(
            line: line, field: "amends", expected: "the order number of a stored order", found: id,
            detail: "no order with this number is stored, so there is nothing to replace; to store it as a new order, send it without \"amends\"")
    }
}
