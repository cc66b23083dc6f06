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
    /// `forget` blanks (`IdentityMentions.minimumBytes`). Empty when the list is.
    public func identities(inFileName name: String) -> [String] {
        guard !isEmpty else { return [] }
        let scalars = Array(name.unicodeScalars)
        func isSeparator(_ s: Unicode.Scalar) -> Bool {
            !(s == "@" || s.properties.isAlphabetic || s.properties.numericType != nil || IdentityMentions.isMark(s))
        }
        var starts = [0], ends: [Int] = []
        for (i, s) in scalars.enumerated() where isSeparator(s) {
            starts.append(i + 1)
            ends.append(i)
        }
        ends.append(scalars.count)
        var found: [String] = [], asked = 0
        for start in starts where start < scalars.count && !scalars[start].properties.isWhitespace {
            for end in ends where end > start && !scalars[end - 1].properties.isWhitespace {
                guard asked < Self.maxNamePieces else { break }
                let piece = String(String.UnicodeScalarView(scalars[start..<end]))
                guard piece.utf8.count >= IdentityMentions.minimumBytes else { continue }
                asked += 1
                if holds(written: piece) { found.append(piece) }
            }
        }
        return found.sorted { $0.unicodeScalars.count > $1.unicodeScalars.count }
    }

    /// The forgotten customers a refused row or file of another customer names by an address or
    /// a handle (a word holding `@`, asked by its pieces as a file name is), as written, longest
    /// first: the store never took the row, so no stored `[forgotten]` says where her name was.
    public func identities(inText text: String) -> [String] {
        guard !isEmpty else { return [] }
        var found = Set<String>()
        for word in text.split(whereSeparator: { $0.isWhitespace || ",;:\"'<>()[]{}|\\`".contains($0) }) where word.contains("@") {
            found.formUnion(identities(inFileName: String(word)))
        }
        return found.sorted { ($0.unicodeScalars.count, $0) > ($1.unicodeScalars.count, $1) }
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
