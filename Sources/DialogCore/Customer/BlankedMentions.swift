/// Tells the original of a record in which `forget` blanked another customer's mention from a
/// record that differs (docs/roi.md "Erasure": mentions dropped again): the stored text says
/// `[forgotten]` where the file names her, so without this an id'd original would be a conflict.
public enum BlankedMentions {
    /// The runs of `dropped`'s texts that stand where `stored`'s say `[forgotten]` (the forgotten
    /// identities as the file writes them), when `dropped` equals `stored` everywhere else and
    /// each run `isForgotten` (an identity on the suppression list: a run is never just any
    /// text, so "[forgotten]" at a text's end does not take whatever the file added there); nil
    /// otherwise, or when no placeholder of `stored` stands for anything but itself.
    public static func runs(stored: ConversationRecord, dropped: ConversationRecord, isForgotten: (String) -> Bool) -> [String]? {
        var found: [String] = []
        var patched = dropped
        // The stored text where it is the dropped one with mentions blanked, else the dropped text.
        func take(_ s: String?, _ d: String?) -> String? {
            guard let s, let d, let runs = Self.runs(stored: s, dropped: d) else { return d }
            found += runs
            return s
        }
        patched.subject = take(stored.subject, dropped.subject)
        patched.text = take(stored.text, dropped.text)
        patched.rawDepartment = take(stored.rawDepartment, dropped.rawDepartment)
        patched.rawOutcome = take(stored.rawOutcome, dropped.rawOutcome)
        patched.rawChannel = take(stored.rawChannel, dropped.rawChannel)
        if stored.tags.count == dropped.tags.count {
            patched.tags = zip(stored.tags, dropped.tags).map { take($0, $1) ?? $1 }
        }
        for (field, value) in dropped.extras { patched.extras[field] = take(stored.extras[field], value) }
        guard !found.isEmpty, RecordContent.isSame(stored, patched) else { return nil }
        // A placeholder the original itself held is no mention of anybody.
        let mentions = found.filter { $0 != IdentityMentions.placeholder }
        guard !mentions.isEmpty, mentions.allSatisfy(isForgotten) else { return nil }
        return mentions
    }

    /// The runs of `dropped` (NFC, as `forget` keeps blanked text) that stand for the
    /// placeholders of `stored`, each at least one byte; the rest must be byte-equal. Nil when
    /// `stored` has no placeholder or the rest differs. The leftmost match of each piece after
    /// a non-empty run decides (enough for a pattern anchored at both ends), so nothing loops;
    /// the last run takes the rest, so the caller judges the runs (`isForgotten`).
    public static func runs(stored: String, dropped: String) -> [String]? {
        let mark = Array(IdentityMentions.placeholder.utf8)
        let pieces = split(Array(stored.utf8), on: mark)
        guard pieces.count > 1 else { return nil }
        let bytes = Array(dropped.precomposedStringWithCanonicalMapping.utf8)
        guard let first = pieces.first, let last = pieces.last,
              bytes.count >= pieces.reduce(0, { $0 + $1.count }) + pieces.count - 1,
              bytes.starts(with: first), bytes.suffix(last.count).elementsEqual(last) else { return nil }
        let end = bytes.count - last.count
        var position = first.count
        var runs: [String] = []
        for piece in pieces.dropFirst().dropLast() {
            // At least one byte of run, and room left for the last run.
            guard let at = index(of: piece, in: bytes, from: position + 1, before: end - 1) else { return nil }
            runs.append(String(decoding: bytes[position..<at], as: UTF8.self))
            position = at + piece.count
        }
        guard end > position else { return nil }
        runs.append(String(decoding: bytes[position..<end], as: UTF8.self))
        return runs
    }

    private static func split(_ bytes: [UInt8], on mark: [UInt8]) -> [[UInt8]] {
        var pieces: [[UInt8]] = []
        var start = 0, i = 0
        while i + mark.count <= bytes.count {
            if bytes[i..<(i + mark.count)].elementsEqual(mark) {
                pieces.append(Array(bytes[start..<i]))
                i += mark.count
                start = i
            } else {
                i += 1
            }
        }
        pieces.append(Array(bytes[start...]))
        return pieces
    }

    /// The first index ≥ `from` where `piece` starts and ends by `limit` (exclusive of what follows).
    private static func index(of piece: [UInt8], in bytes: [UInt8], from: Int, before limit: Int) -> Int? {
        var at = from
        while at + piece.count <= limit {
            if bytes[at..<(at + piece.count)].elementsEqual(piece) { return at }
            at += 1
        }
        return nil
    }
}
