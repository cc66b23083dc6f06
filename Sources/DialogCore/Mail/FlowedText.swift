/// `format=flowed` (RFC 3676): a line ending in a space continues on the next line of the same
/// quote depth; space-stuffing is undone; `delsp=yes` also drops that space. The result has one
/// line per paragraph, quoted lines keep their `>` marks (for the quote stripping after).
public enum FlowedText {
    public static func join(_ text: String, delSp: Bool) -> String {
        var out: [String] = []
        var paragraph: String? = nil
        var paragraphDepth = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = Substring(rawLine)
            var depth = 0
            while line.first == ">" { depth += 1; line = line.dropFirst() }
            if line.first == " " { line = line.dropFirst() }
            let isSignature = line == "-- "
            let soft = !isSignature && line.last == " "
            var content = String(line)
            if soft, delSp { content.removeLast() }
            if let open = paragraph, depth != paragraphDepth {
                out.append(quoted(open, depth: paragraphDepth))
                paragraph = nil
            }
            let joined = (paragraph ?? "") + content
            if soft {
                paragraph = joined
                paragraphDepth = depth
            } else {
                out.append(quoted(joined, depth: depth))
                paragraph = nil
            }
        }
        if let open = paragraph { out.append(quoted(open, depth: paragraphDepth)) }
        return out.joined(separator: "\n")
    }

    static func quoted(_ line: String, depth: Int) -> String {
        depth == 0 ? line : String(repeating: ">", count: depth) + " " + line
    }
}
