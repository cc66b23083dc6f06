/// A set of short words asked about every token of every text (stop words, negations, currency
/// words): a bit per FNV-1a hash of the bytes answers most "no"s without `Set`'s seeded
/// SipHash, which was a sixth of the streamed prepare step (issue 17). Exact: a set bit, a
/// non-ASCII token or a set with a non-ASCII word sends the question on to the `Set` (two ASCII
/// strings are equal only byte for byte; other text goes by canonical equivalence there).
struct WordSet: Sendable {
    let words: Set<String>
    private let bits: [UInt64]
    private let allASCII: Bool
    private static let bitCount = 1 << 12

    init(_ words: Set<String>) {
        self.words = words
        var bits = [UInt64](repeating: 0, count: Self.bitCount / 64)
        var allASCII = true
        for word in words {
            guard let b = Self.bit(word) else { allASCII = false; continue }
            bits[b >> 6] |= 1 << UInt64(b & 63)
        }
        self.bits = bits
        self.allASCII = allASCII
    }

    func contains(_ word: String) -> Bool {
        if allASCII, let b = Self.bit(word), bits[b >> 6] & (1 << UInt64(b & 63)) == 0 { return false }
        return words.contains(word)
    }

    /// FNV-1a of an ASCII word's bytes, folded to a bit index; nil for any other text.
    @inline(__always)
    private static func bit(_ word: String) -> Int? {
        var h: UInt32 = 0x811c_9dc5
        for byte in word.utf8 {
            guard byte < 0x80 else { return nil }
            h = (h ^ UInt32(byte)) &* 0x0100_0193
        }
        return Int((h ^ (h >> 15)) & UInt32(bitCount - 1))
    }
}
