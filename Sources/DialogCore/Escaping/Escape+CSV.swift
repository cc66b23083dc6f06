extension Escape {
    /// UTF-8 byte order mark: Excel reads a CSV without it in the machine's ANSI code page.
    public static let csvByteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// One RFC 4180 field: quoted when it holds the delimiter, a quote, CR or LF or starts or ends
    /// with a space (readers trim those), quotes doubled — all on bytes. `delimiter` is ASCII.
    /// A NUL (a stored `\u0000`) becomes U+FFFD: psql's `\copy` ends the line there and other
    /// readers refuse it, so one hostile text would break or cut a whole load.
    public static func csvField(_ text: String, delimiter: UInt8) -> String {
        var needsQuotes = text.utf8.first == 0x20 || text.utf8.last == 0x20
        var hasQuote = false, hasNul = false
        for byte in text.utf8 where byte == delimiter || byte == 0x22 || byte == 0x0A || byte == 0x0D || byte == 0 {
            if byte == 0 { hasNul = true; continue }
            needsQuotes = true
            if byte == 0x22 { hasQuote = true }
        }
        guard needsQuotes || hasNul else { return text }
        var out: [UInt8] = needsQuotes ? [0x22] : []
        out.reserveCapacity(text.utf8.count + 8)
        for byte in text.utf8 {
            if byte == 0 { out += [0xEF, 0xBF, 0xBD]; continue }
            out.append(byte)
            if hasQuote, byte == 0x22 { out.append(0x22) }
        }
        if needsQuotes { out.append(0x22) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Text a spreadsheet would run as a formula gets a leading `'` (OWASP "CSV injection"): a
    /// first scalar of `=` `+` `-` `@` (or their full-width forms, which Excel folds), tab, CR or
    /// LF, also after leading spaces. For text cells only: numbers the daemon computed stay numbers.
    public static func csvInert(_ text: String) -> String {
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x20: continue
            case 0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D, 0x0A, 0xFF1D, 0xFF0B, 0xFF0D, 0xFF20: return "'" + text
            default: return text
            }
        }
        return text
    }

    /// A text cell: neutralised, then quoted as needed.
    public static func csvTextCell(_ text: String, delimiter: UInt8) -> String {
        csvField(csvInert(text), delimiter: delimiter)
    }

    /// One record of already-escaped-or-computed cells, quoted as needed, CRLF included.
    public static func csvRecord(_ fields: [String], delimiter: UInt8) -> String {
        fields.map { csvField($0, delimiter: delimiter) }.joined(separator: String(decoding: [delimiter], as: UTF8.self)) + "\r\n"
    }
}
