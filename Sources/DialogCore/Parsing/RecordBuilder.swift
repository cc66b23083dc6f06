import Foundation

/// Collects the fields of one record from any format and turns them into a validated
/// `ConversationRecord`; reused across records of a file so slots are allocated once.
struct RecordBuilder {
    struct Slot {
        var value: RawValue
        var line: Int?
    }

    let settings: ParseSettings
    let currency: String
    let earliest: Int64
    let latest: Int64
    var slots: [Slot?]
    /// Extras under their names as written (trimmed): a CRM's `Contact Phone Number` stays that.
    var extras: [String: String] = [:]
    /// Line of each extra by folded name, so `x-cmd` and `X_CMD` in one record are one field given twice.
    var extraLines: [String: Int] = [:]
    /// Known fields under the name the file gave them (a CSV header's `Betrag`), set once per
    /// file where the format has a header; an order's messages name the column as written.
    var writtenNames: [Field: String] = [:]
    /// The reserved `dialogd` member (an export's derived figures, `ShippedCopy`), read in `finish`.
    private var shippedSlot: Slot?
    /// Warnings about the record `finish` built last (e.g. an approximate value), for the file's warnings.
    private(set) var notes: [String] = []
    /// The order `finish` built last, when the record was one (its returned conversation then
    /// only carries the order's date and customer).
    private(set) var order: OrderRecord?

    init(settings: ParseSettings) {
        self.settings = settings
        self.currency = settings.currency.uppercased()
        // Saturating, so an absurd configuration cannot trap.
        let past = Int64(clamping: settings.maxPastDays).multipliedReportingOverflow(by: 86_400)
        let future = Int64(clamping: settings.maxFutureDays).multipliedReportingOverflow(by: 86_400)
        let e = settings.now.subtractingReportingOverflow(past.overflow ? .max : past.partialValue)
        let l = settings.now.addingReportingOverflow(future.overflow ? .max : future.partialValue)
        self.earliest = e.overflow ? .min : e.partialValue
        self.latest = l.overflow ? .max : l.partialValue
        self.slots = Array(repeating: nil, count: Field.allCases.count)
    }

    mutating func reset() {
        for k in slots.indices { slots[k] = nil }
        if !notes.isEmpty { notes.removeAll() }
        shippedSlot = nil
        // An empty extra cell is noted in `extraLines` without a value in `extras`: both are cleared.
        if !extras.isEmpty || !extraLines.isEmpty { extras.removeAll(keepingCapacity: true); extraLines.removeAll(keepingCapacity: true) }
    }

    /// Adds one field; a field given twice (also via an alias) is refused with both lines.
    mutating func add(_ key: FieldKey, _ value: RawValue, line: Int?) throws(RecordRejection) {
        switch key {
        case .known(let field):
            if let old = slots[field.ordinal] {
                throw duplicate(field.rawValue, first: old.line, again: line)
            }
            if case .null = value { return }
            slots[field.ordinal] = Slot(value: value, line: line)
        case .extra(let name):
            guard !name.isEmpty else { return }
            let folded = Field.normalize(name)
            if folded == ShippedCopy.member {
                if let old = shippedSlot { throw duplicate(name, first: old.line, again: line) }
                shippedSlot = Slot(value: value, line: line)
                return
            }
            if extraLines[folded] != nil {
                throw duplicate(name, first: extraLines[folded], again: line)
            }
            extraLines[folded] = line ?? 0
            let text: String
            switch value {
            case .null: return
            case .text(let s): text = s.trimmingWhitespace()
            case .number(let n): text = n
            case .bool(let b): text = b ? "true" : "false"
            case .list(let items): text = items.joined(separator: ", ")
            case .structured(_, let json): text = json
            }
            guard text.utf8.count <= settings.maxFieldBytes else {
                throw tooLong(name, line: line, bytes: text.utf8.count)
            }
            extras[name] = text
        }
    }

    private func duplicate(_ name: String, first: Int?, again: Int?) -> RecordRejection {
        let where_ = first.map { $0 > 0 ? " (already given on line \($0))" : "" } ?? ""
        return RecordRejection(line: again, field: name, expected: "each field only once\(where_)", found: "a second \"\(name)\"")
    }

    private func tooLong(_ name: String, line: Int?, bytes: Int) -> RecordRejection {
        RecordRejection(line: line, field: name, expected: "a value of at most \(settings.maxFieldBytes) bytes",
                        found: "<\(bytes) bytes>")
    }

    /// Validates and normalizes everything collected; `recordLine` is used for record-level problems.
    mutating func finish(recordLine: Int?) throws(RecordRejection) -> ConversationRecord {
        notes.removeAll(keepingCapacity: true)
        order = nil
        if try orderType(recordLine: recordLine) {
            let built = try finishOrder(recordLine: recordLine)
            order = built
            return ConversationRecord(id: built.id, date: built.date, utcOffsetSeconds: built.utcOffsetSeconds, employee: "", customer: built.customer)
        }
        func fail(_ f: Field, _ slot: Slot, _ expected: String) -> RecordRejection {
            RecordRejection(line: slot.line ?? recordLine, field: f.rawValue, expected: expected,
                            found: slot.value.foundDescription)
        }
        /// The slot's text, trimmed; numbers only where `numbers` allows them.
        func text(_ f: Field, numbers: Bool = false) throws(RecordRejection) -> (String, Slot)? {
            guard let slot = slots[f.ordinal] else { return nil }
            let s: String
            switch slot.value {
            case .text(let t): s = t.trimmingWhitespace()
            case .number(let n) where numbers: s = n
            case .null: return nil
            default: throw fail(f, slot, numbers ? "text or a number" : "text")
            }
            if f != .text && s.utf8.count > settings.maxFieldBytes {
                throw tooLong(f.rawValue, line: slot.line ?? recordLine, bytes: s.utf8.count)
            }
            return s.isEmpty ? nil : (s, slot)
        }
        func required(_ f: Field, _ what: String) -> RecordRejection {
            RecordRejection(line: recordLine, field: f.rawValue, expected: what + " (the record has none)")
        }

        // date
        guard let (dateText, dateSlot) = try text(.date) else {
            throw required(.date, "a \"date\" field saying when the conversation happened")
        }
        let date: ParsedDate
        do { date = try DateParser.parseOrThrow(dateText, timeZone: settings.timeZone) } catch {
            throw fail(.date, dateSlot, error.expected)
        }
        guard date.seconds >= earliest, date.seconds <= latest else {
            throw fail(.date, dateSlot, "a date within \(settings.maxPastDays) days before and \(settings.maxFutureDays) days after now")
        }
        if let warning = date.warning {
            let line = dateSlot.line ?? recordLine
            notes.append((line.map { "line \($0): " } ?? "") + "field \"date\": " + warning)
        }

        // employee
        var named = try text(.employee)
        // No employee written: the roster's employee of the account that dropped the file.
        if named == nil, let uid = settings.fileOwnerUID, let owner = settings.roster?.employee(forUID: uid) {
            named = (owner, Slot(value: .text(owner), line: recordLine))
        }
        guard let (employee, empSlot) = named else {
            let account = settings.roster.map { " or an account listed in the roster \($0.source)" } ?? ""
            throw required(.employee, "an \"employee\" field naming who talked to the customer\(account)")
        }
        if employee.utf8.count > 200 && employee.unicodeScalars.count > 200 {
            throw fail(.employee, empSlot, "an employee name of at most 200 characters")
        }
        if FieldValues.hasControl(employee) || FieldValues.hasInvisible(employee) {
            throw fail(.employee, empSlot, "an employee name without control or invisible characters (zero-width, soft hyphen, BOM)")
        }

        var record = ConversationRecord(date: date.seconds, utcOffsetSeconds: date.utcOffsetSeconds, employee: employee)

        if let (id, slot) = try text(.id, numbers: true) {
            if !FieldValues.isToken(id, maxCharacters: 200) {
                throw fail(.id, slot, "an id of at most 200 characters without spaces or invisible characters")
            }
            record.id = id
        }
        if let (amends, slot) = try text(.amends, numbers: true) {
            if !FieldValues.isToken(amends, maxCharacters: 200) {
                throw fail(.amends, slot, "the id of the stored record this one corrects (at most 200 characters, no spaces or invisible characters)")
            }
            // An amend keeps the id it corrects; a different id would be a second record. Ids are
            // keys: compared as bytes ("é" and "e" + U+0301 are two records).
            if let id = record.id, !id.sameBytes(as: amends) {
                throw fail(.amends, slot, "the record's own id \"\(id)\" (an amend replaces the stored record with that id)")
            }
            record.id = amends
            record.amends = amends
        }
        if let (channel, _) = try text(.channel) {
            let low = FieldValues.lowercase(channel)
            if let vocabulary = settings.vocabulary {
                let label = vocabulary.resolve(channel, .channel)
                record.channel = label ?? "unknown"
                if label != low { record.rawChannel = channel }
            } else {
                record.channel = settings.channelAliases[low] ?? low
            }
        }
        if let (customer, _) = try text(.customer) { record.customer = customer }
        if let (dept, _) = try text(.department) {
            let mapped = MappedLabel.map(dept, .department, vocabulary: settings.vocabulary, normalized: FieldValues.label(dept))
            (record.department, record.rawDepartment) = (mapped.label, mapped.raw)
        }
        if record.department == nil, let dept = settings.roster?.entry(forEmployee: employee)?.department {
            // The employee's roster department, for a record that names none.
            let mapped = MappedLabel.map(dept, .department, vocabulary: settings.vocabulary, normalized: FieldValues.label(dept))
            (record.department, record.rawDepartment) = (mapped.label, mapped.raw)
        }
        if let (outcome, _) = try text(.outcome) {
            let mapped = MappedLabel.map(outcome, .outcome, vocabulary: settings.vocabulary, normalized: FieldValues.label(outcome))
            (record.outcome, record.rawOutcome) = (mapped.label, mapped.raw)
        }
        if let (d, slot) = try text(.duration, numbers: true) { record.durationSeconds = try duration(.duration, d, slot, fail) }
        if let (d, slot) = try text(.responseTime, numbers: true) { record.responseTimeSeconds = try duration(.responseTime, d, slot, fail) }
        if let (v, slot) = try text(.value, numbers: true) {
            var cents: Int64
            var code: String? = nil
            var approximate = false
            do {
                if case .number = slot.value {
                    cents = try MoneyParser.parseJSONNumber(v)
                } else {
                    let m = try MoneyParser.parseOrThrow(v)
                    cents = m.cents
                    code = m.currency
                    approximate = m.approximate
                }
            } catch { throw fail(.value, slot, error.expected) }
            if let c = code, c != currency { throw fail(.value, slot, "a value in \(currency)") }
            guard cents.magnitude <= settings.maxValueCents.magnitude else {
                throw fail(.value, slot, "a value of at most \(MoneyFormat.units(settings.maxValueCents)) \(currency)")
            }
            record.valueCents = cents
            record.currency = currency
            if approximate {
                let at = (slot.line ?? recordLine).map { "line \($0): " } ?? ""
                notes.append("\(at)value \"\(v)\" is approximate; counted as \(MoneyText.plain(cents, currency: currency, language: .en))")
            }
        }
        if let (s, slot) = try text(.satisfaction, numbers: true) {
            guard let v = FieldValues.satisfaction(s) else { throw fail(.satisfaction, slot, "a satisfaction from 1 to 5, like 4 or 4/5") }
            record.satisfaction = v
        }
        if let (s, slot) = try text(.sentiment) {
            guard let v = FieldValues.sentiment(s) else { throw fail(.sentiment, slot, "positive, neutral or negative") }
            record.sentiment = v
        }
        if let (s, _) = try text(.subject) { record.subject = s }
        if let (s, _) = try text(.text) { record.text = s }
        if let slot = slots[Field.tags.ordinal] {
            switch slot.value {
            case .list(let items):
                record.tags = FieldValues.tags(items)
            case .text(let s):
                if s.utf8.count > settings.maxFieldBytes { throw tooLong("tags", line: slot.line ?? recordLine, bytes: s.utf8.count) }
                record.tags = FieldValues.tags(CollectionOfOne(s))
            default:
                throw fail(.tags, slot, "comma-separated tags or a list of text")
            }
        }
        if !extras.isEmpty { record.extras = extras }
        if let slot = shippedSlot { record.shipped = try shipped(slot, recordID: record.id, recordLine: recordLine) }
        return record
    }

    /// The `dialogd` member: only the object an export writes (JSON formats); nil for one
    /// without site and revision (an older export), whose derived members are ignored.
    private func shipped(_ slot: Slot, recordID: String?, recordLine: Int?) throws(RecordRejection) -> ShippedCopy? {
        func fail(_ expected: String) -> RecordRejection {
            RecordRejection(line: slot.line ?? recordLine, field: ShippedCopy.member, expected: expected, found: slot.value.foundDescription)
        }
        guard case .structured(_, let json) = slot.value else {
            if case .null = slot.value { return nil }
            throw fail("the object dialogctl export writes (in .json or .jsonl), or no such field")
        }
        let value: JSONValue
        do { value = try JSONParser.parse(Array(json.utf8)) } catch { throw fail("the object dialogctl export writes") }
        do { return try ShippedCopy.parse(value, recordID: recordID) } catch {
            throw fail("in the dialogd object, " + error.expected)
        }
    }

    private func duration(_ f: Field, _ text: String, _ slot: Slot,
                          _ fail: (Field, Slot, String) -> RecordRejection) throws(RecordRejection) -> Int64 {
        let seconds: Int64
        do { seconds = try DurationParser.parseOrThrow(text) } catch { throw fail(f, slot, error.expected) }
        guard seconds <= settings.maxDurationSeconds else {
            throw fail(f, slot, "a duration of at most \(DurationFormat.describe(settings.maxDurationSeconds))")
        }
        return seconds
    }
}

/// Renders limits in words for messages.
enum DurationFormat {
    static func describe(_ s: Int64) -> String {
        if s % 86_400 == 0 { return "\(s / 86_400) days" }
        if s % 3600 == 0 { return "\(s / 3600) hours" }
        if s % 60 == 0 { return "\(s / 60) minutes" }
        return "\(s) seconds"
    }
}

enum MoneyFormat {
    static func units(_ cents: Int64) -> String {
        let whole = cents / 100, rest = cents % 100
        return rest == 0 ? "\(whole)" : "\(whole).\(rest < 10 ? "0" : "")\(rest)"
    }
}
