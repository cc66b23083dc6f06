/// A text as the models see it: hashed feature ids (unigrams, word bigrams, negated words)
/// into a fixed table of `1 << bits` buckets, so memory does not grow with the vocabulary.
public struct Features: Sendable, Equatable {
    /// Sorted, unique bucket ids: a feature counts once per text (short texts; binary
    /// counts beat term frequencies there).
    public var buckets: [UInt32]

    public init(buckets: [UInt32]) { self.buckets = buckets }

    public static let bits = 18
    static let stemLength = 5
    static let mask = UInt32((1 << bits) - 1)

    /// Features of an already tokenized text.
    public init(tokens: [String], extra: [String] = []) {
        var ids: [UInt32] = []
        ids.reserveCapacity(tokens.count * 3 + extra.count)
        Self.forEachFeature(tokens: tokens, extra: extra) { _, id in ids.append(id) }
        ids.sort()
        var unique: [UInt32] = []
        unique.reserveCapacity(ids.count)
        for id in ids where unique.last != id { unique.append(id) }
        buckets = unique
    }

    public init(text: String, extra: [String] = []) {
        self.init(tokens: Tokenizer.tokenList(text), extra: extra)
    }

    /// Features of a tokenized text, hashed from its bytes (the same ids as its `strings`
    /// give: every tokenizer word is letters and digits, only a placeholder starts with `<`).
    /// One array, sorted and made unique in place.
    init(tokens: TokenList, extra: [String] = []) {
        var ids: [UInt32] = []
        ids.reserveCapacity(tokens.count * 3 + extra.count)
        tokens.bytes.withUnsafeBufferPointer { b in
            var previous: UInt64?
            var negate = false
            for k in 0..<tokens.count {
                let token = UnsafeBufferPointer(rebasing: b[tokens.range(k)])
                let h = Self.hash(token)
                ids.append(Self.bucket(negate ? Self.negated(h) : h))
                if token.count > Self.stemLength, token[0] != UInt8(ascii: "<") {
                    ids.append(Self.bucket(Self.hashPrefix(token, scalars: Self.stemLength) ^ 0x7f4a_7c15))
                }
                if let previous { ids.append(Self.bucket(previous &* 0x100_0000_01B3 ^ h ^ 0x5bd1_e995)) }
                negate = StopWords.negations.contains(token)
                previous = h
            }
        }
        for token in extra { ids.append(Self.bucket(Self.hash(token))) }
        ids.sort()
        var kept = 0
        for id in ids where kept == 0 || ids[kept - 1] != id {
            ids[kept] = id
            kept += 1
        }
        ids.removeSubrange(kept...)
        buckets = ids
    }

    /// Calls `body` with each feature's readable name (built only when `named`) and bucket.
    /// Names: `word`, `first second` (bigram), `!word` (word after a negation).
    static func forEachFeature(tokens: [String], extra: [String], named: Bool = false, _ body: (String, UInt32) -> Void) {
        var previous: UInt64?
        var previousToken = ""
        var negate = false
        for token in tokens {
            let h = hash(token)
            // After a negation the word stands for its opposite: "nicht gut" is not "gut".
            if negate {
                body(named ? "!" + token : "", bucket(negated(h)))
            } else {
                body(named ? token : "", bucket(h))
            }
            // A crude stem: the first five letters of a long word, so "refunds", "refunded"
            // and "refund" share evidence (and "beschwerde"/"beschweren" do too).
            if token.utf8.count > Self.stemLength, !token.hasPrefix("<") {
                let stem = token.unicodeScalars.prefix(Self.stemLength)
                body(named ? String(String.UnicodeScalarView(stem)) + "~" : "", bucket(hashPrefix(token, scalars: Self.stemLength) ^ 0x7f4a_7c15))
            }
            if let previous {
                body(named ? previousToken + " " + token : "", bucket(previous &* 0x100_0000_01B3 ^ h ^ 0x5bd1_e995))
            }
            negate = StopWords.negations.contains(token)
            previous = h
            if named { previousToken = token }
        }
        for token in extra { body(token, bucket(hash(token))) }
    }

    @inline(__always)
    static func negated(_ h: UInt64) -> UInt64 { h &* 31 ^ 0x9E37_79B9_7F4A_7C15 }

    /// FNV-1a over the UTF-8 bytes, then mixed so the low bits are usable.
    @inline(__always)
    static func hash(_ token: String) -> UInt64 {
        var t = token
        return t.withUTF8 { hash($0) }
    }

    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        h ^= h >> 33
        h &*= 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        return h
    }

    /// `hash` of the first `scalars` Unicode scalars of `token`, without building the prefix.
    static func hashPrefix(_ token: String, scalars: Int) -> UInt64 {
        var t = token
        return t.withUTF8 { hashPrefix($0, scalars: scalars) }
    }

    static func hashPrefix(_ bytes: UnsafeBufferPointer<UInt8>, scalars: Int) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var seen = 0
        for b in bytes {
            if b & 0xC0 != 0x80 { seen += 1; if seen > scalars { break } }
            h = (h ^ UInt64(b)) &* 0x100_0000_01b3
        }
        h ^= h >> 33
        h &*= 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        return h
    }

    @inline(__always)
    static func bucket(_ h: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: h) & mask }
}
