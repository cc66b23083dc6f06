/// The forgotten customers a file of another customer names by an address or a handle (a word
/// holding `@`), its bytes fed chunk by chunk (docs/roi.md "Erasure"): every row of it, all of
/// its bytes, not only the refused rows a rejects list keeps. The cost is bounded by the pieces
/// asked (`budget`, two keyed hashes each), not by where in the file a word is.
public struct ForgottenMentionScan {
    /// Pieces a file may have asked for every byte of it, and for any file: an address of
    /// `a.b.c…@…` costs many, a file of plain addresses a few per line.
    public static func budget(forBytes size: Int) -> Int { 4096 + size / 8 }
    /// Longest word kept to cut into pieces; a longer run without a space or punctuation is
    /// counted in `unsearched` (no writer's address, and never held whole in memory).
    public static let longestWord = 64 << 10

    let list: ForgottenCustomers
    /// The identities found, as written.
    public private(set) var found: Set<String> = []
    /// Words holding `@` not asked whole: the budget ran out, or the word was over `longestWord`.
    public private(set) var unsearched = 0
    private let budget: Int
    private var asked = 0
    private var words = Words()
    /// The bytes as a reader decodes them: each line holding a `\` with its JSON escapes undone
    /// (`LooseJSONLine.unescaped`, as `forget` reads a refused line), cut into words of their own.
    private var decodedWords = Words()
    private var line: [UInt8] = []
    private var lineEscaped = false
    /// Part of the line was read decoded (`flushLine`): the rest is, whatever it holds.
    private var lineFlushed = false
    private var cleared: Set<[UInt8]> = []

    public init(list: ForgottenCustomers, budget: Int) {
        self.list = list
        self.budget = budget
    }

    /// Whether the budget ran out (the log says so instead of "no mention kept").
    public var exhausted: Bool { unsearched > 0 }

    public mutating func feed(_ chunk: [UInt8]) {
        for byte in chunk where words.ends(at: byte) { judge(words.take()) }
        // The lines holding a `\` are read again decoded (`endLine`); a line begun in an earlier
        // chunk is kept until it ends (a `\` may come later in it), one within the chunk is not.
        var start = chunk.startIndex
        while let end = chunk[start...].firstIndex(of: 0x0A) {
            let piece = chunk[start..<end]
            start = end + 1
            if line.isEmpty, !lineFlushed, !piece.contains(UInt8(ascii: "\\")) { continue }
            appendLine(piece)
            endLine()
        }
        appendLine(chunk[start...])
    }

    private mutating func appendLine(_ piece: ArraySlice<UInt8>) {
        if !lineEscaped, piece.contains(UInt8(ascii: "\\")) { lineEscaped = true }
        line.append(contentsOf: piece)
        while line.count >= Self.longestWord { flushLine() }
    }

    /// A mail's bytes (`.eml`, `.mbox`) read as `forget` reads them (`MailMentions.forEachText`):
    /// every header decoded (RFC 2047), every part's body (quoted-printable, base64, its charset,
    /// HTML references), file names — besides the bytes as written, fed with `feed`.
    public mutating func feedMail(_ bytes: [UInt8]) {
        var texts: [(text: String, isName: Bool)] = []
        MailMentions.forEachText(in: bytes) { texts.append(($0, $1)) }
        for (text, isName) in texts {
            scanDecoded(Array(text.utf8))
            // An attachment's name holds her inside a word too (`alice@example.com.vcf`), as `forget` reads it.
            if isName { found.formUnion(list.identities(inFileName: text).map { $0.precomposedStringWithCanonicalMapping }) }
        }
    }

    /// The last word, once the file has ended.
    public mutating func finish() {
        endLine()
        judge(words.take())
    }

    /// A line ended: one with a `\` is read again (or one read in part already) with its escapes undone.
    private mutating func endLine() {
        if lineEscaped || lineFlushed { scanDecoded(LooseJSONLine.unescaped(bytes: line)) }
        line.removeAll(keepingCapacity: true)
        lineEscaped = false
        lineFlushed = false
    }

    /// A line longer than `longestWord`: what is before its last 512 bytes is read decoded now (an
    /// escape is never cut: the cut moves back to a `\` in the 11 bytes before it), the rest waits.
    private mutating func flushLine() {
        var cut = line.count - 512
        if let escape = line[(cut - 11)..<cut].lastIndex(of: UInt8(ascii: "\\")) { cut = escape }
        for byte in LooseJSONLine.unescaped(bytes: Array(line[..<cut])) where decodedWords.ends(at: byte) { judge(decodedWords.take()) }
        line.removeFirst(cut)
        lineFlushed = true
    }

    /// Decoded text, cut into words apart from the bytes as written; it ends with a word.
    private mutating func scanDecoded(_ bytes: [UInt8]) {
        for byte in bytes where decodedWords.ends(at: byte) { judge(decodedWords.take()) }
        judge(decodedWords.take())
    }

    /// Bytes words are split at (ASCII, so never inside a UTF-8 sequence): spaces, quotes,
    /// brackets, `,`, `;`, `:`, `|`, `\` and a backtick; other Unicode spaces split after decoding.
    static func separates(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x09...0x0D, 0x20: true
        case UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "\""), UInt8(ascii: "'"),
             UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["),
             UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "|"), UInt8(ascii: "\\"),
             UInt8(ascii: "`"): true
        default: false
        }
    }

    /// A word holding `@`, asked by its pieces (`ForgottenCustomers.identities(inPieces:)`).
    private mutating func judge(_ word: Words.Word?) {
        guard let word else { return }
        guard !word.tooLong else {
            unsearched += 1
            return
        }
        // A word seen before whole asks nothing again (an export names the same addresses often).
        guard !cleared.contains(word.bytes) else { return }
        let before = found.count, unsearchedBefore = unsearched
        if word.bytes.allSatisfy({ $0 < 0x80 }) {
            // ASCII (nearly every word): no other space to split at, nothing to decompose.
            ask(word.bytes.map { Unicode.Scalar($0) })
        } else {
            // Read as the reader reads the file: UTF-8, or Windows-1252 when it is no UTF-8 (`TextDecoding`).
            let text = String(validating: word.bytes, as: UTF8.self) ?? word.bytes.withUnsafeBufferPointer { String(decoding: Windows1252.toUTF8($0), as: UTF8.self) }
            for part in text.split(whereSeparator: \.isWhitespace) where part.contains("@") {
                ask(Array(String(part).decomposedStringWithCanonicalMapping.unicodeScalars))
            }
        }
        if found.count == before, unsearched == unsearchedBefore, word.bytes.count <= ForgottenCustomers.longestMentionPiece, cleared.count < Self.clearedWords {
            cleared.insert(word.bytes)
        }
    }

    /// Words remembered as naming nobody (each at most an address long), at most.
    static let clearedWords = 1 << 16

    private mutating func ask(_ scalars: [Unicode.Scalar]) {
        let ats = scalars.indices.filter { scalars[$0] == "@" }
        let result = list.identities(inPieces: scalars, around: ats, limit: budget, asked: &asked)
        found.formUnion(result.found.map { $0.precomposedStringWithCanonicalMapping })
        if !result.complete { unsearched += 1 }
    }
}

/// Bytes cut into words at `ForgottenMentionScan.separates`; only words holding `@` are kept.
private struct Words {
    struct Word {
        var bytes: [UInt8]
        /// Over `ForgottenMentionScan.longestWord`: only its first bytes were kept.
        var tooLong: Bool
    }

    private var word: [UInt8] = []
    private var hasAt = false
    private var tooLong = false

    /// Adds `byte`; true when it ends a word holding `@` (then `take` it).
    mutating func ends(at byte: UInt8) -> Bool {
        if ForgottenMentionScan.separates(byte) {
            if hasAt { return true }
            word.removeAll(keepingCapacity: true)
            tooLong = false
        } else if word.count < ForgottenMentionScan.longestWord {
            word.append(byte)
            if byte == UInt8(ascii: "@") { hasAt = true }
        } else {
            tooLong = true
            if byte == UInt8(ascii: "@") { hasAt = true }
        }
        return false
    }

    /// The word that ended (or, at the end, the last one) when it holds `@`; starts the next.
    mutating func take() -> Word? {
        defer {
            word.removeAll(keepingCapacity: true)
            hasAt = false
            tooLong = false
        }
        return hasAt ? Word(bytes: word, tooLong: tooLong) : nil
    }
}
