extension Escape {
    /// Text content of an HTML or SVG element: `&`, `<`, `>` and both quotes become entities,
    /// so the same output is also safe inside a quoted attribute. Bytewise: every byte of a
    /// multi-byte UTF-8 scalar is ≥ 0x80, so a combining mark can never hide a quote.
    public static func htmlText(_ text: String) -> String {
        guard text.utf8.contains(where: { htmlEntity($0) != nil }) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            if let entity = htmlEntity(byte) { out += entity.utf8 } else { out.append(byte) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A value placed between double (or single) quotes of an HTML attribute: as `htmlText`, plus
    /// the backtick old browsers took as a quote, so no byte of the value can end the attribute.
    public static func htmlAttribute(_ value: String) -> String {
        let text = htmlText(value)
        guard text.utf8.contains(UInt8(ascii: "`")) else { return text }
        return String(decoding: text.utf8.flatMap { $0 == UInt8(ascii: "`") ? Array("&#96;".utf8) : [$0] }, as: UTF8.self)
    }

    private static func htmlEntity(_ byte: UInt8) -> String? {
        switch byte {
        case UInt8(ascii: "&"): return "&amp;"
        case UInt8(ascii: "<"): return "&lt;"
        case UInt8(ascii: ">"): return "&gt;"
        case UInt8(ascii: "\""): return "&quot;"
        case UInt8(ascii: "'"): return "&#39;"
        default: return nil
        }
    }
}
