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
    private var word: [UInt8] = []
    private var wordHasAt = false
    private var wordTooLong = false
    private var cleared: Set<[UInt8]> = []

    public init(list: ForgottenCustomers, budget: Int) {
        self.list = list
        self.budget = budget
    }

    /// Whether the budget ran out (the log says so instead of "no mention kept").
    public var exhausted: Bool { unsearched > 0 }

    public mutating func feed(_ chunk: [UInt8]) {
        for byte in chunk {
            if Self.separates(byte) {
                endWord()
            } else if word.count < Self.longestWord {
                word.append(byte)
                if byte == UInt8(ascii: "@") { wordHasAt = true }
            } else {
                wordTooLong = true
                if byte == UInt8(ascii: "@") { wordHasAt = true }
            }
        }
    }

    /// The last word, once the file has ended.
    public mutating func finish() { endWord() }

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

    private mutating func endWord() {
        defer {
            word.removeAll(keepingCapacity: true)
            wordHasAt = false
            wordTooLong = false
        }
        guard wordHasAt else { return }
        guard !wordTooLong else {
            unsearched += 1
            return
        }
        // A word seen before whole asks nothing again (an export names the same addresses often).
        guard !cleared.contains(word) else { return }
        let before = found.count, unsearchedBefore = unsearched
        if word.allSatisfy({ $0 < 0x80 }) {
            // ASCII (nearly every word): no other space to split at, nothing to decompose.
            ask(word.map { Unicode.Scalar($0) })
        } else {
            for part in String(decoding: word, as: UTF8.self).split(whereSeparator: \.isWhitespace) where part.contains("@") {
                ask(Array(String(part).decomposedStringWithCanonicalMapping.unicodeScalars))
            }
        }
        if found.count == before, unsearched == unsearchedBefore, word.count <= ForgottenCustomers.longestMentionPiece, cleared.count < Self.clearedWords {
            cleared.insert(word)
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
