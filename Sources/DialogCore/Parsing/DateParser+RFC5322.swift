import Foundation

/// RFC 5322 §3.3 dates with the obsolete syntax of §4.3, which receivers must accept: comments
/// (nested) and extra whitespace wherever CFWS may stand (`Sat , 28 Nov 26 09 : 12 : 00 GMT`),
/// two- and three-digit years, full day and month names, military zones; and asctime
/// (`Sat Nov 28 09:12:00 2026`, also with a zone before the year as date(1) writes it).
extension DateParser {
    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let weekdays = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
    static let weekdayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `[CFWS] [day-name [CFWS] ","] D Mon Y time [zone] [CFWS]`, or asctime after the day name.
    static func rfc5322(_ c: inout ByteCursor, _ zone: TimeZone) -> ParsedDate? {
        guard skipCFWS(&c) else { return nil }
        var weekday: Int? = nil
        if let p = c.peek, ByteCursor.isLetter(p) {
            guard let w = name(&c, in: weekdays) else { return nil }
            weekday = w
            guard skipCFWS(&c) else { return nil }
            if let p = c.peek, ByteCursor.isLetter(p) { return asctime(&c, weekday: w, zone) }
            if c.eat(UInt8(ascii: ",")) { guard skipCFWS(&c) else { return nil } }
        }
        guard let d = c.digits(min: 1, max: 2), skipCFWS(&c), let mi = name(&c, in: months), skipCFWS(&c) else { return nil }
        let yearStart = c.i
        guard let written = c.digits(min: 2, max: 4) else { return nil }
        let y = year(written, digits: c.i - yearStart)
        guard skipCFWS(&c) else { return nil }
        guard let t = obsClock(&c), let w = wall(y, mi + 1, d, t) else { return nil }
        return checked(finish(w, &c, zone, military: true), weekday: weekday, y, mi + 1, d)
    }

    /// asctime after its day name: `Mon D HH:MM:SS [zone] YYYY`.
    static func asctime(_ c: inout ByteCursor, weekday: Int, _ zone: TimeZone) -> ParsedDate? {
        guard let mi = name(&c, in: months), skipCFWS(&c), let d = c.digits(min: 1, max: 2), skipCFWS(&c),
              let t = obsClock(&c) else { return nil }
        // The zone date(1) puts before the year, if any; the year, then nothing.
        var off: Int? = nil
        if let p = c.peek, ByteCursor.digit(p) == nil {
            guard let o = offset(&c, military: true), let o else { return nil }
            off = o
            guard skipCFWS(&c) else { return nil }
        }
        guard let y = c.digits(min: 4, max: 4), skipCFWS(&c), c.atEnd, let w = wall(y, mi + 1, d, t) else { return nil }
        let date: ParsedDate
        if let off {
            date = ParsedDate(seconds: w - Int64(off), utcOffsetSeconds: Int32(off))
        } else {
            let r = CivilTime.resolveLocal(w, in: zone)
            date = ParsedDate(seconds: r.utc, utcOffsetSeconds: r.offset)
        }
        return checked(date, weekday: weekday, y, mi + 1, d)
    }

    /// `HH [CFWS] ":" [CFWS] MM [[CFWS] ":" [CFWS] SS] [CFWS]`.
    static func obsClock(_ c: inout ByteCursor) -> Clock? {
        guard let h = c.digits(min: 1, max: 2), skipCFWS(&c), c.eat(UInt8(ascii: ":")), skipCFWS(&c),
              let m = c.digits(min: 2, max: 2), skipCFWS(&c) else { return nil }
        var s = 0
        if c.eat(UInt8(ascii: ":")) {
            guard skipCFWS(&c), let sec = c.digits(min: 2, max: 2), skipCFWS(&c) else { return nil }
            s = sec
        }
        guard h < 24, m < 60, s <= 60 else { return nil }
        return Clock(h: h, m: m, s: s)
    }

    /// A day or month name: its English abbreviation or any longer word it begins (`Sat`,
    /// `Saturday`); the index in `names`.
    static func name(_ c: inout ByteCursor, in names: [String]) -> Int? {
        let w = c.word()
        guard w.utf8.count >= 3 else { return nil }
        return names.firstIndex(of: String(w.prefix(3)))
    }

    /// RFC 5322 §4.3: a two-digit year 00–49 is 20YY, 50–99 is 19YY; three digits add 1900.
    static func year(_ written: Int, digits: Int) -> Int {
        switch digits {
        case 2: written < 50 ? 2000 + written : 1900 + written
        case 3: 1900 + written
        default: written
        }
    }

    /// Skips whitespace and comments, nested and with `\` quoting; false for a comment that never closes.
    static func skipCFWS(_ c: inout ByteCursor) -> Bool {
        while true {
            c.skipSpaces()
            guard c.eat(UInt8(ascii: "(")) else { return true }
            var depth = 1
            while depth > 0 {
                guard let p = c.peek else { return false }
                c.i += 1
                switch p {
                case UInt8(ascii: "\\"): if !c.atEnd { c.i += 1 }
                case UInt8(ascii: "("): depth += 1
                case UInt8(ascii: ")"): depth -= 1
                default: break
                }
            }
        }
    }

    /// The date as read, with a warning when its day name is not the day it falls on: the
    /// numbers are what people and programs get right, the name is what they copy wrongly.
    static func checked(_ date: ParsedDate?, weekday: Int?, _ y: Int, _ mo: Int, _ d: Int) -> ParsedDate? {
        guard var date, let weekday else { return date }
        let actual = CivilTime.weekday(daysSinceEpoch: CivilTime.daysFromCivil(y, mo, d))
        if actual != weekday {
            date.warning = "the date says \(weekdayNames[weekday]), but \(d) \(monthNames[mo - 1]) \(y) is a \(weekdayNames[actual]); read as \(d) \(monthNames[mo - 1]) \(y)"
        }
        return date
    }
}
