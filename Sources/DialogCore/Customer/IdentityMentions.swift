import Foundation

/// Finds and blanks a forgotten customer's identity where other records mention it (`forget`,
/// docs/roi.md "Erasure"): another customer's text may name the address of the one forgotten.
/// Letters are compared case-insensitively (as e-mail addresses are), scalar by scalar, and a
/// mention counts only as a whole word, so `anna@example.com` does not blank part of
/// `joanna@example.com` and `K-2291` not part of `K-22915`. Both sides are compared decomposed
/// (NFD), so a precomposed `ö` is the same letter as `o` + U+0308, and combining marks right
/// after the identity (`alice@example.com` + U+0301, which NFC turns into `…coḿ`) belong to the
/// mention and go with it: a mark cannot hide the address. Blanked text is returned in NFC.
public struct IdentityMentions: Sendable, Equatable {
    /// What a mention is replaced by: visible, so a reader sees that something was removed.
    public static let placeholder = "[forgotten]"
    /// Shorter identities (a short customer number, a first name) would blank unrelated words;
    /// the same bound as the search of spool files for the identity.
    public static let minimumBytes = 5

    public let identity: String
    private let needle: [Unicode.Scalar]

    /// Nil for an identity too short to search for safely, or a pseudonym (no text holds it
    /// as the customer's own name; the store cannot tell who is behind it).
    public init?(_ identity: String) {
        guard identity.utf8.count >= Self.minimumBytes, !CustomerIdentity.isPseudonym(identity) else { return nil }
        self.identity = identity
        needle = identity.decomposedStringWithCanonicalMapping.unicodeScalars.map(Self.fold)
    }

    /// A SQL `LIKE … ESCAPE '\'` pattern that every text with a mention matches (SQLite's LIKE
    /// folds ASCII letters only, so it is built from the identity's longest ASCII run); nil when
    /// the identity has no ASCII run to search for, and every text has to be read.
    public var likePattern: String? {
        let best = Self.longestASCIIRun(identity)
        guard best.count >= 3 else { return nil }
        var pattern = "%"
        for scalar in best {
            if scalar == "%" || scalar == "_" || scalar == "\\" { pattern += "\\" }
            pattern.unicodeScalars.append(scalar)
        }
        return pattern + "%"
    }

    /// `text` with every whole-word mention replaced by `placeholder` (the text in NFC then);
    /// nil when there is none.
    public func scrubbed(_ text: String) -> String? {
        blanking(text) { scalars, i in mention(in: scalars, at: i) }
    }

    /// A mail's attachment file names (the `attachments` extra) with every occurrence of the
    /// identity blanked, inside a word too (`alice@example.com.vcf`): a file name has no word
    /// boundaries to rely on. Nil when there is none.
    public func scrubbedFileNames(_ names: String) -> String? {
        blanking(names) { scalars, i in matches(scalars, at: i) ? i + needle.count : nil }
    }

    /// `text` (decomposed, so a mark after the identity is seen on its own scalar) with every
    /// match `end(scalars, i)` finds replaced by the placeholder; nil when there is none.
    private func blanking(_ text: String, end: ([Unicode.Scalar], Int) -> Int?) -> String? {
        let scalars = Array(text.decomposedStringWithCanonicalMapping.unicodeScalars)
        var out = String.UnicodeScalarView()
        var changed = false
        var i = 0, copied = 0
        while i + needle.count <= scalars.count {
            if let after = end(scalars, i) {
                out.append(contentsOf: scalars[copied..<i])
                out.append(contentsOf: Self.placeholder.unicodeScalars)
                i = after
                copied = i
                changed = true
            } else {
                i += 1
            }
        }
        guard changed else { return nil }
        out.append(contentsOf: scalars[copied...])
        return String(out).precomposedStringWithCanonicalMapping
    }

    /// Whether `text` names the identity as a whole word (the spool side of `forget`).
    public func isMentioned(in text: String) -> Bool {
        let scalars = Array(text.decomposedStringWithCanonicalMapping.unicodeScalars)
        guard scalars.count >= needle.count else { return false }
        return (0...(scalars.count - needle.count)).contains { mention(in: scalars, at: $0) != nil }
    }

    /// The UTF-8 bytes every file that mentions the identity holds, ASCII letters folded (a fast
    /// scan before a file is read): its longest ASCII run; empty when it has none to scan for.
    public var prefilter: [UInt8] {
        let run = Self.longestASCIIRun(identity)
        return run.count >= 3 ? Array(String(String.UnicodeScalarView(run)).utf8) : []
    }

    /// The identity's longest run of ASCII scalars in NFC, without its last scalar when that
    /// ends the identity (a combining mark after it makes a precomposed letter in NFC text).
    static func longestASCIIRun(_ identity: String) -> [Unicode.Scalar] {
        var best: [Unicode.Scalar] = [], run: [Unicode.Scalar] = []
        let scalars = Array(identity.precomposedStringWithCanonicalMapping.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            if scalar.isASCII { run.append(scalar) } else { run = [] }
            let usable = index == scalars.count - 1 ? run.dropLast() : run[...]
            if usable.count > best.count { best = Array(usable) }
        }
        return best
    }

    /// Where a whole-word mention starting at `start` ends (past the combining marks that
    /// follow it), or nil when there is none.
    private func mention(in scalars: [Unicode.Scalar], at start: Int) -> Int? {
        guard start + needle.count <= scalars.count, let first = needle.first, Self.fold(scalars[start]) == first,
              matches(scalars, at: start), Self.isBoundary(scalars, before: start) else { return nil }
        var end = start + needle.count
        while end < scalars.count, Self.isMark(scalars[end]) { end += 1 }
        return Self.isBoundary(scalars, after: end) ? end : nil
    }

    static func isMark(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    private func matches(_ scalars: [Unicode.Scalar], at start: Int) -> Bool {
        for j in 1..<needle.count where Self.fold(scalars[start + j]) != needle[j] { return false }
        return true
    }

    /// Characters that continue an address, a handle or a customer number.
    private static func isWordPart(_ s: Unicode.Scalar) -> Bool {
        // A mark before the identity belongs to the letter before it (`é` + `lice@…` is no mention).
        if isMark(s) { return true }
        if s.isASCII { return ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s) || "_-+%@".unicodeScalars.contains(s) }
        return s.properties.isAlphabetic || s.properties.numericType != nil
    }

    static func isBoundary(_ scalars: [Unicode.Scalar], before index: Int) -> Bool {
        guard index > 0 else { return true }
        let previous = scalars[index - 1]
        // `x.anna@example.com` is another address; `Kollegin anna@…` or `(anna@…` is a mention.
        if previous == "." { return index < 2 || !Self.isWordPart(scalars[index - 2]) }
        return !Self.isWordPart(previous)
    }

    static func isBoundary(_ scalars: [Unicode.Scalar], after index: Int) -> Bool {
        guard index < scalars.count else { return true }
        let next = scalars[index]
        // A full stop ends a sentence; `.de` after `anna@example.com` makes another address.
        if next == "." { return index + 1 >= scalars.count || !Self.isWordPart(scalars[index + 1]) }
        return !Self.isWordPart(next)
    }

    /// Case folding one scalar to one scalar (its lowercase when that is a single scalar), so
    /// positions in the folded and the original text stay the same.
    static func fold(_ s: Unicode.Scalar) -> Unicode.Scalar {
        if s.isASCII { return ("A"..."Z").contains(s) ? Unicode.Scalar(s.value | 0x20) ?? s : s }
        let lower = s.properties.lowercaseMapping.unicodeScalars
        return lower.count == 1 ? lower.first ?? s : s
    }
}
