/// The canonical field names of a conversation record (docs/spool.md).
///
/// Header names are matched case-insensitively with `-` and `_` equivalent, so that
/// `Response-Time`, `response_time` and `RESPONSE TIME` all mean the same field; German
/// aliases let employees write headers in their own language.
public enum Field: String, CaseIterable, Sendable, Hashable {
    case id, date, employee, channel, customer, department, outcome, duration, value
    case satisfaction, sentiment
    case responseTime = "response_time"
    case subject, text, tags
    /// The id of a stored record this one replaces (an amend, docs/spool.md); not content.
    case amends

    /// Recognises a header or JSON key; `nil` for unknown names (they are kept as extras).
    public init?(header: String) {
        let key = Field.normalize(header)
        if let field = Field(rawValue: key) {
            self = field
        } else if let field = Field.aliases[key] {
            self = field
        } else {
            return nil
        }
    }

    /// Lowercases, trims and folds `-`, ` ` into `_` so header spellings compare equal.
    public static func normalize(_ header: String) -> String {
        var out = ""
        out.reserveCapacity(header.utf8.count)
        for scalar in header.trimmingWhitespace().lowercased().unicodeScalars {
            switch scalar {
            case "-", " ": out.unicodeScalars.append("_")
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// German (and a few common English) alternative names, already normalized.
    static let aliases: [String: Field] = [
        "datum": .date, "zeit": .date, "timestamp": .date,
        "mitarbeiter": .employee, "mitarbeiterin": .employee, "agent": .employee,
        "abteilung": .department, "dept": .department,
        "kanal": .channel,
        "kunde": .customer, "kundin": .customer,
        "dauer": .duration, "minutes": .duration, "minuten": .duration,
        "ergebnis": .outcome, "resultat": .outcome, "result": .outcome,
        "wert": .value, "betrag": .value, "amount": .value,
        "zufriedenheit": .satisfaction, "csat": .satisfaction,
        "stimmung": .sentiment,
        "antwortzeit": .responseTime, "reaktionszeit": .responseTime,
        "betreff": .subject,
        "nachricht": .text, "notiz": .text, "transcript": .text, "body": .text,
        "schlagworte": .tags, "schlagwörter": .tags, "stichworte": .tags,
        "korrigiert": .amends, "berichtigt": .amends, "ersetzt": .amends,
    ]
}

extension String {
    /// Trims ASCII/Unicode whitespace and newlines at both ends without Foundation.
    /// ASCII ends are trimmed byte-wise; Unicode properties are consulted only for non-ASCII ends.
    public func trimmingWhitespace() -> String {
        func asciiSpace(_ c: UInt8) -> Bool { c == 0x20 || (0x09...0x0D).contains(c) }
        // Fast path for native strings whose ends are ASCII non-whitespace: nothing to do.
        let untouched = utf8.withContiguousStorageIfAvailable { b -> Bool in
            guard let f = b.first, let l = b.last else { return true }
            return f < 0x80 && l < 0x80 && !asciiSpace(f) && !asciiSpace(l)
        }
        if untouched == true { return self }
        let u = utf8
        var lo = u.startIndex, hi = u.endIndex
        while lo < hi && asciiSpace(u[lo]) { lo = u.index(after: lo) }
        while lo < hi && asciiSpace(u[u.index(before: hi)]) { hi = u.index(before: hi) }
        if lo < hi && (u[lo] >= 0x80 || u[u.index(before: hi)] >= 0x80) {
            var scalars = self[lo..<hi].unicodeScalars[...]
            while let first = scalars.first, first.isWhitespaceScalar { scalars.removeFirst() }
            while let last = scalars.last, last.isWhitespaceScalar { scalars.removeLast() }
            return String(scalars)
        }
        if lo == u.startIndex && hi == u.endIndex { return self }
        return String(self[lo..<hi])
    }
}

extension Unicode.Scalar {
    /// The Unicode White_Space set as a switch: the property lookup is slow in hot paths.
    @inline(__always) var isWhitespaceScalar: Bool {
        switch value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }
}
