/// German and English tokenizer (docs/classification.md): lowercased and folded words (`TextFolding`),
/// stop words dropped, and placeholders for things whose exact spelling says nothing about the
/// label: `<url>`, `<email>`, `<handle>` (@name), `<num>`, `<money>` (a number with a currency).
/// Works on Unicode scalars with one reusable byte buffer: no regular expressions, so it keeps
/// up with the ingest loop.
public enum Tokenizer {
    public static let url = "<url>", email = "<email>", handle = "<handle>", number = "<num>", money = "<money>"

    /// Currency words that turn an adjacent number into `<money>` (folded spelling).
    static let currencyWords = WordSet(["eur", "euro", "euros", "usd", "dollar", "dollars", "chf", "franken", "gbp", "pfund", "pounds", "cent", "cents", "ct"])

    /// At most this many bytes of a text are read (docs/classification.md): a conversation's label
    /// shows in its first pages, and a 4 MiB record must not cost the classifier 100 MiB or the loop a second.
    public static let maxBytes = 65_536
    /// At most this many words of a text are kept, for the same reason (a text of one-letter words).
    public static let maxTokens = 10_000

    /// The words of `text` in order, stop words removed; only its first `maxBytes` bytes and
    /// `maxTokens` words are read (a word cut by the byte bound is dropped).
    public static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        tokens.reserveCapacity(16)
        var chunk: [Unicode.Scalar] = []
        chunk.reserveCapacity(32)
        var word: [UInt8] = []
        word.reserveCapacity(32)
        var bytes = 0
        var cut = false
        for scalar in text.unicodeScalars {
            bytes += UTF8.width(scalar)
            if bytes > maxBytes || tokens.count >= maxTokens { cut = true; break }
            if isSpace(scalar) {
                if !chunk.isEmpty { emitChunk(chunk, into: &tokens, word: &word); chunk.removeAll(keepingCapacity: true) }
            } else {
                chunk.append(scalar)
            }
        }
        if !chunk.isEmpty, !cut { emitChunk(chunk, into: &tokens, word: &word) }
        if tokens.count > maxTokens { tokens.removeSubrange(maxTokens...) }
        return markMoney(tokens).filter { !StopWords.all.contains($0) }
    }

    /// One whitespace-separated chunk: a URL, address or handle as a whole, else its words.
    private static func emitChunk(_ raw: [Unicode.Scalar], into tokens: inout [String], word: inout [UInt8]) {
        // Trim punctuation around the chunk, but keep the marks that say what it is.
        var start = 0, end = raw.count
        while start < end, isTrimmable(raw[start]) { start += 1 }
        while end > start, isTrimmable(raw[end - 1]) || raw[end - 1] == "@" { end -= 1 }
        guard start < end else { return }
        let chunk = raw[start..<end]
        if hasURLPrefix(chunk) { tokens.append(url); return }
        if let at = chunk.firstIndex(of: "@") {
            if at == start, end - start > 1 { tokens.append(handle); return }
            if at > start, chunk[at...].contains(".") { tokens.append(email); return }
        }
        var hasCurrencySign = false
        var isNumber = true
        word.removeAll(keepingCapacity: true)
        var i = start
        func flush() {
            guard !word.isEmpty else { return }
            if isNumber {
                tokens.append(hasCurrencySign ? money : number)
            } else {
                tokens.append(String(decoding: word, as: UTF8.self))
            }
            word.removeAll(keepingCapacity: true)
            isNumber = true
        }
        while i < end {
            let s = chunk[i]
            if s == "€" || s == "$" || s == "£" {
                hasCurrencySign = true
            }
            if isLetter(s) {
                isNumber = false
                TextFolding.append(s, to: &word)
            } else if isDigit(s) {
                TextFolding.append(s, to: &word)
            } else if (s == "." || s == "," || s == ":") && isNumber && !word.isEmpty && i + 1 < end && isDigit(chunk[i + 1]) {
                // 1.200,50 and 14:05 stay one number
            } else if s == "'" || s == "’" {
                // don't → dont, Kunde's → kundes
            } else {
                flush()
            }
            i += 1
        }
        flush()
        if hasCurrencySign, let last = tokens.last, last == number { tokens[tokens.count - 1] = money }
    }

    /// `<num>` next to a currency word becomes `<money>` and the currency word goes.
    private static func markMoney(_ tokens: [String]) -> [String] {
        guard tokens.contains(number) else { return tokens }
        var out: [String] = []
        out.reserveCapacity(tokens.count)
        var i = 0
        while i < tokens.count {
            let t = tokens[i]
            if t == number, i + 1 < tokens.count, currencyWords.contains(tokens[i + 1]) {
                out.append(money); i += 2; continue
            }
            if currencyWords.contains(t), i + 1 < tokens.count, tokens[i + 1] == number {
                out.append(money); i += 2; continue
            }
            out.append(t)
            i += 1
        }
        return out
    }

    // ASCII first: the Unicode property lookups cost more than the rest of the tokenizer.
    @inline(__always)
    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x80 ? (s.value == 32 || (9...13).contains(s.value)) : s.properties.isWhitespace
    }

    @inline(__always)
    static func isLetter(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 { return (v | 0x20) >= 0x61 && (v | 0x20) <= 0x7A }
        return s.properties.isAlphabetic
    }

    @inline(__always)
    static func isDigit(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 { return v >= 0x30 && v <= 0x39 }
        return s.properties.numericType != nil
    }

    private static func isTrimmable(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "(", ")", "[", "]", "{", "}", "\"", "'", "„", "“", "”", "‚", "‘", "’", "«", "»", "<", ">", ",", ";", ":", "!", "?", ".", "…", "*", "_": return true
        default: return false
        }
    }

    /// Called for every chunk of every text: an ASCII start is compared scalar by scalar (issue 17,
    /// a String per chunk was a quarter of the streamed prepare step); anything else goes the
    /// `String` way, whose `hasPrefix` compares Characters (a combining mark after the prefix
    /// makes it no prefix), so both ways give the same answers.
    static func hasURLPrefix(_ chunk: ArraySlice<Unicode.Scalar>) -> Bool {
        let head = chunk.prefix(8)
        guard head.allSatisfy({ $0.value < 0x80 }) else { return hasURLPrefixOfText(head) }
        func starts(_ prefix: StaticString) -> Bool {
            guard head.count >= prefix.utf8CodeUnitCount else { return false }
            return prefix.withUTF8Buffer { p in
                var i = head.startIndex
                for byte in p {
                    let v = head[i].value
                    if (v >= 0x41 && v <= 0x5A ? v | 0x20 : v) != UInt32(byte) { return false }
                    i += 1
                }
                return true
            }
        }
        return starts("http://") || starts("https://") || starts("www.")
    }

    static func hasURLPrefixOfText(_ chunk: ArraySlice<Unicode.Scalar>) -> Bool {
        var lower = ""
        for s in chunk.prefix(8) { lower.unicodeScalars.append(s.value < 0x80 ? Unicode.Scalar(UInt8(s.value) | (s.value >= 0x41 && s.value <= 0x5A ? 0x20 : 0)) : s) }
        return lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("www.")
    }
}
