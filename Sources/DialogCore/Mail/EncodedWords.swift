/// RFC 2047 encoded words (`=?ISO-8859-1?Q?Gr=FC=DFe?=`) in an unfolded header value.
/// Whitespace between two encoded words is dropped; adjacent words in one charset are decoded
/// together, so a character split across two words (as some mailers write it) survives.
public enum EncodedWords {
    public static func decode(_ value: [UInt8]) -> String {
        var out = ""
        var pendingBytes: [UInt8] = []
        var pendingCharset: String? = nil
        var gap: [UInt8] = []
        var literal: [UInt8] = []
        func flushWords() {
            if let charset = pendingCharset {
                out += MailCharset.decode(pendingBytes, charset: charset).text
                pendingBytes.removeAll()
                pendingCharset = nil
            }
        }
        func flushLiteral() {
            if !literal.isEmpty {
                out += MailCharset.fallback(literal)
                literal.removeAll()
            }
        }
        var i = 0
        let n = value.count
        var cache = (close: -1, blank: -1)
        while i < n {
            if value[i] == 0x3D, i + 1 < n, value[i + 1] == 0x3F, let word = encodedWord(value, at: i, &cache) {
                flushLiteral()
                // Only whitespace between two encoded words is dropped; other text stays.
                let betweenWords = pendingCharset != nil
                if betweenWords, pendingCharset != word.charset { flushWords() }
                if !betweenWords, !gap.isEmpty { out += MailCharset.fallback(gap) }
                gap.removeAll()
                pendingCharset = word.charset
                pendingBytes += word.bytes
                i = word.end
                continue
            }
            let c = value[i]
            if pendingCharset != nil || !gap.isEmpty, c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A {
                gap.append(c == 0x09 || c == 0x0D || c == 0x0A ? 0x20 : c)
                i += 1
                continue
            }
            flushWords()
            if !gap.isEmpty { literal += gap; gap.removeAll() }
            literal.append(c)
            i += 1
        }
        flushWords()
        literal += gap
        flushLiteral()
        return out
    }

    /// The encoded word starting at `start` (`=?charset?B|Q?text?=`), if one does.
    static func encodedWord(_ v: [UInt8], at start: Int, _ cache: inout (close: Int, blank: Int)) -> (charset: String, bytes: [UInt8], end: Int)? {
        let n = v.count
        var k = start + 2
        let charsetStart = k
        while k < n, v[k] != 0x3F, v[k] > 0x20, k - charsetStart < 60 { k += 1 }
        guard k < n, v[k] == 0x3F, k > charsetStart, k + 2 < n, v[k + 2] == 0x3F else { return nil }
        let charset = String(decoding: v[charsetStart..<k], as: UTF8.self).lowercased()
        let encoding = v[k + 1] | 0x20
        guard encoding == 0x62 || encoding == 0x71 else { return nil }
        let textStart = k + 3
        // Encoded text has no blanks (RFC 2047 §5): a blank before `?=` means this was no word.
        let e = next(v, from: textStart, &cache.close) { v[$0] == 0x3F && $0 + 1 < n && v[$0 + 1] == 0x3D }
        let blank = next(v, from: textStart, &cache.blank) { v[$0] == 0x20 || v[$0] == 0x09 }
        guard e < n, blank > e else { return nil }
        let text = v[textStart..<e]
        let bytes = encoding == 0x62 ? TransferDecoding.base64(text) : TransferDecoding.qWord(Array(text))
        return (charset, bytes, e + 2)
    }

    /// The first index at or after `from` where `matches` holds (`v.count` if none). Starts only
    /// grow within one header, so the last answer is reused while it lies ahead: a header full
    /// of unclosed `=?` is scanned once, not once per `=?`.
    static func next(_ v: [UInt8], from: Int, _ cached: inout Int, _ matches: (Int) -> Bool) -> Int {
        if cached >= from { return cached }
        var e = from
        while e < v.count, !matches(e) { e += 1 }
        cached = e
        return e
    }
}
