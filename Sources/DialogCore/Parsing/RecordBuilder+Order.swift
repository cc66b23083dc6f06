/// The order half of `RecordBuilder` (docs/spool.md "Orders"): a record whose `type` is
/// `order`/`Auftrag`, or any record of an orders file, becomes an `OrderRecord`. ERP/CRM column
/// names (`Kundennummer`, `Umsatz`, `Bestelldatum`, `Auftragsnummer`, …) are read only here,
/// so a conversation carrying such a column keeps it as an extra, exactly as before.
extension RecordBuilder {
    /// Whether the collected fields are an order: nil for a conversation. A `type` other than
    /// an order's in an orders file is refused, so a mislabelled export is not half counted.
    func orderType(recordLine: Int?) throws(RecordRejection) -> Bool {
        let typeField = extras.first { OrderFields.typeNames.contains(Field.normalize($0.key)) }
        guard let typeField else { return settings.ordersFile }
        let isOrder = OrderFields.orderTypes.contains(FieldValues.lowercase(typeField.value))
        if settings.ordersFile, !isOrder {
            throw RecordRejection(line: extraLines[Field.normalize(typeField.key)].flatMap { $0 > 0 ? $0 : nil } ?? recordLine,
                                  field: typeField.key, expected: "order (an orders file holds only orders) or no type",
                                  found: typeField.value)
        }
        return isOrder
    }

    /// An order field's name in messages: the column as the file wrote it (`Betrag`), else the
    /// order's own name — `amount`, never the conversation's `value` the alias shares a slot with.
    static func orderName(_ field: Field, _ written: [Field: String]) -> String {
        if let name = written[field] { return name }
        return field == .value ? "amount" : field.rawValue
    }

    /// What an order amount may look like: the canonical field when the column has another
    /// name, and the credit-note form, since an ERP's `234,56-` is refused rather than guessed.
    static func amountExpected(_ money: String, name: String) -> String {
        let field = name == "amount" ? "the order's amount" : "the order's \"amount\""
        return "\(field): \(money); a credit note negative, like -1.234,56 € or -1234.56"
    }

    /// Builds the order from the collected fields; a conversation-only field is kept as an extra.
    func finishOrder(recordLine: Int?) throws(RecordRejection) -> OrderRecord {
        var rest = extras
        var found: [Field: (text: String, line: Int?, number: Bool, name: String)] = [:]
        for field in [Field.id, .date, .customer, .value, .department] {
            if let slot = slots[field.ordinal] {
                switch slot.value {
                case .text(let t): found[field] = (t.trimmingWhitespace(), slot.line, false, Self.orderName(field, writtenNames))
                case .number(let n): found[field] = (n, slot.line, true, Self.orderName(field, writtenNames))
                case .null: break
                default:
                    throw RecordRejection(line: slot.line ?? recordLine, field: Self.orderName(field, writtenNames), expected: "text or a number",
                                          found: slot.value.foundDescription)
                }
            }
        }
        for (name, value) in extras {
            let folded = Field.normalize(name)
            if OrderFields.typeNames.contains(folded) {
                rest[name] = nil
                continue
            }
            guard let field = OrderFields.aliases[folded] else { continue }
            let line = extraLines[folded].flatMap { $0 > 0 ? $0 : nil }
            if let first = found[field] {
                let at = first.line.map { " (already given as \"\(first.name)\" on line \($0))" } ?? " (already given as \"\(first.name)\")"
                throw RecordRejection(line: line ?? recordLine, field: name, expected: "each field only once\(at)", found: "a second \(field == .value ? "amount" : field.rawValue)")
            }
            found[field] = (value, line, false, name)
            rest[name] = nil
        }
        func required(_ field: Field, _ what: String) throws(RecordRejection) -> (text: String, line: Int?, number: Bool, name: String) {
            guard let value = found[field], !value.text.isEmpty else {
                throw RecordRejection(line: recordLine, field: field == .value ? "amount" : field.rawValue, expected: what + " (the order has none)")
            }
            return value
        }
        func fail(_ value: (text: String, line: Int?, number: Bool, name: String), _ expected: String) -> RecordRejection {
            RecordRejection(line: value.line ?? recordLine, field: value.name, expected: expected, found: value.text)
        }

        let dateValue = try required(.date, "a \"date\" field saying when the order was placed")
        let date: ParsedDate
        do { date = try DateParser.parseOrThrow(dateValue.text, timeZone: settings.timeZone) } catch { throw fail(dateValue, error.expected) }
        guard date.seconds >= earliest, date.seconds <= latest else {
            throw fail(dateValue, "a date within \(settings.maxPastDays) days before and \(settings.maxFutureDays) days after now")
        }
        let customer = try required(.customer, "a \"customer\" field (customer number, e-mail or handle) to match the order to conversations")
        guard customer.text.utf8.count <= settings.maxFieldBytes else { throw fail(customer, "a customer of at most \(settings.maxFieldBytes) bytes") }
        let amountValue = try required(.value, "an \"amount\" field (money; negative for a credit note)")
        var cents: Int64
        var code: String? = nil
        do {
            if amountValue.number {
                cents = try MoneyParser.parseJSONNumber(amountValue.text)
            } else {
                let money = try MoneyParser.parseOrThrow(amountValue.text)
                (cents, code) = (money.cents, money.currency)
            }
        } catch { throw fail(amountValue, Self.amountExpected(error.expected, name: amountValue.name)) }
        if let code, code != currency { throw fail(amountValue, "an amount in \(currency)") }
        guard cents.magnitude <= settings.maxValueCents.magnitude else {
            throw fail(amountValue, "an amount of at most \(MoneyFormat.units(settings.maxValueCents)) \(currency)")
        }
        // A date without a time is the whole day: the order counts the conversations of its day.
        let end = date.dayEnd ?? .init(seconds: date.seconds, utcOffsetSeconds: date.utcOffsetSeconds)
        var order = OrderRecord(date: end.seconds, utcOffsetSeconds: end.utcOffsetSeconds, customer: customer.text,
                                amountCents: cents, currency: currency)
        if date.dayEnd != nil { order.writtenDate = date.seconds }
        if let id = found[.id], !id.text.isEmpty {
            guard FieldValues.isToken(id.text, maxCharacters: 200) else { throw fail(id, "an order number of at most 200 characters without spaces or invisible characters") }
            order.id = id.text
        }
        if let slot = slots[Field.amends.ordinal] {
            let amends: String
            switch slot.value {
            case .text(let t): amends = t.trimmingWhitespace()
            case .number(let n): amends = n
            case .null: amends = ""
            default: throw RecordRejection(line: slot.line ?? recordLine, field: "amends", expected: "the order number of the stored order this row corrects",
                                           found: slot.value.foundDescription)
            }
            if !amends.isEmpty {
                let value = (text: amends, line: slot.line, number: false, name: "amends")
                guard FieldValues.isToken(amends, maxCharacters: 200) else {
                    throw fail(value, "the order number of the stored order this row corrects (at most 200 characters, no spaces or invisible characters)")
                }
                // An amend keeps the order number it corrects; another number would be a second order.
                // Numbers are keys: compared as bytes ("é" and "e" + U+0301 are two orders).
                if let id = order.id, !id.sameBytes(as: amends) { throw fail(value, "the row's own order number \"\(id)\" (an amend replaces the stored order with that number)") }
                order.id = amends
                order.amends = amends
            }
        }
        if let link = rest.first(where: { OrderFields.creditsNames.contains(Field.normalize($0.key)) }) {
            rest[link.key] = nil
            let text = link.value.trimmingWhitespace()
            let value = (text: text, line: extraLines[Field.normalize(link.key)].flatMap { $0 > 0 ? $0 : nil }, number: false, name: link.key)
            if !text.isEmpty {
                guard FieldValues.isToken(text, maxCharacters: 200) else {
                    throw fail(value, "the order number of the order this credit note takes back (at most 200 characters, no spaces or invisible characters)")
                }
                guard cents < 0 else { throw fail(value, "no order named on a positive amount (only a credit note, a negative amount, credits an order)") }
                if let id = order.id, id.sameBytes(as: text) { throw fail(value, "the number of another order (a credit note cannot credit itself)") }
                rest[OrderRecord.creditsKey] = text
            }
        }
        if let department = found[.department], !department.text.isEmpty {
            order.department = MappedLabel.map(department.text, .department, vocabulary: settings.vocabulary,
                                               normalized: FieldValues.label(department.text)).label
        }
        if let product = rest.first(where: { OrderFields.productNames.contains(Field.normalize($0.key)) }) {
            order.product = product.value.isEmpty ? nil : product.value
            rest[product.key] = nil
        }
        // Conversation fields an order does not use are kept as written, like unknown columns.
        for field in Field.allCases where ![.id, .date, .customer, .value, .department, .amends].contains(field) {
            guard let slot = slots[field.ordinal] else { continue }
            switch slot.value {
            case .text(let t) where !t.trimmingWhitespace().isEmpty: rest[field.rawValue] = t.trimmingWhitespace()
            case .number(let n): rest[field.rawValue] = n
            case .list(let items): rest[field.rawValue] = items.joined(separator: ", ")
            default: break
            }
        }
        order.extras = rest
        return order
    }
}
