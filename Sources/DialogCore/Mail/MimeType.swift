/// A `Content-Type` or `Content-Disposition` value: the lowercased type (`text/plain`,
/// `attachment`) and its parameters (names lowercased), with RFC 2231 continuations and
/// charset-tagged values (`filename*=UTF-8''Angebot%20M%C3%BCller.pdf`) joined and decoded.
public struct MimeType: Sendable, Equatable {
    public var value: String
    public var parameters: [String: String]

    public init(_ raw: String) {
        var parts = Self.split(raw)
        value = parts.isEmpty ? "" : parts.removeFirst().trimmingWhitespace().lowercased()
        var plain: [String: String] = [:]
        var pieces: [String: [(Int, String, Bool)]] = [:]
        for part in parts {
            guard let eq = part.firstIndex(of: "=") else { continue }
            var name = part[..<eq].trimmingWhitespace().lowercased()
            var v = part[part.index(after: eq)...].trimmingWhitespace()
            if v.hasPrefix("\""), v.count >= 2 { v = Self.unquote(v) }
            guard !name.isEmpty else { continue }
            var encoded = false
            if name.hasSuffix("*") { encoded = true; name.removeLast() }
            if let star = name.firstIndex(of: "*"), let index = Int(name[name.index(after: star)...]) {
                pieces[String(name[..<star]), default: []].append((index, v, encoded))
            } else if encoded {
                pieces[name, default: []].append((0, v, true))
            } else if plain[name] == nil {
                plain[name] = v
            }
        }
        for (name, list) in pieces {
            let sorted = list.sorted { $0.0 < $1.0 }
            var charset: String? = nil
            var bytes: [UInt8] = []
            for (k, piece) in sorted.enumerated() {
                var text = Substring(piece.1)
                if piece.2, k == 0 {
                    // charset'language'value
                    let quoteParts = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                    if quoteParts.count == 3 { charset = String(quoteParts[0]); text = quoteParts[2] }
                }
                bytes += piece.2 ? Self.percentDecoded(text) : Array(text.utf8)
            }
            plain[name] = MailCharset.decode(bytes, charset: charset).text
        }
        parameters = plain
    }

    public var type: Substring { value.split(separator: "/", maxSplits: 1).first ?? "" }

    /// Splits at `;` outside quoted strings.
    static func split(_ raw: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for ch in raw.unicodeScalars {
            if escaped { current.unicodeScalars.append(ch); escaped = false; continue }
            if quoted, ch == "\\" { current.unicodeScalars.append(ch); escaped = true; continue }
            if ch == "\"" { quoted.toggle() }
            if ch == ";", !quoted { parts.append(current); current = ""; continue }
            current.unicodeScalars.append(ch)
        }
        parts.append(current)
        return parts
    }

    static func unquote(_ s: String) -> String {
        var out = ""
        var escaped = false
        for ch in s.unicodeScalars.dropFirst() {
            if escaped { out.unicodeScalars.append(ch); escaped = false; continue }
            if ch == "\\" { escaped = true; continue }
            if ch == "\"" { break }
            out.unicodeScalars.append(ch)
        }
        return out
    }

    static func percentDecoded(_ s: Substring) -> [UInt8] {
        let b = Array(s.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < b.count {
            if b[i] == 0x25, i + 2 < b.count, let h = TransferDecoding.hex(b[i + 1]), let l = TransferDecoding.hex(b[i + 2]) {
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return out
    }
}
