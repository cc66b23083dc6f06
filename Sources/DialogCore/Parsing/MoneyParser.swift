/// An amount of money in integer cents with the ISO 4217 code it was written in (if any).
public struct ParsedMoney: Sendable, Equatable {
    public var cents: Int64
    /// `nil` when no currency was written.
    public var currency: String?
    /// Written with a marker such as `ca.`, `~` or `etwa`: the amount is taken as written,
    /// and the reader warns.
    public var approximate: Bool
    public init(cents: Int64, currency: String?, approximate: Bool = false) {
        self.cents = cents
        self.currency = currency
        self.approximate = approximate
    }
}

/// Parses money as English and German writers type it (`1,200.50`, `1.200,50 €`, `EUR 1200`, `€1,200`,
/// `50,-`, `ca. 500 €`), in integer cents (never Double) with overflow-checked arithmetic.
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

    /// Markers of an approximate amount, lowercased UTF-8, longest first so `approx.` wins over `approx`.
    static let approximateMarkers: [[UInt8]] = [
        "approximately", "ungefaehr", "ungefähr", "approx.", "approx", "around", "circa", "zirka", "about", "etwa", "rund",
        "ca.", "ca", "~", "≈",
    ].map { Array($0.utf8) }.sorted { $0.count > $1.count }

    /// Skips one approximate marker (and the spaces after it) at the cursor; false when none is there.
    /// A word marker must end before a non-letter, so `CAD 500` is not `ca` + `D 500`.
    static func approximateMarker(_ c: inout ByteCursor) -> Bool {
        for marker in approximateMarkers where c.end - c.i >= marker.count {
            var same = true
            for (k, m) in marker.enumerated() {
                let byte = c.b[c.i + k]
                if (ByteCursor.isLetter(byte) ? byte | 0x20 : byte) != m { same = false; break }
            }
            guard same else { continue }
            let next = c.i + marker.count
            if ByteCursor.isLetter(marker[marker.count - 1]), next < c.end, ByteCursor.isLetter(c.b[next]) || c.b[next] >= 0x80 { continue }
            c.i = next
            c.skipSpaces()
            return true
        }
        return false
    }

    static func parse(_ c: inout ByteCursor) -> Result<ParsedMoney, ValueProblem> {
        let bad = Result<ParsedMoney, ValueProblem>.failure(ValueProblem(expected: expected))
        let approximate = approximateMarker(&c)
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
        // The number: digits and the separators . , ' and spaces between digit groups. Tracked on
        // the fly (no arrays): which separator is the decimal mark is only known at the end.
        var mant: Int64 = 0
        var nd = 0
        var nSeps = 0
        var firstKind: UInt8 = 0, lastKind: UInt8 = 0
        var lastAt = 0, prevAt = 0
        var earlierOK = true  // every separator before the last one is a valid group separator of one kind
        while let p = c.peek {
            if let d = ByteCursor.digit(p) {
                nd += 1
                if nd > 18 { return .failure(ValueProblem(expected: "an amount with at most 16 digits")) }
                mant = mant * 10 + Int64(d)
                c.i += 1
            } else if (p == UInt8(ascii: ".") || p == UInt8(ascii: ",") || p == UInt8(ascii: "'") || p == UInt8(ascii: " ")),
                      c.i + 1 < c.end, ByteCursor.digit(c.b[c.i + 1]) != nil {
                let kind = p == UInt8(ascii: " ") ? UInt8(ascii: "'") : p
                if nSeps > 0 {
                    // The previous "last" separator becomes an earlier one: it must be a group separator.
                    let gap = lastAt - prevAt
                    if nSeps == 1 ? !(1...3).contains(gap) : gap != 3 { earlierOK = false }
                    if lastKind != firstKind { earlierOK = false }
                    prevAt = lastAt
                } else {
                    firstKind = kind
                }
                nSeps += 1
                lastKind = kind
                lastAt = nd
                c.i += 1
            } else {
                break
            }
        }
        guard nd > 0 else { return bad }
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
        var decimals = 0
        if nSeps > 0 {
            let after = nd - lastAt
            let lastGapOK = nSeps == 1 ? (1...3).contains(lastAt) : lastAt - prevAt == 3
            let isDecimal: Bool
            if nSeps >= 2 && lastKind != firstKind {
                guard lastKind != UInt8(ascii: "'"), earlierOK, lastGapOK else { return bad }
                isDecimal = true
            } else if nSeps == 1 && lastKind != UInt8(ascii: "'") && after != 3 {
                isDecimal = true
            } else {
                guard earlierOK, lastGapOK, after == 3 else { return bad }
                isDecimal = false
            }
            if isDecimal {
                guard after <= 2 else { return .failure(ValueProblem(expected: "an amount with at most 2 decimals")) }
                decimals = after
            }
        }
        let (total, overflow) = mant.multipliedReportingOverflow(by: decimals == 2 ? 1 : decimals == 1 ? 10 : 100)
        guard !overflow else { return .failure(ValueProblem(expected: "an amount with at most 16 digits")) }
        return .success(ParsedMoney(cents: negative ? -total : total, currency: code.isEmpty ? nil : code, approximate: approximate))
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
