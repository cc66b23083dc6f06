/// CSV as RFC 4180 and Excel want it: fields quoted when they hold the delimiter, a quote,
/// CR or LF (quotes doubled), records ended by CRLF.
public enum CSVText {
    /// UTF-8 byte order mark: Excel reads a file without it as the machine's ANSI code page.
    public static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    public static func field(_ text: String, delimiter: Character) -> String {
        let needsQuotes = text.contains { $0 == delimiter || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
            // A leading or trailing space would be trimmed by some readers.
            || text.first == " " || text.last == " "
        guard needsQuotes else { return text }
        return "\"" + text.replacingAll("\"", with: "\"\"") + "\""
    }

    /// One record, CRLF included.
    public static func line(_ fields: [String], delimiter: Character) -> String {
        fields.map { field($0, delimiter: delimiter) }.joined(separator: String(delimiter)) + "\r\n"
    }
}

extension String {
    /// Replaces every occurrence of one character (no Foundation).
    func replacingAll(_ character: Character, with replacement: String) -> String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for c in self { if c == character { out += replacement } else { out.append(c) } }
        return out
    }
}
