import DialogCore
import Foundation

/// How values look in human output: dates in the record's own offset, money with its currency,
/// durations as h/m/s, sizes in KiB/MiB.
enum Format {
    static func date(_ seconds: Int64, offset: Int32) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: Int(offset)) ?? TimeZone(identifier: "UTC")
        formatter.dateFormat = offset == 0 ? "yyyy-MM-dd HH:mm 'UTC'" : "yyyy-MM-dd HH:mm xxx"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    static func duration(_ seconds: Int64) -> String {
        if seconds < 60 { return "\(seconds)s" }
        let h = seconds / 3600, m = seconds % 3600 / 60, s = seconds % 60
        if h >= 24 { return "\(h / 24)d \(h % 24)h" }
        if h > 0 { return m == 0 ? "\(h)h" : "\(h)h \(m)m" }
        return s == 0 ? "\(m)m" : "\(m)m \(s)s"
    }

    static func bytes(_ count: Int64) -> String { ByteSizeText.binary(count) }

    static func count(_ n: Int) -> String { String(n) }

    /// One line of at most `width` characters.
    static func clip(_ text: String, _ width: Int) -> String {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return line.count <= width ? line : String(line.prefix(width - 1)) + "…"
    }
}
