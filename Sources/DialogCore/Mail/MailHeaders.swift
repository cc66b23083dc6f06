/// The header section of a message or MIME part (RFC 5322 §2.2): fields unfolded, names
/// lowercased, values as raw bytes (their charset is decided by who reads them).
public struct MailHeaders: Sendable, Equatable {
    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: [UInt8]
    }

    public var fields: [Field] = []

    /// The first field called `name` (lowercase), raw.
    public func raw(_ name: String) -> [UInt8]? { fields.first { $0.name == name }?.value }

    /// The first field called `name` as text: 8-bit bytes as UTF-8, else Windows-1252; no
    /// encoded words decoded (for structured fields: dates, ids, content types).
    public func text(_ name: String) -> String? { raw(name).map { MailCharset.fallback($0).trimmingWhitespace() } }

    /// Every field called `name` as text (address fields may be given more than once).
    public func texts(_ name: String) -> [String] {
        fields.filter { $0.name == name }.map { MailCharset.fallback($0.value).trimmingWhitespace() }
    }

    /// An unstructured field (Subject) with its RFC 2047 encoded words decoded.
    /// Folding tabs read as spaces.
    public func decoded(_ name: String) -> String? {
        raw(name).map { EncodedWords.decode($0.map { $0 == 0x09 ? 0x20 : $0 }).trimmingWhitespace() }
    }

    /// Splits `message` (line ends LF or CRLF) into its headers and the offset of its body.
    /// Parsing stops at the first empty line, or at a line that is neither a field nor a
    /// continuation (a body without the blank line); `maxFields` bounds a hostile header block.
    public static func parse(_ message: ArraySlice<UInt8>, maxFields: Int = 1000) -> (headers: MailHeaders, bodyStart: Int) {
        var headers = MailHeaders()
        var i = message.startIndex
        let end = message.endIndex
        while i < end {
            var e = i
            while e < end, message[e] != 0x0A { e += 1 }
            var lineEnd = e
            if lineEnd > i, message[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            let next = min(e + 1, end)
            if lineEnd == i { return (headers, next) }
            let first = message[i]
            if first == 0x20 || first == 0x09 {
                if !headers.fields.isEmpty {
                    headers.fields[headers.fields.count - 1].value += message[i..<lineEnd]
                }
                i = next
                continue
            }
            guard let colon = message[i..<lineEnd].firstIndex(of: 0x3A), colon > i,
                  message[i..<colon].allSatisfy({ $0 > 0x20 && $0 < 0x7F || $0 == 0x20 })
            else {
                // A line that is no header: the body begins here (broken mail without the blank line).
                return (headers, i)
            }
            if headers.fields.count < maxFields {
                let name = String(decoding: message[i..<colon], as: UTF8.self).trimmingWhitespace().lowercased()
                var v = colon + 1
                while v < lineEnd, message[v] == 0x20 || message[v] == 0x09 { v += 1 }
                headers.fields.append(Field(name: name, value: Array(message[v..<lineEnd])))
            }
            i = next
        }
        return (headers, end)
    }
}
