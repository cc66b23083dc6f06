import DialogCore
import Foundation

/// Parsers for option values, each with a usage error that names the option.
enum ArgumentValues {
    /// A point in time: Unix seconds or an age such as `30m`, `36h`, `14d`, `2w` before `now`
    /// (sent as seconds), or a date in any form a record may use (`2026-11-01`, `01.11.2026`,
    /// `28.11.26 14:05`, RFC 3339, RFC 5322), sent as written: the daemon reads it in its
    /// `[records] timezone`, as it reads the records, so `2026-11-01` is local midnight.
    static func time(_ text: String, option: String, now: Int64, cursor: ArgumentCursor) throws(UsageError) -> ArgumentValue {
        if let seconds = Int64(text) { return .integer(seconds) }
        if let unit = text.last, text.dropLast().allSatisfy({ $0.isASCII && $0.isNumber }), let amount = Int64(text.dropLast()),
           let scale: Int64 = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604_800][unit] {
            let (back, overflow) = amount.multipliedReportingOverflow(by: scale)
            guard !overflow, back <= 1 << 40 else { throw cursor.error("\(option) '\(text)' reaches too far back") }
            return .integer(now - back)
        }
        // The zone does not change whether the text is a date; the daemon applies its own.
        guard DateParser.parse(text, timeZone: .gmt) != nil else {
            throw cursor.error("\(option) '\(text)' is not a time (try 2026-11-01, 01.11.2026, 2026-11-01T08:00:00Z, 14d, 36h, 2w or Unix seconds)")
        }
        return .string(text)
    }

    /// Whether `since` comes before `until`, when that can be told before sending: both Unix
    /// seconds, or both dates (compared in one zone, as the daemon will read them); else nil.
    static func ordered(_ since: ArgumentValue?, _ until: ArgumentValue?) -> Bool? {
        switch (since, until) {
        case (.integer(let a)?, .integer(let b)?): return a < b
        case (.string(let a)?, .string(let b)?):
            guard let a = DateParser.parse(a, timeZone: .current), let b = DateParser.parse(b, timeZone: .current) else { return nil }
            return a.seconds < b.seconds
        default: return nil
        }
    }

    static func integer(_ text: String, option: String, in range: ClosedRange<Int>, cursor: ArgumentCursor) throws(UsageError) -> Int {
        guard let value = Int(text), range.contains(value) else {
            throw cursor.error("\(option) '\(text)' must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// A site id (`[site] id`), lowercased.
    static func site(_ text: String, option: String, cursor: ArgumentCursor) throws(UsageError) -> String {
        let id = text.lowercased()
        guard SiteID.isValid(id) else { throw cursor.error("\(option) '\(text)' must be a site id: \(SiteID.form)") }
        return id
    }
}
