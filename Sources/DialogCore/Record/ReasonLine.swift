/// The one line of a `NAME.reason` file: `ORIGINAL-NAME: REASON`. Whatever the dropped name
/// holds (a newline, a terminal escape, ": "), the line stays one line and splits back exactly:
/// both parts are escaped on Unicode scalars, and the name never contains ": ".
public enum ReasonLine {
    /// The line, with its LF.
    public static func format(name: String, reason: String) -> String {
        escape(name, inName: true) + ": " + escape(reason, inName: false) + "\n"
    }

    /// The escaped name and reason of a line written by `format`; nil for anything else.
    public static func parse(_ text: String) -> (name: String, reason: String)? {
        var line = Substring(text)
        while line.last == "\n" { line.removeLast() }
        guard !line.contains("\n"), let separator = line.range(of: ": ") else { return nil }
        return (String(line[..<separator.lowerBound]), String(line[separator.upperBound...]))
    }

    /// `\` doubled; line ends, other controls, bidi overrides and `:` before a space (in the
    /// name only) as `\n`, `\r`, `\t` or `\u{XXXX}`.
    public static func escape(_ text: String, inName: Bool) -> String {
        var out = ""
        let scalars = Array(text.unicodeScalars)
        for (i, scalar) in scalars.enumerated() {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case ":" where inName && i + 1 < scalars.count && scalars[i + 1] == " ":
                out += "\\u{3A}"
            case _ where needsEscape(scalar):
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the bidi
    /// controls that make a name read differently from what it is.
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
