/// A file named after a customer `forget` erased (`alice@example.com.conv`, `re alice@….conv`),
/// dropped again: the suppression list holds no identity to search the name for, so the name's
/// pieces are asked (docs/roi.md "Erasure"). The store, `cur/` and `quarantine/` then keep the
/// name as `forget` leaves it (`[forgotten].conv`), not her address again.
extension ForgottenCustomers {
    /// Most pieces of one name asked (each costs two keyed hashes): a name of 255 bytes cut
    /// into many pieces is no writer's name for a customer, and is not taken apart further.
    public static let maxNamePieces = 2048

    /// The pieces of `name` that are a forgotten customer as written, longest first: every run
    /// that starts at the name's start or after a separator (anything but a letter, a digit, a
    /// combining mark or `@`) and ends at its end or before one, at least as long as a mention
    /// `forget` blanks (`IdentityMentions.minimumBytes`). The name is read decomposed, as `forget`
    /// blanks it, and a run may also end before a combining mark or start after one: `forget`
    /// blanks her inside a word (`alice@example.com` + U+0301), so the check finds her there too.
    /// Empty when the list is.
    public func identities(inFileName name: String) -> [String] {
        guard !isEmpty else { return [] }
        var asked = 0
        let found = identities(inPieces: Array(name.decomposedStringWithCanonicalMapping.unicodeScalars), around: nil, limit: Self.maxNamePieces, asked: &asked).found
        return found.sorted { $0.unicodeScalars.count > $1.unicodeScalars.count }
    }

    /// Longest piece of a word asked for an address or a handle: an address is at most 254 bytes.
    public static let longestMentionPiece = 254

    /// The pieces of `scalars` (decomposed) that are forgotten customers, `asked` counting the
    /// pieces asked (each two keyed hashes); `complete` is false when `limit` cut it short.
    /// `around`: only pieces that hold one of these indices (a word's `@`), at most
    /// `longestMentionPiece` bytes, bounded as a mention `forget` blanks; nil: every piece.
    func identities(inPieces scalars: [Unicode.Scalar], around ats: [Int]?, limit: Int, asked: inout Int) -> (found: [String], complete: Bool) {
        func isSeparator(_ s: Unicode.Scalar) -> Bool {
            !(s == "@" || s.properties.isAlphabetic || s.properties.numericType != nil || IdentityMentions.isMark(s))
        }
        var starts: Set<Int> = [0], ends: Set<Int> = [scalars.count]
        for (i, s) in scalars.enumerated() where ats == nil {
            if isSeparator(s) {
                starts.insert(i + 1)
                ends.insert(i)
            } else if IdentityMentions.isMark(s) {
                if i > 0, !IdentityMentions.isMark(scalars[i - 1]) { ends.insert(i) }
                if i + 1 < scalars.count, !IdentityMentions.isMark(scalars[i + 1]) { starts.insert(i + 1) }
            }
        }
        let sortedStarts = starts.sorted(), sortedEnds = ends.sorted()
        var bytesBefore = [0]
        for s in scalars { bytesBefore.append(bytesBefore[bytesBefore.count - 1] + UTF8.width(s)) }
        // Index windows: all of the word; or, in a text, up to a piece's longest around each `@`,
        // starting and ending where `forget`'s mention scrub would blank it (`IdentityMentions`).
        let windows: [(starts: ArraySlice<Int>, ends: ArraySlice<Int>)] = ats.map { ats in
            ats.map { at in
                let piece = Self.longestMentionPiece
                let starts = (max(0, at - piece + 1)...at).filter { IdentityMentions.isBoundary(scalars, before: $0) }
                let ends = ((at + 1)...min(scalars.count, at + piece)).filter { end in
                    var after = end
                    while after < scalars.count, IdentityMentions.isMark(scalars[after]) { after += 1 }
                    return IdentityMentions.isBoundary(scalars, after: after) && (end == scalars.count || !IdentityMentions.isMark(scalars[end]) || !IdentityMentions.isMark(scalars[end - 1]))
                }
                return (starts[...], ends[...])
            }
        } ?? [(sortedStarts[...], sortedEnds[...])]
        var found: [String] = [], seen = Set<Int>()
        for window in windows {
            for start in window.starts where start < scalars.count && !scalars[start].properties.isWhitespace {
                for end in window.ends where end > start && !scalars[end - 1].properties.isWhitespace {
                    let bytes = bytesBefore[end] - bytesBefore[start]
                    guard bytes >= IdentityMentions.minimumBytes else { continue }
                    if ats != nil, bytes > Self.longestMentionPiece { break }
                    guard seen.insert(start &* (scalars.count + 1) &+ end).inserted else { continue }
                    guard asked < limit else { return (found, false) }
                    asked += 1
                    let piece = String(String.UnicodeScalarView(scalars[start..<end]))
                    if holds(written: piece) { found.append(piece) }
                }
            }
        }
        return (found, true)
    }

    /// The forgotten customers a refused row or file of another customer names by an address or
    /// a handle (a word holding `@`, asked by its pieces that hold the `@`), as written, longest
    /// first: the store never took the row, so no stored `[forgotten]` says where her name was.
    public func identities(inText text: String) -> [String] {
        guard !isEmpty else { return [] }
        var scan = ForgottenMentionScan(list: self, budget: .max)
        scan.feed(Array(text.utf8))
        scan.finish()
        return scan.found.sorted { ($0.unicodeScalars.count, $0) > ($1.unicodeScalars.count, $1) }
    }

    /// `name` with each of `identities` blanked as `forget` blanks a file name (inside a word
    /// too, letters in any case: `IdentityMentions.scrubbedFileNames`); nil when none is in it.
    public static func blankedFileName(_ name: String, identities: [String]) -> String? {
        var blanked = name
        for identity in identities {
            if let mentions = IdentityMentions(identity), let scrubbed = mentions.scrubbedFileNames(blanked) { blanked = scrubbed }
        }
        return blanked == name ? nil : blanked
    }

    /// A quarantine reason (it may quote a refused value or the file's name) with `identities`
    /// blanked, as `forget` blanks a `.reason`: whole words, then inside file names.
    public static func blankedReason(_ reason: String, identities: [String]) -> String {
        identities.reduce(reason) { text, identity in
            guard let mentions = IdentityMentions(identity) else { return text }
            let scrubbed = mentions.scrubbed(text) ?? text
            return mentions.scrubbedFileNames(scrubbed) ?? scrubbed
        }
    }
}
