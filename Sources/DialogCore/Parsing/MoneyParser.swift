/// An amount of money in integer cents with the ISO 4217 code it was written in (if any).
public struct ParsedMoney: Sendable, Equatable {
    public var cents: Int64
    /// `nil` when no currency was written.
    public var currency: String?
    public init(cents: Int64, currency: String?) {
        self.cents = cents
        self.currency = currency
    }
}

/// Parses money as English and German writers type it (`1,200.50`, `1.200,50 €`, `EUR 1200`, `€1,200`,
/// `50,-`), in integer cents (never Double) with overflow-checked arithmetic.
///
/// Ambiguity rule: a lone separator followed by exactly three digits groups thousands (`1.200` = 1200),
/// followed by one or two digits it is the decimal mark; more than two decimals are refused.
public enum MoneyParser {
    static let expected = "an amount like 1200, 1.200,50 €, 1,200.50 or EUR 1200"

    public static func parse(_ text: String) -> ParsedMoney? {
        try? parseOrThrow(text)
    }

    static func parseOrThrow(_ text: String) throws(ValueProblem) -> ParsedMoney {
        let r: Result<ParsedMoney, ValueProblem> = text.withBytes { b in
            var c = ByteCursor(b)
            return parse(&c)
        }
        return try r.get()
    }

    /// Reads a currency symbol or a three-letter code at the cursor; `""` when none is there.
    static func currency(_ c: inout ByteCursor) -> String? {
        guard let p = c.peek else { return "" }
        let b = c.b
        if p == 0xE2, c.i + 2 < c.end, b[c.i + 1] == 0x82, b[c.i + 2] == 0xAC { c.i += 3; return "EUR" }  // €
        if p == 0xC2, c.i + 1 < c.end, b[c.i + 1] == 0xA3 { c.i += 2; return "GBP" }  // £
        if p == 0xC2, c.i + 1 < c.end, b[c.i + 1] == 0xA5 { c.i += 2; return "JPY" }  // ¥
        if p == UInt8(ascii: "$") { c.i += 1; return "USD" }
        if ByteCursor.isLetter(p) {
            let w = c.word()
            switch w {
            case "euro", "euros", "eur": return "EUR"
            case "us": return c.eat(UInt8(ascii: "$")) ? "USD" : nil
            case "dollar", "dollars": return "USD"
            case "fr": _ = c.eat(UInt8(ascii: ".")); return "CHF"
            default: return w.count == 3 ? w.uppercased() : nil
            }
        }
        return ""
    }

    static func isMinus(_ c: ByteCursor) -> Int {
        guard let p = c.peek else { return 0 }
        if p == UInt8(ascii: "-") { return 1 }
        if p == 0xE2, c.i + 2 < c.end, c.b[c.i + 1] == 0x88, c.b[c.i + 2] == 0x92 { return 3 }  // U+2212
        return 0
    }

    static func parse(_ c: inout ByteCursor) -> Result<ParsedMoney, ValueProblem> {
        let bad = Result<ParsedMoney, ValueProblem>.failure(ValueProblem(expected: expected))
        var negative = false
        var n = isMinus(c)
        if n > 0 { negative = true; c.i += n; c.skipSpaces() } else if c.eat(UInt8(ascii: "+")) { c.skipSpaces() }
        guard var code = currency(&c) else { return bad }
        c.skipSpaces()
        n = isMinus(c)
        if n > 0 {
            guard !negative else { return bad }
            negative = true; c.i += n; c.skipSpaces()
        }
        // The number: digits and the separators . , ' and spaces between digit groups.
        var digits: [UInt8] = []
        var seps: [(sep: UInt8, at: Int)] = []  // separator and how many digits preceded it
        digits.reserveCapacity(16)
        while let p = c.peek {
            if let _ = ByteCursor.digit(p) {
                digits.append(p - 0x30); c.i += 1
                if digits.count > 18 { return .failure(ValueProblem(expected: "an amount with at most 16 digits")) }
            } else if (p == UInt8(ascii: ".") || p == UInt8(ascii: ",") || p == UInt8(ascii: "'") || p == UInt8(ascii: " ")),
                      c.i + 1 < c.end, ByteCursor.digit(c.b[c.i + 1]) != nil {
                seps.append((p == UInt8(ascii: " ") ? UInt8(ascii: "'") : p, digits.count)); c.i += 1
            } else {
                break
            }
        }
        guard !digits.isEmpty else { return bad }
        // German "50,-" or "50.-": whole units.
        if let p = c.peek, p == UInt8(ascii: ",") || p == UInt8(ascii: "."),
           c.i + 1 < c.end, c.b[c.i + 1] == UInt8(ascii: "-") || c.b[c.i + 1] == 0xE2 {
            c.i += 2
            while c.i < c.end && (c.b[c.i] == 0x80 || c.b[c.i] == 0x94 || c.b[c.i] == 0x93 || c.b[c.i] == UInt8(ascii: "-")) { c.i += 1 }
        }
        c.skipSpaces()
        if !c.atEnd {
            guard code.isEmpty, let trailing = currency(&c), !trailing.isEmpty else { return bad }
            code = trailing
            c.skipSpaces()
            guard c.atEnd else { return bad }
        }
        // Which separator, if any, is the decimal mark?
        var decimalAt: Int? = nil
        var group: UInt8? = nil
        if let last = seps.last {
            let after = digits.count - last.at
            let kinds = Set(seps.map(\.sep))
            if kinds.count > 1 {
                guard last.sep != UInt8(ascii: "'") else { return bad }
                guard seps.dropLast().allSatisfy({ $0.sep != last.sep }) else { return bad }
                decimalAt = last.at
                group = seps[0].sep
            } else if seps.count == 1 && last.sep != UInt8(ascii: "'") && after != 3 {
                decimalAt = last.at
            } else {
                group = last.sep
            }
            if let d = decimalAt, digits.count - d > 2 {
                return .failure(ValueProblem(expected: "an amount with at most 2 decimals"))
            }
            // Thousands groups: 1–3 leading digits, then exactly three per group.
            if group != nil {
                let groupSeps = decimalAt == nil ? seps : Array(seps.dropLast())
                var prev = 0
                for (k, s) in groupSeps.enumerated() {
                    let len = s.at - prev
                    if k == 0 ? !(1...3).contains(len) : len != 3 { return bad }
                    prev = s.at
                }
                if (decimalAt ?? digits.count) - prev != 3 { return bad }
            }
        }
        let intDigits = decimalAt ?? digits.count
        var cents: Int64 = 0
        for d in digits[..<intDigits] { cents = cents * 10 + Int64(d) }
        var frac = 0
        for (k, d) in digits[intDigits...].enumerated() { frac += Int(d) * (k == 0 ? 10 : 1) }
        let (scaled, o1) = cents.multipliedReportingOverflow(by: 100)
        let (total, o2) = scaled.addingReportingOverflow(Int64(frac))
        guard !o1, !o2 else { return .failure(ValueProblem(expected: "an amount with at most 16 digits")) }
        return .success(ParsedMoney(cents: negative ? -total : total, currency: code.isEmpty ? nil : code))
    }

    /// A JSON number literal in currency units (`1200.5`): the dot is always the decimal mark.
    static func parseJSONNumber(_ literal: String) throws(ValueProblem) -> Int64 {
        let r: Int64? = literal.withBytes { b in
            var i = 0
            var negative = false
            if i < b.count && b[i] == UInt8(ascii: "-") { negative = true; i += 1 }
            var whole: Int64 = 0, n = 0
            while i < b.count, let d = ByteCursor.digit(b[i]) {
                n += 1
                if n > 16 { return nil }
                whole = whole * 10 + Int64(d); i += 1
            }
            var frac: Int64 = 0
            if i < b.count && b[i] == UInt8(ascii: ".") {
                i += 1
                var k = 0
                while i < b.count, let d = ByteCursor.digit(b[i]) {
                    if k < 2 { frac = frac * 10 + Int64(d) } else if d != 0 { return nil }
                    k += 1; i += 1
                }
                if k == 1 { frac *= 10 }
            }
            guard i == b.count, n > 0 else { return nil }
            let v = whole * 100 + frac
            return negative ? -v : v
        }
        guard let r else { throw ValueProblem(expected: "an amount in currency units with at most 2 decimals, like 1200.50") }
        return r
    }
}
