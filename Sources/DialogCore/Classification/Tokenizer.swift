/// German and English tokenizer (docs/classification.md): lowercased and folded words (`TextFolding`),
/// stop words dropped, and placeholders for things whose exact spelling says nothing about the
/// label: `<url>`, `<email>`, `<handle>` (@name), `<num>`, `<money>` (a number with a currency).
/// Works on Unicode scalars and writes the tokens' folded bytes into one `TokenList` (no String
/// per token, no regular expressions), so it keeps up with the ingest loop.
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
        tokenList(text).strings
    }

    /// `tokens` of `text` as one byte buffer.
    static func tokenList(_ text: String) -> TokenList {
        var scan = Scan()
        _ = scan.read(text, last: true)
        scan.markMoneyDroppingStopWords()
        return scan.list
    }

    /// `tokens` of `first`, a line break and `second`, as if they were one text (not joined: no copy).
    static func tokenList(_ first: String, _ second: String) -> TokenList {
        var scan = Scan()
        if scan.read(first, last: false) { _ = scan.read(second, last: true) }
        scan.markMoneyDroppingStopWords()
        return scan.list
    }

    /// One tokenization, on the texts' UTF-8 as it is stored: a chunk (the scalars between two
    /// spaces) is a range of those bytes, decoded scalar by scalar where it is read, and its
    /// tokens are written straight into one `TokenList`. The text is valid UTF-8 (a `String`).
    struct Scan {
        var list = TokenList()
        var bytes = 0

        init() {
            list.bytes.reserveCapacity(256)
            list.ends.reserveCapacity(32)
        }

        /// Reads `text`; false once a bound is reached (nothing more is read). After a text that is
        /// not the `last`, a line break follows (it ends the text's last chunk like any space).
        mutating func read(_ text: String, last: Bool) -> Bool {
            var text = text
            return text.withUTF8 { b in
                var chunkStart = 0
                var p = 0
                while p < b.count {
                    let (scalar, width) = Tokenizer.scalar(at: p, in: b)
                    bytes += width
                    if bytes > maxBytes || list.count >= maxTokens { return false }
                    if isSpace(scalar) {
                        if chunkStart < p { emitChunk(UnsafeBufferPointer(rebasing: b[chunkStart..<p])) }
                        chunkStart = p + width
                    }
                    p += width
                }
                if !last {
                    // The line break between the texts.
                    bytes += 1
                    if bytes > maxBytes || list.count >= maxTokens { return false }
                }
                if chunkStart < b.count { emitChunk(UnsafeBufferPointer(rebasing: b[chunkStart...])) }
                return true
            }
        }

        /// Whether the last token is `placeholder`.
        func lastIs(_ placeholder: StaticString) -> Bool {
            guard let end = list.ends.last else { return false }
            let start = list.count > 1 ? Int(list.ends[list.count - 2]) : 0
            return placeholder.withUTF8Buffer { p in
                Int(end) - start == p.count && list.bytes[start..<Int(end)].elementsEqual(p)
            }
        }

        mutating func append(_ placeholder: StaticString) {
            placeholder.withUTF8Buffer { list.bytes.append(contentsOf: $0) }
            list.ends.append(UInt32(list.bytes.count))
        }

        /// One whitespace-separated chunk: a URL, address or handle as a whole, else its words.
        mutating func emitChunk(_ chunk: UnsafeBufferPointer<UInt8>) {
            // Trim punctuation around the chunk, but keep the marks that say what it is.
            var start = 0, end = chunk.count
            while start < end {
                let (s, width) = Tokenizer.scalar(at: start, in: chunk)
                guard isTrimmable(s) else { break }
                start += width
            }
            while end > start {
                let (s, width) = Tokenizer.scalar(endingAt: end, in: chunk)
                guard isTrimmable(s) || s == "@" else { break }
                end -= width
            }
            guard start < end else { return }
            if hasURLPrefix(UnsafeBufferPointer(rebasing: chunk[start..<end])) { append(urlToken); return }
            // `@` and `.` are single bytes that no multi-byte scalar contains.
            if let at = chunk[start..<end].firstIndex(of: UInt8(ascii: "@")) {
                if at == start, end - start > 1 { append(handleToken); return }
                if at > start, chunk[at..<end].contains(UInt8(ascii: ".")) { append(emailToken); return }
            }
            var hasCurrencySign = false
            var isNumber = true
            // The word being read is the tail of `list.bytes` from `wordStart`.
            var wordStart = list.bytes.count
            var i = start
            while i < end {
                // A run of ASCII letters and digits (most of any text) is copied and lowercased
                // at once: what the scalar steps below would do to each of its bytes.
                if Self.isASCIIAlphanumeric(chunk[i]) {
                    var j = i
                    var letters = false
                    while j < end, Self.isASCIIAlphanumeric(chunk[j]) {
                        if chunk[j] > 0x39 { letters = true }
                        j += 1
                    }
                    let from = list.bytes.count
                    list.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[i..<j]))
                    if letters {
                        isNumber = false
                        list.bytes.withUnsafeMutableBufferPointer { b in
                            for k in from..<b.count where b[k] <= 0x5A && b[k] >= 0x41 { b[k] |= 0x20 }
                        }
                    }
                    i = j
                    continue
                }
                let (s, width) = Tokenizer.scalar(at: i, in: chunk)
                if s == "€" || s == "$" || s == "£" {
                    hasCurrencySign = true
                }
                if isLetter(s) {
                    isNumber = false
                    TextFolding.append(s, to: &list.bytes)
                } else if isDigit(s) {
                    TextFolding.append(s, to: &list.bytes)
                } else if (s == "." || s == "," || s == ":") && isNumber && list.bytes.count > wordStart && i + width < end
                            && isDigit(Tokenizer.scalar(at: i + width, in: chunk).0) {
                    // 1.200,50 and 14:05 stay one number
                } else if s == "'" || s == "’" {
                    // don't → dont, Kunde's → kundes
                } else if list.bytes.count > wordStart {
                    endWord(from: wordStart, isNumber: isNumber, hasCurrencySign: hasCurrencySign)
                    wordStart = list.bytes.count
                    isNumber = true
                }
                i += width
            }
            if list.bytes.count > wordStart { endWord(from: wordStart, isNumber: isNumber, hasCurrencySign: hasCurrencySign) }
            // Also a number of an earlier chunk: `20 €`.
            if hasCurrencySign, lastIs(numberToken) {
                list.bytes.removeLast(numberToken.utf8CodeUnitCount)
                moneyToken.withUTF8Buffer { list.bytes.append(contentsOf: $0) }
                list.ends[list.count - 1] = UInt32(list.bytes.count)
            }
        }

        @inline(__always)
        static func isASCIIAlphanumeric(_ c: UInt8) -> Bool {
            (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A)
        }

        /// The word in `list.bytes` from `start` is a token; a number becomes its placeholder.
        @inline(__always)
        mutating func endWord(from start: Int, isNumber: Bool, hasCurrencySign: Bool) {
            if isNumber {
                list.bytes.removeSubrange(start...)
                (hasCurrencySign ? moneyToken : numberToken).withUTF8Buffer { list.bytes.append(contentsOf: $0) }
            }
            list.ends.append(UInt32(list.bytes.count))
        }

        /// The first `maxTokens` tokens, in place: `<num>` next to a currency word becomes
        /// `<money>` (the currency word goes), then stop words are dropped. A token only ever
        /// moves toward the start (`<money>` is no longer than the two tokens it replaces).
        mutating func markMoneyDroppingStopWords() {
            let n = min(list.count, maxTokens)
            var written = 0, kept = 0
            list.bytes.withUnsafeMutableBufferPointer { b in
                list.ends.withUnsafeMutableBufferPointer { ends in
                    func put(_ bytes: UnsafeBufferPointer<UInt8>) {
                        if let from = bytes.baseAddress, let base = b.baseAddress, bytes.count > 0 {
                            // May overlap the token's old place: memmove.
                            UnsafeMutableRawPointer(base + written).copyMemory(from: from, byteCount: bytes.count)
                        }
                        written += bytes.count
                        ends[kept] = UInt32(written)
                        kept += 1
                    }
                    var i = 0
                    var previousEnd = 0
                    while i < n {
                        let end = Int(ends[i])
                        let t = UnsafeBufferPointer(rebasing: UnsafeBufferPointer(b)[previousEnd..<end])
                        if i + 1 < n {
                            let next = UnsafeBufferPointer(rebasing: UnsafeBufferPointer(b)[end..<Int(ends[i + 1])])
                            if (Self.equals(t, numberToken) && currencyWords.contains(next))
                                || (currencyWords.contains(t) && Self.equals(next, numberToken)) {
                                previousEnd = Int(ends[i + 1])
                                moneyToken.withUTF8Buffer { put($0) }
                                i += 2
                                continue
                            }
                        }
                        previousEnd = end
                        if !StopWords.all.contains(t) { put(t) }
                        i += 1
                    }
                }
            }
            list.bytes.removeSubrange(written...)
            list.ends.removeSubrange(kept...)
        }

        @inline(__always)
        static func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ placeholder: StaticString) -> Bool {
            placeholder.withUTF8Buffer { bytes.count == $0.count && bytes.elementsEqual($0) }
        }
    }

    static let urlToken: StaticString = "<url>", emailToken: StaticString = "<email>", handleToken: StaticString = "<handle>"
    static let numberToken: StaticString = "<num>", moneyToken: StaticString = "<money>"

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

    static func isTrimmable(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "(", ")", "[", "]", "{", "}", "\"", "'", "„", "“", "”", "‚", "‘", "’", "«", "»", "<", ">", ",", ";", ":", "!", "?", ".", "…", "*", "_": return true
        default: return false
        }
    }

    /// Called for every chunk of every text: an ASCII start is compared byte by byte (issue 17,
    /// a String per chunk was a quarter of the streamed prepare step); anything else goes the
    /// `String` way, whose `hasPrefix` compares Characters (a combining mark after the prefix
    /// makes it no prefix), so both ways give the same answers.
    static func hasURLPrefix(_ chunk: UnsafeBufferPointer<UInt8>) -> Bool {
        // The first 8 scalars are ASCII exactly when the first 8 bytes are.
        let head = UnsafeBufferPointer(rebasing: chunk.prefix(8))
        guard head.allSatisfy({ $0 < 0x80 }) else {
            var scalars: [Unicode.Scalar] = []
            var p = 0
            while p < chunk.count, scalars.count < 8 {
                let (s, width) = scalar(at: p, in: chunk)
                scalars.append(s)
                p += width
            }
            return hasURLPrefixOfText(scalars[...])
        }
        func starts(_ prefix: StaticString) -> Bool {
            guard head.count >= prefix.utf8CodeUnitCount else { return false }
            return prefix.withUTF8Buffer { p in
                for k in 0..<p.count {
                    let v = head[k]
                    if (v >= 0x41 && v <= 0x5A ? v | 0x20 : v) != p[k] { return false }
                }
                return true
            }
        }
        return starts("http://") || starts("https://") || starts("www.")
    }

    /// `hasURLPrefix` of a chunk given as scalars (the tests hold it against the String way).
    static func hasURLPrefix(_ chunk: ArraySlice<Unicode.Scalar>) -> Bool {
        Array(String(String.UnicodeScalarView(chunk)).utf8).withUnsafeBufferPointer { hasURLPrefix($0) }
    }

    /// The scalar whose UTF-8 starts at `p` of valid UTF-8 `b`, and its width in bytes.
    @inline(__always)
    static func scalar(at p: Int, in b: UnsafeBufferPointer<UInt8>) -> (Unicode.Scalar, Int) {
        let c0 = UInt32(b[p])
        if c0 < 0x80 { return (Unicode.Scalar(UInt8(c0)), 1) }
        let value: UInt32, width: Int
        if c0 < 0xE0 {
            (value, width) = ((c0 & 0x1F) << 6 | UInt32(b[p + 1] & 0x3F), 2)
        } else if c0 < 0xF0 {
            (value, width) = ((c0 & 0x0F) << 12 | UInt32(b[p + 1] & 0x3F) << 6 | UInt32(b[p + 2] & 0x3F), 3)
        } else {
            (value, width) = ((c0 & 0x07) << 18 | UInt32(b[p + 1] & 0x3F) << 12 | UInt32(b[p + 2] & 0x3F) << 6 | UInt32(b[p + 3] & 0x3F), 4)
        }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", width)
    }

    /// The scalar whose UTF-8 ends just before `end` of valid UTF-8 `b`, and its width.
    @inline(__always)
    static func scalar(endingAt end: Int, in b: UnsafeBufferPointer<UInt8>) -> (Unicode.Scalar, Int) {
        var p = end - 1
        while p > 0, b[p] & 0xC0 == 0x80 { p -= 1 }
        return scalar(at: p, in: b)
    }

    static func hasURLPrefixOfText(_ chunk: ArraySlice<Unicode.Scalar>) -> Bool {
        var lower = ""
        for s in chunk.prefix(8) { lower.unicodeScalars.append(s.value < 0x80 ? Unicode.Scalar(UInt8(s.value) | (s.value >= 0x41 && s.value <= 0x5A ? 0x20 : 0)) : s) }
        return lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("www.")
    }
}
