/// Parses employee time the way people write it: `25m`, `1h30m`, `1h 30m`, `90` (minutes), `1,5h`,
/// `45s`, `01:30` (h:mm), `1 Std 30 Min`, `PT1H30M`. Integer arithmetic only, overflow-checked.
public enum DurationParser {
    static let expected = "a duration like 25m, 1h30m, 1,5h, 01:30 or 90 (minutes)"

    /// Seconds, or `nil` when not a duration (negative durations are not durations).
    public static func parse(_ text: String) -> Int64? {
        try? parseOrThrow(text)
    }

    static func parseOrThrow(_ text: String) throws(ValueProblem) -> Int64 {
        let r: Result<Int64, ValueProblem> = text.withBytes { b in
            var c = ByteCursor(b)
            if c.peek == UInt8(ascii: "-") || c.peek == 0xE2 {  // '-' or U+2212 minus
                return .failure(ValueProblem(expected: "a duration that is not negative"))
            }
            _ = c.eat(UInt8(ascii: "+"))
            guard let v = parse(&c) else { return .failure(ValueProblem(expected: expected)) }
            return .success(v)
        }
        return try r.get()
    }

    /// A decimal number `12`, `1.5`, `1,5` as (whole, fraction numerator, fraction denominator).
    struct Decimal { var whole: Int64; var num: Int64; var den: Int64 }

    static func number(_ c: inout ByteCursor) -> Decimal? {
        guard let w = c.digits(min: 1, max: 12) else { return nil }
        if let p = c.peek, ByteCursor.digit(p) != nil { return nil }  // too many digits
        var num: Int64 = 0, den: Int64 = 1
        if let p = c.peek, p == UInt8(ascii: ".") || p == UInt8(ascii: ","),
           c.i + 1 < c.end, ByteCursor.digit(c.b[c.i + 1]) != nil {
            c.i += 1
            var n = 0
            while let p = c.peek, let d = ByteCursor.digit(p) {
                if n < 6 { num = num * 10 + Int64(d); den *= 10 }
                n += 1
                c.i += 1
            }
        }
        return Decimal(whole: Int64(w), num: num, den: den)
    }

    /// `value × unit` seconds, rounded half up; `nil` on overflow.
    static func scaled(_ d: Decimal, _ unit: Int64) -> Int64? {
        let (a, o1) = d.whole.multipliedReportingOverflow(by: unit)
        let frac = (d.num * unit * 2 + d.den) / (d.den * 2)
        let (s, o2) = a.addingReportingOverflow(frac)
        return o1 || o2 ? nil : s
    }

    static func unit(_ word: String) -> Int64? {
        switch word {
        case "s", "sec", "secs", "second", "seconds", "sek", "sekunde", "sekunden": return 1
        case "m", "min", "mins", "minute", "minutes", "minuten": return 60
        case "h", "hr", "hrs", "hour", "hours", "std", "stunde", "stunden": return 3600
        case "d", "day", "days", "tag", "tage": return 86_400
        default: return nil
        }
    }

    static func parse(_ c: inout ByteCursor) -> Int64? {
        guard let p = c.peek else { return nil }
        if p == UInt8(ascii: "P") || p == UInt8(ascii: "p") { return iso8601(&c) }
        let start = c.i
        // `h:mm` or `h:mm:ss`
        if let h = c.digits(min: 1, max: 4), c.eat(UInt8(ascii: ":")) {
            guard let m = c.digits(min: 2, max: 2), m < 60 else { return nil }
            var s = 0
            if c.eat(UInt8(ascii: ":")) {
                guard let ss = c.digits(min: 2, max: 2), ss < 60 else { return nil }
                s = ss
            }
            guard c.atEnd else { return nil }
            return Int64(h) * 3600 + Int64(m) * 60 + Int64(s)
        }
        c.i = start
        var total: Int64 = 0
        var lastUnit: Int64 = 0
        var parts = 0
        while !c.atEnd {
            guard let n = number(&c) else { return nil }
            c.skipSpaces()
            let w = c.word()
            _ = c.eat(UInt8(ascii: "."))  // "Std." / "Min."
            c.skipSpaces()
            var u: Int64
            if w.isEmpty {
                // A bare number is minutes: alone (`90`) or after hours (`1h30`).
                guard parts == 0 || lastUnit == 3600, c.atEnd else { return nil }
                u = 60
            } else {
                guard let uu = unit(w) else { return nil }
                u = uu
            }
            // Units must shrink left to right (`1h30m`, not `30m1h` or `1h1h`).
            guard parts == 0 || u < lastUnit else { return nil }
            guard let v = scaled(n, u) else { return nil }
            let (t, o) = total.addingReportingOverflow(v)
            guard !o else { return nil }
            total = t
            lastUnit = u
            parts += 1
            _ = c.eat(UInt8(ascii: ","))
            c.skipSpaces()
        }
        return parts > 0 ? total : nil
    }

    /// ISO 8601 `PT1H30M`, `PT45S`, `P1DT2H` (no years or months: their length varies).
    static func iso8601(_ c: inout ByteCursor) -> Int64? {
        c.i += 1
        var total: Int64 = 0, inTime = false, parts = 0
        while !c.atEnd {
            if c.peek.map({ $0 | 0x20 }) == UInt8(ascii: "t") { c.i += 1; inTime = true; continue }
            guard let n = number(&c), let letter = c.peek else { return nil }
            c.i += 1
            let u: Int64
            switch (letter | 0x20, inTime) {
            case (UInt8(ascii: "d"), false): u = 86_400
            case (UInt8(ascii: "w"), false): u = 7 * 86_400
            case (UInt8(ascii: "h"), true): u = 3600
            case (UInt8(ascii: "m"), true): u = 60
            case (UInt8(ascii: "s"), true): u = 1
            default: return nil
            }
            guard let v = scaled(n, u) else { return nil }
            let (t, o) = total.addingReportingOverflow(v)
            guard !o else { return nil }
            total = t
            parts += 1
        }
        return parts > 0 ? total : nil
    }
}
