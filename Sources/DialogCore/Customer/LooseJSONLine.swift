/// A line that looks like JSON and is none (truncated, a trailing comma, an unquoted token), read
/// as far as it goes for `forget` (docs/roi.md "Erasure"): no reader takes it, so there are no
/// cells to judge it by; its string literals and bare tokens, escapes undone where they are
/// whole, are what it says. An unterminated string runs to the end of the line.
public struct LooseJSONLine: Sendable {
    /// A string literal (decoded) or a bare token, and whether a `:` follows it (a member name).
    public struct Token: Sendable, Equatable {
        public var text: String
        public var isName: Bool
    }

    public let tokens: [Token]

    /// Nil when `text` is no JSON-looking line (its first non-space byte is not `{` or `[`) or
    /// when it is valid JSON (then it has cells: `RecordErasure.cells`).
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard let first = bytes.first(where: { !TextDecoding.isSpace($0) }), first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else { return nil }
        guard (try? JSONParser.parse(bytes)) == nil else { return nil }
        tokens = Self.tokens(bytes)
    }

    /// Every token's text: the loose cells.
    public var cells: [String] { tokens.map(\.text) }

    /// The line with its whole escapes undone, for the mention matcher (`\u0040` is `@`).
    public static func unescaped(_ text: String) -> String {
        String(decoding: unescaped(bytes: Array(text.utf8)), as: UTF8.self)
    }

    /// `bytes` with their whole escapes undone (the re-drop scan's decoded lines, `ForgottenMentionScan`).
    public static func unescaped(bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [], i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\\"), let (decoded, next) = escape(bytes, at: i) {
                out += decoded
                i = next
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }

    /// The value of the member `name` after the first `"dialogd"` name (a shipped line's copy
    /// object, `ShippedCopy.member`): the text of the token that follows `name:`.
    public func member(_ name: String, after object: String) -> String? {
        guard let start = tokens.firstIndex(where: { $0.isName && $0.text == object }) else { return nil }
        var i = start + 1
        while i + 1 < tokens.count {
            if tokens[i].isName, tokens[i].text == name, !tokens[i + 1].isName { return tokens[i + 1].text }
            i += 1
        }
        return nil
    }

    private static func tokens(_ bytes: [UInt8]) -> [Token] {
        var tokens: [Token] = [], i = 0
        let structural: Set<UInt8> = Set("{}[],:".utf8)
        func isBare(_ b: UInt8) -> Bool { !structural.contains(b) && !TextDecoding.isSpace(b) && b != UInt8(ascii: "\"") }
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: ":") {
                if !tokens.isEmpty { tokens[tokens.count - 1].isName = true }
                i += 1
            } else if b == UInt8(ascii: "\"") {
                var out: [UInt8] = []
                i += 1
                while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
                    if bytes[i] == UInt8(ascii: "\\"), let (decoded, next) = escape(bytes, at: i) {
                        out += decoded
                        i = next
                    } else {
                        out.append(bytes[i])
                        i += bytes[i] == UInt8(ascii: "\\") && i + 1 < bytes.count ? 2 : 1
                    }
                }
                i += 1
                tokens.append(Token(text: String(decoding: out, as: UTF8.self), isName: false))
            } else if isBare(b) {
                let start = i
                while i < bytes.count, isBare(bytes[i]) { i += 1 }
                tokens.append(Token(text: String(decoding: bytes[start..<i], as: UTF8.self), isName: false))
            } else {
                i += 1
            }
        }
        return tokens
    }

    /// The escape at `at` (a backslash) decoded and the index after it; nil when it is not whole.
    private static func escape(_ bytes: [UInt8], at: Int) -> ([UInt8], Int)? {
        guard at + 1 < bytes.count else { return nil }
        switch bytes[at + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return ([bytes[at + 1]], at + 2)
        case UInt8(ascii: "n"): return ([0x0A], at + 2)
        case UInt8(ascii: "t"): return ([0x09], at + 2)
        case UInt8(ascii: "r"): return ([0x0D], at + 2)
        case UInt8(ascii: "b"): return ([0x08], at + 2)
        case UInt8(ascii: "f"): return ([0x0C], at + 2)
        case UInt8(ascii: "u"):
            guard let high = hex4(bytes, at + 2) else { return nil }
            if (0xD800..<0xDC00).contains(high), bytes.count >= at + 12,
               bytes[at + 6] == UInt8(ascii: "\\"), bytes[at + 7] == UInt8(ascii: "u"), let low = hex4(bytes, at + 8), (0xDC00..<0xE000).contains(low),
               let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) {
                return (Array(String(Character(scalar)).utf8), at + 12)
            }
            guard let scalar = Unicode.Scalar(high) else { return nil }
            return (Array(String(Character(scalar)).utf8), at + 6)
        default: return nil
        }
    }

    private static func hex4(_ bytes: [UInt8], _ at: Int) -> UInt32? {
        guard at + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for b in bytes[at..<(at + 4)] {
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}
