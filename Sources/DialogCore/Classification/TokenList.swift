/// The tokens of one text as their folded UTF-8, all in one buffer, and where each ends: two
/// arrays per document however many words it has (issue 17: a `String` per token, an array
/// of them and its copies were most of the tokenizer's work). Compared byte for byte.
public struct TokenList: Sendable, Equatable {
    /// Every token's bytes, one after another.
    var bytes: [UInt8] = []
    /// The end of each token in `bytes`; a token starts where the one before it ends.
    var ends: [UInt32] = []

    init() {}

    init(_ tokens: [String]) {
        for token in tokens {
            bytes.append(contentsOf: token.utf8)
            ends.append(UInt32(bytes.count))
        }
    }

    public var count: Int { ends.count }

    /// The bytes of token `k`.
    @inline(__always)
    func range(_ k: Int) -> Range<Int> { (k == 0 ? 0 : Int(ends[k - 1]))..<Int(ends[k]) }

    /// Each token as a `String` (for rules, `explain` and tests; the models only need the bytes).
    public var strings: [String] {
        var out: [String] = []
        out.reserveCapacity(count)
        bytes.withUnsafeBufferPointer { b in
            for k in 0..<count { out.append(String(decoding: UnsafeBufferPointer(rebasing: b[range(k)]), as: UTF8.self)) }
        }
        return out
    }
}
