/// The `tags` column: tags joined with `,`, readable and LIKE-searchable, yet exactly
/// reversible: `\` and `,` inside a tag are escaped with `\`; no tags is NULL, so `[]` and
/// `[""]` (stored as the empty string) stay apart. Works on Unicode scalars, not Characters,
/// so a combining mark after a `,` cannot merge with the separator.
enum TagList {
    static func encode(_ tags: [String]) -> String? {
        guard !tags.isEmpty else { return nil }
        var out = String.UnicodeScalarView()
        for (index, tag) in tags.enumerated() {
            if index > 0 { out.append(",") }
            for scalar in tag.unicodeScalars {
                if scalar == "," || scalar == "\\" { out.append("\\") }
                out.append(scalar)
            }
        }
        return String(out)
    }

    static func decode(_ text: String?) -> [String] {
        guard let text else { return [] }
        var tags: [String] = []
        var current = String.UnicodeScalarView()
        var escaping = false
        for scalar in text.unicodeScalars {
            if escaping {
                current.append(scalar)
                escaping = false
            } else if scalar == "\\" {
                escaping = true
            } else if scalar == "," {
                tags.append(String(current))
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
        }
        tags.append(String(current))
        return tags
    }
}
