/// Orders in `export` (docs/roi.md "Tracing a figure"): a row with `type` `order` becomes a
/// `type: order` record of docs/spool.md "Orders", which the daemon ingests to the same order
/// (the same number, date, customer as stored and amount: a duplicate in the store it came from).
extension ExportFormat {
    /// Whether `row` is an order (`OrderExportRow`), not a conversation.
    public static func isOrder(_ row: [String: JSONValue]) -> Bool { row["type"] == .string("order") }

    /// The order as a record line: `type`, `id`, `date`, `customer`, `amount` (with its currency),
    /// `department`, `product` and its other fields as written. Its shares are derived again on
    /// ingest, so the line carries no figure of its own.
    public static func orderLine(_ row: [String: JSONValue]) -> String {
        var members: [(String, JSONValue)] = [("type", .string("order"))]
        func put(_ name: String, _ value: JSONValue?) { if let value, value != .null { members.append((name, value)) } }
        put("id", row["external_id"])
        put("date", date(row).map(JSONValue.string))
        put("customer", row["customer"])
        if let cents = cents(row["amount_cents"]) {
            let currency = row["currency"].map(text).map { " " + $0 } ?? ""
            put("amount", .string(MoneyText.decimal(cents, mark: ".") + currency))
        }
        put("department", row["department"])
        put("product", row["product"])
        var names = Set(members.map(\.0))
        if case .array(let extras)? = row["extras"] {
            for case .object(let pair) in extras {
                guard case .string(let name)? = pair.first(where: { $0.key == "name" })?.value,
                      let value = pair.first(where: { $0.key == "value" })?.value, !names.contains(name) else { continue }
                names.insert(name)
                put(name, value)
            }
        }
        return JSONValue.object(members.map { JSONMember(key: $0.0, value: $0.1, line: 0) }).serialized + "\n"
    }
}
