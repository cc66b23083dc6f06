/// CSV as RFC 4180 and Excel want it: fields quoted when they hold the delimiter, a quote,
/// CR or LF (quotes doubled), records ended by CRLF.
public enum CSVText {
    /// UTF-8 byte order mark: Excel reads a file without it as the machine's ANSI code page.
    public static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// `delimiter` is ASCII (`,` `;` or tab), so the scan is over bytes.
    public static func field(_ text: String, delimiter: Character) -> String {
        let d = delimiter.asciiValue ?? UInt8(ascii: ",")
        var quotes = false
        var needsQuotes = text.utf8.first == 0x20 || text.utf8.last == 0x20  // readers trim spaces
        for byte in text.utf8 where byte == d || byte == 0x22 || byte == 0x0A || byte == 0x0D {
            needsQuotes = true
            if byte == 0x22 { quotes = true; break }
        }
        guard needsQuotes else { return text }
        return "\"" + (quotes ? text.replacingAll("\"", with: "\"\"") : text) + "\""
    }

    /// Text a spreadsheet would take for a formula (`=`, `+`, `-`, `@`, tab, CR first) gets a
    /// leading `'`, so a record someone dropped cannot run `=HYPERLINK(…)` in a manager's Excel
    /// (OWASP "CSV injection"). Only for text cells: numbers the daemon computed stay numbers.
    public static func inert(_ text: String) -> String {
        guard let first = text.utf8.first, [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D].contains(first) else {
            return text
        }
        return "'" + text
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
