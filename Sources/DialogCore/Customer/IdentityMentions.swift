import Foundation

/// Finds and blanks a forgotten customer's identity where other records mention it (`forget`,
/// docs/roi.md "Erasure"): another customer's text may name the address of the one forgotten.
/// Letters are compared case-insensitively (as e-mail addresses are), scalar by scalar, and a
/// mention counts only as a whole word, so `anna@example.com` does not blank part of
/// `joanna@example.com` and `K-2291` not part of `K-22915`. Both sides are compared in NFC, so a
/// decomposed `ö` is the same letter as a precomposed one.
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
        needle = identity.precomposedStringWithCanonicalMapping.unicodeScalars.map(Self.fold)
    }

    /// A SQL `LIKE … ESCAPE '\'` pattern that every text with a mention matches (SQLite's LIKE
    /// folds ASCII letters only, so it is built from the identity's longest ASCII run); nil when
    /// the identity has no ASCII run to search for, and every text has to be read.
    public var likePattern: String? {
        var best: [Unicode.Scalar] = [], run: [Unicode.Scalar] = []
        for scalar in identity.precomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.isASCII { run.append(scalar) } else { run = [] }
            if run.count > best.count { best = run }
        }
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
        let scalars = Array(text.precomposedStringWithCanonicalMapping.unicodeScalars)
        guard scalars.count >= needle.count, let first = needle.first else { return nil }
        var out = String.UnicodeScalarView()
        var changed = false
        var i = 0, copied = 0
        while i + needle.count <= scalars.count {
            if Self.fold(scalars[i]) == first, matches(scalars, at: i), isBoundary(scalars, before: i), isBoundary(scalars, after: i + needle.count) {
                out.append(contentsOf: scalars[copied..<i])
                out.append(contentsOf: Self.placeholder.unicodeScalars)
                i += needle.count
                copied = i
                changed = true
            } else {
                i += 1
            }
        }
        guard changed else { return nil }
        out.append(contentsOf: scalars[copied...])
        return String(out)
    }

    /// Whether `text` names the identity as a whole word (the spool side of `forget`).
    public func isMentioned(in text: String) -> Bool {
        let scalars = Array(text.precomposedStringWithCanonicalMapping.unicodeScalars)
        guard scalars.count >= needle.count, let first = needle.first else { return false }
        for i in 0...(scalars.count - needle.count)
        where Self.fold(scalars[i]) == first && matches(scalars, at: i) && isBoundary(scalars, before: i) && isBoundary(scalars, after: i + needle.count) {
            return true
        }
        return false
    }

    /// A line-per-record file (a quarantine `.rejects.jsonl`) without the lines that name the
    /// identity: other customers' rejected rows stay. `removed` is 0 when nothing matched.
    public func linesWithout(_ text: String) -> (kept: String, removed: Int) {
        var kept = String.UnicodeScalarView(), removed = 0
        let lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        // Split on the scalar, not on Characters (a "\r\n" is one Character); a final newline
        // leaves an empty last piece, which is no line.
        for line in lines.dropLast(text.unicodeScalars.last == "\n" ? 1 : 0) {
            if isMentioned(in: String(String.UnicodeScalarView(line))) {
                removed += 1
            } else {
                kept.append(contentsOf: line)
                kept.append("\n")
            }
        }
        return (String(kept), removed)
    }

    /// The bytes of a line-per-record file without the lines that name the identity, every
    /// other byte as it was (`keepingHeader`: the first line, a CSV header, always stays).
    /// Nil when a CSV line has an odd number of `"` (a quoted field over several lines: cutting
    /// by lines could split a record), so the caller keeps its whole-file rule.
    public func linesWithout(bytes: [UInt8], keepingHeader: Bool, csv: Bool) -> (kept: [UInt8], removed: Int)? {
        var kept: [UInt8] = [], removed = 0, start = 0, first = true
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0A).map { $0 + 1 } ?? bytes.count
            let line = bytes[start..<end]
            if csv, line.reduce(0, { $0 + ($1 == 0x22 ? 1 : 0) }) % 2 == 1 { return nil }
            if !(keepingHeader && first), isMentioned(in: String(decoding: line, as: UTF8.self)) {
                removed += 1
            } else {
                kept.append(contentsOf: line)
            }
            first = false
            start = end
        }
        return (kept, removed)
    }

    private func matches(_ scalars: [Unicode.Scalar], at start: Int) -> Bool {
        for j in 1..<needle.count where Self.fold(scalars[start + j]) != needle[j] { return false }
        return true
    }

    /// Characters that continue an address, a handle or a customer number.
    private static func isWordPart(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII { return ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s) || "_-+%@".unicodeScalars.contains(s) }
        return s.properties.isAlphabetic || s.properties.numericType != nil
    }

    private func isBoundary(_ scalars: [Unicode.Scalar], before index: Int) -> Bool {
        guard index > 0 else { return true }
        let previous = scalars[index - 1]
        // `x.anna@example.com` is another address; `Kollegin anna@…` or `(anna@…` is a mention.
        if previous == "." { return index < 2 || !Self.isWordPart(scalars[index - 2]) }
        return !Self.isWordPart(previous)
    }

    private func isBoundary(_ scalars: [Unicode.Scalar], after index: Int) -> Bool {
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
