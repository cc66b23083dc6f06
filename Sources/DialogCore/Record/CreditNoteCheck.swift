/// What dialogd says about a credit note's link to its order (docs/roi.md "Credit notes"): the
/// refusal of a link to another customer's order, and the warnings a controller needs when
/// the figures alone would only show revenue moving. Customers are never named (not even
/// pseudonyms): the order numbers and where each row came from are enough to find them.
public enum CreditNoteCheck {
    /// Where a row came from: its order number (or record key) and file line.
    public struct Row: Sendable, Equatable {
        public var number: String?
        public var key: String
        public var sourceFile: String
        public var line: Int

        public init(number: String?, key: String, sourceFile: String, line: Int) {
            self.number = number
            self.key = key
            self.sourceFile = sourceFile
            self.line = line
        }

        /// `A-1-G` or, without an order number, its record key.
        var name: String { number ?? key }
        var origin: String { "\(sourceFile) line \(line)" }
    }

    /// A credit note whose `credits` names a stored order of another customer: refused, nothing stored.
    public static func otherCustomer(number: String, line: Int?, order: Row) -> RecordRejection {
        RecordRejection(
            line: line, field: OrderRecord.creditsKey, expected: "the order number of an order of the same customer", found: number,
            detail: "order ID belongs to another customer: order \(number) is stored (from \(order.origin)) for another customer than this "
                + "credit note's, and a credit note takes back only its own customer's order. Check the customer and the order number; "
                + "a credit note without \"credits\" (German \"Gutschrift zu\") is attributed to its own customer's conversations")
    }

    /// A credit note stored before its order names it, and the order is of another customer.
    public static func otherCustomerWarning(order: Row, note: Row) -> String {
        "order \(order.name) (key \(order.key), \(order.origin)) belongs to another customer than the credit note \(note.name) "
            + "(key \(note.key), \(note.origin)) that names it in \"credits\": the credit note does not take back that order's shares; "
            + "it is attributed to its own customer's conversations in its lookback (as a credit note without \"credits\") — check both rows"
    }

    /// The credit notes naming an order (same customer) take back more than it was worth.
    public static func exceedingWarning(order: Row, orderCents: Int64, creditedCents: Int64, currency: String, notes: [Row]) -> String {
        let named = notes.suffix(3).map { "\($0.name) (\($0.origin))" }.joined(separator: ", ")
        let more = notes.count > 3 ? " and \(notes.count - 3) more" : ""
        return "credit note(s) \(named)\(more) take back \(MoneyText.plain(creditedCents == .min ? .max : -creditedCents, currency: currency, language: .en)) "
            + "of order \(order.name) (\(order.origin)), more than its order's \(MoneyText.plain(orderCents, currency: currency, language: .en)): "
            + "stored and attributed as written (its touches give back more than they were credited) — check the credit note's amount"
    }
}
