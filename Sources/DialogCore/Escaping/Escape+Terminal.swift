extension Escape {
    /// Text for a terminal or a log line, with every `isHiddenControl` scalar shown as what it
    /// is (`\t`, `\n`, `\r`, `\x1b`, `\u009b`, `\u202e`), as `ls` and `git` do: an OSC 52 or a
    /// `ESC [ 2 J` in a customer name is printed, not run, and bidi overrides cannot reorder a
    /// line. `keepingNewlines` leaves LF as it is, for multi-line bodies such as a record's text.
    /// A backslash stays as it is: the output is for reading, not for parsing back.
    public static func terminal(_ text: String, keepingNewlines: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { isHiddenControl($0) && !(keepingNewlines && $0 == "\n") }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard isHiddenControl(scalar), !(keepingNewlines && scalar == "\n") else { out.append(scalar); continue }
            out.append(contentsOf: visible(scalar).unicodeScalars)
        }
        return String(out)
    }

    private static func visible(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\t": return "\\t"
        case "\n": return "\\n"
        case "\r": return "\\r"
        default:
            let hex = String(scalar.value, radix: 16)
            return scalar.value < 0x80 ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
                : "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
    }
}
