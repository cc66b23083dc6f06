import Foundation

/// A point in time as written: UTC seconds plus the offset it was written in (or the zone's).
public struct ParsedDate: Sendable, Equatable {
    public var seconds: Int64
    public var utcOffsetSeconds: Int32
    /// Why the date was read although something about it was off (a weekday that does not
    /// match), for the log; `nil` for a date read as written.
    public var warning: String?
    /// For a date written without a time (`27.11.2026`, `2026-11-27`): the last second of that
    /// day (23:59:59 local), so a reader that means "that day" can say so; `nil` when a time was
    /// written, midnight (`00:00`) included.
    public var dayEnd: DayEnd?
    public struct DayEnd: Sendable, Equatable {
        public var seconds: Int64
        public var utcOffsetSeconds: Int32
        public init(seconds: Int64, utcOffsetSeconds: Int32) {
            self.seconds = seconds
            self.utcOffsetSeconds = utcOffsetSeconds
        }
    }
    public init(seconds: Int64, utcOffsetSeconds: Int32, warning: String? = nil) {
        self.seconds = seconds
        self.utcOffsetSeconds = utcOffsetSeconds
        self.warning = warning
    }
}

/// Parses the date forms of docs/spool.md by hand (DateFormatter is far too slow for the spool rate):
/// RFC 3339 (also with a space), RFC 5322 with its obsolete syntax and asctime
/// (DateParser+RFC5322), `YYYY-MM-DD HH:MM[:SS]` and `DD.MM.YY[YY] HH:MM[:SS]`; a date
/// without an offset is read in `timeZone`.
public enum DateParser {
    static let expected = "a date like 2026-11-28 14:05, 28.11.2026 14:05, 2026-11-28T14:05:00+01:00 or Sat, 28 Nov 2026 14:05:00 +0100"

    /// Returns the instant, or `nil` when the text is no date of a known form or out of range.
    public static func parse(_ text: String, timeZone: TimeZone) -> ParsedDate? {
        try? parseOrThrow(text, timeZone: timeZone)
    }

    static func parseOrThrow(_ text: String, timeZone: TimeZone) throws(ValueProblem) -> ParsedDate {
        let r: ParsedDate? = text.withBytes { b in
            var c = ByteCursor(b)
            guard let first = c.peek else { return nil }
            if ByteCursor.isLetter(first) || first == UInt8(ascii: "(") { return rfc5322(&c, timeZone) }
            // Decide between ISO (YYYY-) and German (D.M.YYYY) by the first separator.
            var k = c.i
            while k < c.end, ByteCursor.digit(b[k]) != nil { k += 1 }
            guard k < c.end else { return nil }
            if k < c.end && b[k] == UInt8(ascii: "-") && k - c.i == 4 { return iso(&c, timeZone) }
            if k < c.end && b[k] == UInt8(ascii: ".") && k - c.i <= 2 { return german(&c, timeZone) }
            if k - c.i <= 2 { return rfc5322(&c, timeZone) }
            return nil
        }
        guard let r else { throw ValueProblem(expected: expected) }
        return r
    }

    struct Clock { var h = 0, m = 0, s = 0 }

    /// `HH:MM[:SS[.fff]]`
    static func clock(_ c: inout ByteCursor) -> Clock? {
        guard let h = c.digits(min: 1, max: 2), c.eat(UInt8(ascii: ":")), let m = c.digits(min: 2, max: 2) else { return nil }
        var s = 0
        if c.eat(UInt8(ascii: ":")) {
            guard let sec = c.digits(min: 2, max: 2) else { return nil }
            s = sec
            if c.eat(UInt8(ascii: ".")) || c.eat(UInt8(ascii: ",")) {
                guard c.digits(min: 1, max: 9) != nil else { return nil }
                while let p = c.peek, ByteCursor.digit(p) != nil { c.i += 1 }
            }
        }
        guard h < 24, m < 60, s <= 60 else { return nil }
        return Clock(h: h, m: m, s: s)
    }

    static func wall(_ y: Int, _ mo: Int, _ d: Int, _ t: Clock) -> Int64? {
        guard (1...9999).contains(y), (1...12).contains(mo), d >= 1, d <= CivilTime.daysInMonth(y, mo) else { return nil }
        return Int64(CivilTime.daysFromCivil(y, mo, d)) * 86_400 + Int64(t.h * 3600 + t.m * 60 + t.s)
    }

    /// Numeric offset `Z`, `±HH:MM`, `±HHMM`, `±HH`; also `UTC`/`GMT`/`UT` and the US zones of
    /// RFC 5322; with `military`, the single letters A–I, K–Z, read as -0000 (RFC 5322 §4.3:
    /// their sign was used both ways, so they say nothing). `nil` inside = malformed.
    static func offset(_ c: inout ByteCursor, military: Bool = false) -> Int?? {
        c.skipSpaces()
        guard let p = c.peek else { return .some(nil) }
        if p == UInt8(ascii: "Z") || p == UInt8(ascii: "z") { c.i += 1; return .some(0) }
        if p == UInt8(ascii: "+") || p == UInt8(ascii: "-") {
            c.i += 1
            guard let h = c.digits(min: 2, max: 2) else { return nil }
            var m = 0
            if c.eat(UInt8(ascii: ":")) {
                guard let mm = c.digits(min: 2, max: 2) else { return nil }
                m = mm
            } else if let mm = c.digits(min: 2, max: 2) {
                m = mm
            }
            guard h <= 23, m <= 59 else { return nil }
            let v = h * 3600 + m * 60
            return .some(p == UInt8(ascii: "-") ? -v : v)
        }
        if ByteCursor.isLetter(p) {
            switch c.word() {
            case "utc", "gmt", "ut": return .some(0)
            case "est": return .some(-5 * 3600)
            case "edt": return .some(-4 * 3600)
            case "cst": return .some(-6 * 3600)
            case "cdt": return .some(-5 * 3600)
            case "mst": return .some(-7 * 3600)
            case "mdt": return .some(-6 * 3600)
            case "pst": return .some(-8 * 3600)
            case "pdt": return .some(-7 * 3600)
            case "uhr": return .some(nil)
            case let w where military && w.utf8.count == 1 && w != "j": return .some(0)
            default: return nil
            }
        }
        return nil
    }

    static func finish(_ wall: Int64, _ c: inout ByteCursor, _ zone: TimeZone, military: Bool = false, dateOnly: Bool = false) -> ParsedDate? {
        guard let off = offset(&c, military: military) else { return nil }
        // A trailing comment such as "(CET)", nested or several.
        guard skipCFWS(&c), c.atEnd else { return nil }
        var parsed: ParsedDate
        var end: ParsedDate.DayEnd? = nil
        if let off {
            parsed = ParsedDate(seconds: wall - Int64(off), utcOffsetSeconds: Int32(off))
            if dateOnly { end = .init(seconds: wall + 86_399 - Int64(off), utcOffsetSeconds: Int32(off)) }
        } else {
            let r = CivilTime.resolveLocal(wall, in: zone)
            parsed = ParsedDate(seconds: r.utc, utcOffsetSeconds: r.offset)
            if dateOnly {
                let e = CivilTime.resolveLocal(wall + 86_399, in: zone)
                end = .init(seconds: e.utc, utcOffsetSeconds: e.offset)
            }
        }
        parsed.dayEnd = end
        return parsed
    }

    /// `YYYY-MM-DD[(T| )HH:MM[:SS[.f]]][zone]`
    static func iso(_ c: inout ByteCursor, _ zone: TimeZone) -> ParsedDate? {
        guard let y = c.digits(min: 4, max: 4), c.eat(UInt8(ascii: "-")),
              let mo = c.digits(min: 2, max: 2), c.eat(UInt8(ascii: "-")),
              let d = c.digits(min: 2, max: 2) else { return nil }
        var t = Clock()
        var timed = false
        if c.eat(UInt8(ascii: "T")) || c.eat(UInt8(ascii: "t")) {
            guard let k = clock(&c) else { return nil }
            (t, timed) = (k, true)
        } else if c.peek == UInt8(ascii: " ") {
            c.skipSpaces()
            if let p = c.peek, ByteCursor.digit(p) != nil {
                guard let k = clock(&c) else { return nil }
                (t, timed) = (k, true)
            }
        }
        guard let w = wall(y, mo, d, t) else { return nil }
        return finish(w, &c, zone, dateOnly: !timed)
    }

    /// `D.M.YYYY[,] [HH:MM[:SS]] [Uhr]`, as German Excel and people write it; `D.M.YY` too.
    static func german(_ c: inout ByteCursor, _ zone: TimeZone) -> ParsedDate? {
        guard let d = c.digits(min: 1, max: 2), c.eat(UInt8(ascii: ".")),
              let mo = c.digits(min: 1, max: 2), c.eat(UInt8(ascii: ".")) else { return nil }
        let yearStart = c.i
        guard let written = c.digits(min: 2, max: 4), c.i - yearStart != 3 else { return nil }
        let y = year(written, digits: c.i - yearStart)
        var t = Clock()
        var timed = false
        _ = c.eat(UInt8(ascii: ","))
        c.skipSpaces()
        if let p = c.peek, ByteCursor.digit(p) != nil {
            guard let k = clock(&c) else { return nil }
            (t, timed) = (k, true)
        }
        guard let w = wall(y, mo, d, t) else { return nil }
        return finish(w, &c, zone, dateOnly: !timed)
    }
}
