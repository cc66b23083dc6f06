/// A set of short words asked about every token of every text (stop words, negations, currency
/// words): a bit per FNV-1a hash of the bytes answers most "no"s without `Set`'s seeded
/// SipHash, which was a sixth of the streamed prepare step (issue 17), and an ASCII token whose
/// bit is set is compared byte for byte with the few words of that bit (a stop word was a
/// SipHash per hit). Exact: a non-ASCII token or a set with a non-ASCII word asks the `Set` (two
/// ASCII strings are equal only byte for byte; other text goes by canonical equivalence there:
/// U+212A KELVIN SIGN equals "K").
struct WordSet: Sendable {
    let words: Set<String>
    private let bits: [UInt64]
    /// The words of each bit, as UTF-8 (all ASCII when `allASCII`).
    private let byBit: [[[UInt8]]]
    private let allASCII: Bool
    private static let bitCount = 1 << 12

    init(_ words: Set<String>) {
        self.words = words
        var bits = [UInt64](repeating: 0, count: Self.bitCount / 64)
        var byBit = [[[UInt8]]](repeating: [], count: Self.bitCount)
        var allASCII = true
        for word in words {
            guard let b = Self.bit(word) else { allASCII = false; continue }
            bits[b >> 6] |= 1 << UInt64(b & 63)
            byBit[b].append(Array(word.utf8))
        }
        self.bits = bits
        self.byBit = byBit
        self.allASCII = allASCII
    }

    func contains(_ word: String) -> Bool {
        var word = word
        return word.withUTF8 { contains($0) }
    }

    /// `contains` of a token's UTF-8 (a `TokenList` entry): a String is made only for the rare
    /// non-ASCII token of a set with non-ASCII words or that the bits cannot answer.
    func contains(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard allASCII, let b = Self.bit(bytes) else { return words.contains(String(decoding: bytes, as: UTF8.self)) }
        if bits[b >> 6] & (1 << UInt64(b & 63)) == 0 { return false }
        return byBit[b].contains { $0.elementsEqual(bytes) }
    }

    /// FNV-1a of an ASCII word's bytes, folded to a bit index; nil for any other text. Over the
    /// contiguous UTF-8 (`withUTF8`), not `utf8`'s iterator, which cost ~15 instructions a byte.
    private static func bit(_ word: String) -> Int? {
        var word = word
        return word.withUTF8 { bit($0) }
    }

    @inline(__always)
    private static func bit(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var h: UInt32 = 0x811c_9dc5
        for byte in bytes {
            guard byte < 0x80 else { return nil }
            h = (h ^ UInt32(byte)) &* 0x0100_0193
        }
        return Int((h ^ (h >> 15)) & UInt32(bitCount - 1))
    }
}
