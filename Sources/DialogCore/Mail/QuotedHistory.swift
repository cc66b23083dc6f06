/// Leaves out the quoted history of a reply, so the classifier learns from what was written in
/// this message, not from the thread below it: `>` lines, and everything from an attribution
/// line on — `On … wrote:`, `Am … schrieb …:`, `-----Original Message-----`, Outlook's
/// `From:`/`Von:` block after a rule of underscores.
public enum QuotedHistory {
    /// The text without its history, and how many lines were left out.
    public static func strip(_ text: String) -> (text: String, removed: Int) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingTrailingCR() }
        var cut = lines.count
        for k in lines.indices where isAttribution(lines, k) {
            cut = k
            if k > 0, lines[k - 1].allSatisfy({ $0 == "_" || $0 == "-" }), !lines[k - 1].isEmpty { cut = k - 1 }
            break
        }
        var kept: [Substring] = []
        var removed = lines.count - cut
        for line in lines[..<cut] {
            if line.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix(">") { removed += 1; continue }
            kept.append(line)
        }
        while let last = kept.last, last.trimmingWhitespace().isEmpty { kept.removeLast() }
        while let first = kept.first, first.trimmingWhitespace().isEmpty { kept.removeFirst() }
        return (kept.joined(separator: "\n"), removed)
    }

    static func isAttribution(_ lines: [Substring], _ k: Int) -> Bool {
        let line = lines[k].trimmingWhitespace()
        let low = line.lowercased()
        if low.hasPrefix("-----"),
           low.contains("original message") || low.contains("ursprüngliche nachricht") || low.contains("original-nachricht") {
            return true
        }
        // A rule of underscores, then `From:`/`Von:` (Outlook).
        if k > 0, lines[k - 1].count >= 10, lines[k - 1].allSatisfy({ $0 == "_" }), low.hasPrefix("from:") || low.hasPrefix("von:") {
            return true
        }
        // `On … wrote:` / `Am … schrieb …:`, possibly wrapped onto the next line.
        let opener = low.hasPrefix("on ") || low.hasPrefix("am ") || low.hasPrefix("le ") || low.hasPrefix("el ")
        guard opener else { return false }
        let joined = k + 1 < lines.count && !low.hasSuffix(":") ? low + " " + lines[k + 1].trimmingWhitespace().lowercased() : low
        guard joined.hasSuffix(":") else { return false }
        return joined.hasSuffix("wrote:") || joined.contains(" schrieb") || joined.hasSuffix("a écrit :") || joined.hasSuffix("escribió:")
    }
}

extension Substring {
    func trimmingTrailingCR() -> Substring { last == "\r" ? dropLast() : self }
}

extension Substring {
    func trimmingWhitespace() -> String { String(self).trimmingWhitespace() }
}
