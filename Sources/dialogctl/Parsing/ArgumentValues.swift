import Foundation

/// Parsers for option values, each with a usage error that names the option.
enum ArgumentValues {
    /// A point in time: Unix seconds, `YYYY-MM-DD` (UTC midnight), RFC 3339, or an age such as
    /// `30m`, `12h`, `7d`, `4w` before `now`.
    static func time(_ text: String, option: String, now: Int64, cursor: ArgumentCursor) throws(UsageError) -> Int64 {
        if let seconds = Int64(text) { return seconds }
        if let unit = text.last, let amount = Int64(text.dropLast()), amount >= 0 {
            let scale: Int64? = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604_800][unit]
            if let scale { return now - amount * scale }
        }
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return Int64(date.timeIntervalSince1970) }
        formatter.formatOptions = [.withFullDate]
        if let date = formatter.date(from: text) { return Int64(date.timeIntervalSince1970) }
        throw cursor.error("\(option) '\(text)' is not a time (try 2026-11-01, 2026-11-01T08:00:00Z, 7d or Unix seconds)")
    }

    static func integer(_ text: String, option: String, in range: ClosedRange<Int>, cursor: ArgumentCursor) throws(UsageError) -> Int {
        guard let value = Int(text), range.contains(value) else {
            throw cursor.error("\(option) '\(text)' must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }
}
