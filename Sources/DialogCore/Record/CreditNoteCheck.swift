/// What dialogd says about a credit note's link to its order (docs/roi.md "Credit notes"): the
/// warnings a controller needs when the figures alone would only show revenue moving. Customers are never named (not even
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

    /// A credit note names an order of another customer (whichever arrived first, or after an amend).
    public static func otherCustomerWarning(order: Row, note: Row) -> String {
        "order \(order.name) (key \(order.key), \(order.origin)) belongs to another customer than the credit note \(note.name) "
            + "(key \(note.key), \(note.origin)) that names it in \"credits\": the credit note is stored and counts in the order totals, "
            + "but takes no shares of that order nor of any conversation — its amount is unattributed (unattributed_cents) — check both rows"
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
