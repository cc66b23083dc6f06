/// A parsed INI document: `[section]` headers, `key = value` lines, `#`/`;` comments.
///
/// Kept deliberately small and strict so `dialogd --check-config` can point at the exact
/// line of a mistake; values keep their inner spaces, keys are lowercased.
public struct IniFile: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var section: String
        public var key: String
        public var value: String
        public var line: Int
    }

    public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// Entries in file order; a key repeated in a section is an error, not a silent override.
    public private(set) var entries: [Entry] = []
    /// Sections in file order, including empty ones.
    public private(set) var sections: [String] = []

    public init(text: String) throws(SyntaxError) {
        var section = ""
        var seen = Set<String>()
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Substring(rawLine)
            if lineNumber == 1, line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
            let trimmed = String(line).trimmingWhitespace()
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            if trimmed.hasPrefix("[") {
                guard trimmed.hasSuffix("]"), trimmed.count > 2 else {
                    throw SyntaxError(line: lineNumber, message: "expected a section header like [spool], found \(trimmed)")
                }
                section = String(trimmed.dropFirst().dropLast()).trimmingWhitespace().lowercased()
                guard !sections.contains(section) else {
                    throw SyntaxError(line: lineNumber, message: "section [\(section)] appears twice")
                }
                sections.append(section)
                continue
            }
            guard let eq = trimmed.firstIndex(of: "=") else {
                throw SyntaxError(line: lineNumber, message: "expected `key = value`, found \(trimmed)")
            }
            let key = String(trimmed[..<eq]).trimmingWhitespace().lowercased()
            let value = String(trimmed[trimmed.index(after: eq)...]).trimmingWhitespace()
            guard !key.isEmpty else {
                throw SyntaxError(line: lineNumber, message: "a key is missing before `=`")
            }
            guard !section.isEmpty else {
                throw SyntaxError(line: lineNumber, message: "`\(key)` stands before any [section]")
            }
            guard seen.insert(section + "\u{0}" + key).inserted else {
                throw SyntaxError(line: lineNumber, message: "`\(key)` is set twice in [\(section)]")
            }
            entries.append(Entry(section: section, key: key, value: unquote(value), line: lineNumber))
        }
    }

    public func entries(in section: String) -> [Entry] {
        entries.filter { $0.section == section }
    }
}

/// `"a b"` → `a b`, so values with leading/trailing spaces or `#` can be written.
private func unquote(_ value: String) -> String {
    if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
        return String(value.dropFirst().dropLast())
    }
    return value
}
