/// The whole effective configuration as INI text (`dialogd --check-config`): every plain key
/// of `ConfigKeys.all`, so a key added there cannot be left out, then the named sections.
extension DialogConfig {
    /// Text that parses back to the same configuration; unset keys and notes are comments.
    public var effectiveINI: String {
        var sections: [Substring] = []
        var keys: [Substring: [ConfigKeys.Key]] = [:]
        for key in ConfigKeys.all {
            if keys[key.section] == nil { sections.append(key.section) }
            keys[key.section, default: []].append(key)
        }
        var lines: [String] = []
        for section in sections {
            lines.append("[\(section)]")
            for key in keys[section] ?? [] {
                let note = key.note(self)
                if let value = key.show(self) {
                    lines.append("\(key.key) = \(Self.quoted(value))")
                    if let note { lines.append("# " + note) }
                } else {
                    lines.append("# \(key.key) is not set" + (note.map { ": " + $0 } ?? ""))
                }
            }
        }
        let named = namedSectionsINI
        return (lines + (named.isEmpty ? [] : [named])).joined(separator: "\n")
    }

    /// A value the INI reader would change (outer spaces, outer quotes) goes in quotes.
    static func quoted(_ value: String) -> String {
        let bare = value.trimmingWhitespace() == value && !(value.count >= 2 && value.hasPrefix("\"") && value.hasSuffix("\""))
        return bare ? value : "\"" + value + "\""
    }

    /// Seconds → `7d`, `36h`, else as `duration`.
    static func span(_ seconds: Int64) -> String {
        seconds % 86_400 == 0 ? "\(seconds / 86_400)d" : duration(seconds)
    }
}
