/// The addresses of an address-list field (From, To, Cc; RFC 5322 §3.4), lowercased, display
/// names, comments and group names dropped: `"Müller, Anna" <Anna@Example.com>, x@y.de` →
/// `anna@example.com`, `x@y.de`.
public enum MailAddresses {
    public static func parse(_ value: String) -> [String] {
        var addresses: [String] = []
        var mailbox = ""
        var angle: String? = nil
        var inAngle = false
        var quoted = false
        var escaped = false
        var comment = 0
        func finish() {
            let candidate = (angle ?? mailbox).trimmingWhitespace()
            if candidate.contains("@"), !candidate.contains(where: { $0 == " " || $0 == "\t" }) {
                addresses.append(candidate.lowercased())
            } else if angle == nil, let word = mailbox.split(whereSeparator: { $0 == " " || $0 == "\t" }).last(where: { $0.contains("@") }) {
                addresses.append(String(word).lowercased())
            }
            mailbox = ""
            angle = nil
        }
        for ch in value.unicodeScalars {
            if escaped { escaped = false; continue }
            if ch == "\\", quoted || comment > 0 { escaped = true; continue }
            if quoted { if ch == "\"" { quoted = false }; continue }
            if comment > 0 {
                if ch == "(" { comment += 1 } else if ch == ")" { comment -= 1 }
                continue
            }
            if inAngle {
                if ch == ">" { inAngle = false } else { angle?.unicodeScalars.append(ch) }
                continue
            }
            switch ch {
            case "\"": quoted = true
            case "(": comment = 1
            case "<": inAngle = true; angle = ""
            case ",", ";": finish()
            case ":": mailbox = ""  // a group's name
            default: mailbox.unicodeScalars.append(ch)
            }
        }
        finish()
        return addresses
    }
}
