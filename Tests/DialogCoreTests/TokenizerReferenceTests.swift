import Testing
@testable import DialogCore

/// Issue 17 made the tokenizer read UTF-8 bytes and write tokens into one buffer; stored
/// models, and so every label, depend on its exact output. These hold it against the tokenizer
/// as it was (Unicode scalars, a String per token, kept below as the reference) on hostile
/// random text: combining marks, umlauts, other scripts, Unicode spaces, currency, URLs,
/// addresses, numbers, and texts at the byte and token bounds.
@Suite("tokenizer: the byte tokenizer answers as the scalar one did")
struct TokenizerReferenceTests {
    static let pieces: [String] = [
        "Rechnung", "nicht", "gut", "the", "and", "über", "Müller", "GRÖSSE", "Straße", "café", "e\u{301}", "\u{301}", "a\u{308}",
        "日本語", "тест", "ǅ", "İ", "ﬃ", "\u{212A}elvin", "€", "$", "£", "20", "1.200,50", "14:05", "3,", ".5", "EUR", "usd", "ct",
        "https://x.de/a?b=1", "HTTP://A", "www.shop.de", "ww.", "anna@example.com", "@kunde", "@", "a@b", "x@y.", "don't", "Kunde’s",
        "(kaputt)", "„Zitat“", "«x»", "…", "*_*", "!", "?", ".", ",", ";", ":", "<num>", "<", ">", "'", "\u{0}", "\u{FFFD}", "\u{200D}",
        "\u{1F600}", "\u{10FFFF}", "ab\u{0301}c", "9€", "€9", "EUR20", "20EUR",
    ]
    static let spaces: [String] = [" ", "  ", "\n", "\t", "\r\n", "\u{A0}", "\u{2003}", "\u{3000}", "\u{85}", "", "-", "/"]

    static func randomText(_ g: inout SystemRandomNumberGenerator, words: Int) -> String {
        var s = ""
        for _ in 0..<words {
            s += pieces.randomElement(using: &g) ?? ""
            if Int.random(in: 0..<4, using: &g) == 0 { s += pieces.randomElement(using: &g) ?? "" }
            s += spaces.randomElement(using: &g) ?? " "
        }
        return s
    }

    /// Compared as bytes: `==` on Strings would call composed and decomposed spellings equal.
    static func utf8(_ tokens: [String]) -> [[UInt8]] { tokens.map { Array($0.utf8) } }

    @Test("random texts: the same tokens, Document tokens and feature buckets")
    func randomTexts() {
        var g = SystemRandomNumberGenerator()
        for _ in 0..<800 {
            let text = Self.randomText(&g, words: Int.random(in: 0...30, using: &g))
            let subject: String? = Bool.random(using: &g) ? Self.randomText(&g, words: Int.random(in: 0...4, using: &g)) : nil
            let expected = ReferenceTokenizer.tokens(text)
            #expect(Self.utf8(Tokenizer.tokens(text)) == Self.utf8(expected), "\(text.debugDescription)")
            #expect(Features(text: text).buckets == Features(tokens: expected).buckets, "\(text.debugDescription)")
            let document = Document(text: text, subject: subject)
            let joined = ReferenceTokenizer.tokens(ReferenceTokenizer.joined(subject: subject, text: text))
            #expect(Self.utf8(document.tokens) == Self.utf8(joined), "\(text.debugDescription) \(String(describing: subject).debugDescription)")
            #expect(document.features.buckets == Features(tokens: joined).buckets)
        }
    }

    @Test("at the byte and token bounds, across the subject's line break too")
    func bounds() {
        var g = SystemRandomNumberGenerator()
        let filler = String(repeating: "a", count: Tokenizer.maxBytes - 3)
        // Each filler 3…11 bytes short of the bound twice, with random tails that cross it (a word or
        // a multi-byte scalar cut): every cut the 60 random rounds drew before, in 18 (≈ 30 → 5 s).
        for round in 0..<18 {
            let tail = Self.randomText(&g, words: Int.random(in: 0...4, using: &g))
            let subject = Self.randomText(&g, words: Int.random(in: 0...3, using: &g))
            let text = String(filler.dropLast(round % 9)) + tail
            #expect(Self.utf8(Tokenizer.tokens(text)) == Self.utf8(ReferenceTokenizer.tokens(text)), "\(tail.debugDescription)")
            let withSubject = Document(text: text, subject: subject)
            #expect(Self.utf8(withSubject.tokens) == Self.utf8(ReferenceTokenizer.tokens(ReferenceTokenizer.joined(subject: subject, text: text))),
                    "\(tail.debugDescription) \(subject.debugDescription)")
            // A subject that ends exactly at the byte bound, or one or two bytes before it: the line break decides.
            let long = String(repeating: "b", count: Tokenizer.maxBytes - round % 3)
            let document = Document(text: tail, subject: long)
            #expect(Self.utf8(document.tokens) == Self.utf8(ReferenceTokenizer.tokens(ReferenceTokenizer.joined(subject: long, text: tail))))
        }
        let many = Array(repeating: "wort x 7", count: Tokenizer.maxTokens / 2).joined(separator: " ") + " € 5 eur tail"
        #expect(Tokenizer.tokens(many) == ReferenceTokenizer.tokens(many))
        let words = (0..<(Tokenizer.maxTokens + 5)).map { "w\($0)" }.joined(separator: " ")
        #expect(Document(text: words, subject: "betreff").tokens == ReferenceTokenizer.tokens("betreff\n" + words))
    }
}

/// The tokenizer before issue 17's byte version, verbatim in behaviour: the reference.
enum ReferenceTokenizer {
    /// As `Document` joined them before.
    static func joined(subject: String?, text: String) -> String {
        var all = subject ?? ""
        let head = text.utf8.count > Tokenizer.maxBytes ? String(decoding: text.utf8.prefix(Tokenizer.maxBytes), as: UTF8.self) : text
        all += all.isEmpty ? head : "\n" + head
        return all
    }

    static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var chunk: [Unicode.Scalar] = []
        var word: [UInt8] = []
        var bytes = 0
        var cut = false
        for scalar in text.unicodeScalars {
            bytes += UTF8.width(scalar)
            if bytes > Tokenizer.maxBytes || tokens.count >= Tokenizer.maxTokens { cut = true; break }
            if Tokenizer.isSpace(scalar) {
                if !chunk.isEmpty { emitChunk(chunk, into: &tokens, word: &word); chunk.removeAll(keepingCapacity: true) }
            } else {
                chunk.append(scalar)
            }
        }
        if !chunk.isEmpty, !cut { emitChunk(chunk, into: &tokens, word: &word) }
        if tokens.count > Tokenizer.maxTokens { tokens.removeSubrange(Tokenizer.maxTokens...) }
        return markMoney(tokens).filter { !StopWords.all.words.contains($0) }
    }

    static func emitChunk(_ raw: [Unicode.Scalar], into tokens: inout [String], word: inout [UInt8]) {
        var start = 0, end = raw.count
        while start < end, Tokenizer.isTrimmable(raw[start]) { start += 1 }
        while end > start, Tokenizer.isTrimmable(raw[end - 1]) || raw[end - 1] == "@" { end -= 1 }
        guard start < end else { return }
        let chunk = raw[start..<end]
        if Tokenizer.hasURLPrefixOfText(chunk) { tokens.append(Tokenizer.url); return }
        if let at = chunk.firstIndex(of: "@") {
            if at == start, end - start > 1 { tokens.append(Tokenizer.handle); return }
            if at > start, chunk[at...].contains(".") { tokens.append(Tokenizer.email); return }
        }
        var hasCurrencySign = false
        var isNumber = true
        word.removeAll(keepingCapacity: true)
        var i = start
        func flush() {
            guard !word.isEmpty else { return }
            tokens.append(isNumber ? (hasCurrencySign ? Tokenizer.money : Tokenizer.number) : String(decoding: word, as: UTF8.self))
            word.removeAll(keepingCapacity: true)
            isNumber = true
        }
        while i < end {
            let s = chunk[i]
            if s == "€" || s == "$" || s == "£" { hasCurrencySign = true }
            if Tokenizer.isLetter(s) {
                isNumber = false
                TextFolding.append(s, to: &word)
            } else if Tokenizer.isDigit(s) {
                TextFolding.append(s, to: &word)
            } else if (s == "." || s == "," || s == ":") && isNumber && !word.isEmpty && i + 1 < end && Tokenizer.isDigit(chunk[i + 1]) {
            } else if s == "'" || s == "’" {
            } else {
                flush()
            }
            i += 1
        }
        flush()
        if hasCurrencySign, let last = tokens.last, last == Tokenizer.number { tokens[tokens.count - 1] = Tokenizer.money }
    }

    static func markMoney(_ tokens: [String]) -> [String] {
        var out: [String] = []
        var i = 0
        while i < tokens.count {
            let t = tokens[i]
            if t == Tokenizer.number, i + 1 < tokens.count, Tokenizer.currencyWords.words.contains(tokens[i + 1]) { out.append(Tokenizer.money); i += 2; continue }
            if Tokenizer.currencyWords.words.contains(t), i + 1 < tokens.count, tokens[i + 1] == Tokenizer.number { out.append(Tokenizer.money); i += 2; continue }
            out.append(t)
            i += 1
        }
        return out
    }
}
