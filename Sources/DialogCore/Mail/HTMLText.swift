/// The readable text of an HTML-only mail: tags dropped, `script`, `style`, `head` and comments
/// dropped with their content, block elements and `<br>` as line breaks, character references
/// decoded, blank runs collapsed. `blockquote` content is marked with `> ` so it counts as
/// quoted history. Not a renderer: enough for a classifier and a person reading `show`.
public enum HTMLText {
    public static func text(_ html: String) -> String {
        let s = Array(html.unicodeScalars)
        var out = String.UnicodeScalarView()
        var quoteDepth = 0
        var atLineStart = true
        var i = 0
        let n = s.count
        // Once a tag ran to the end without its `>`, no later `<` can close either: each is text
        // (without this, `<a<a<a…` would cost a scan to the end per `<`).
        var unclosed = false
        func newline() {
            out.append("\n")
            atLineStart = true
        }
        func emit(_ c: Unicode.Scalar) {
            if atLineStart, quoteDepth > 0, c != " " {
                for _ in 0..<quoteDepth { out.append(">") }
                out.append(" ")
            }
            if atLineStart, c == " " { return }
            out.append(c)
            atLineStart = false
        }
        while i < n {
            let c = s[i]
            if c == "<", !unclosed {
                if starts(s, i, "<!--") {
                    i = find(s, from: i + 4, "-->").map { $0 + 3 } ?? n
                    continue
                }
                var k = i + 1
                var closing = false
                if k < n, s[k] == "/" { closing = true; k += 1 }
                var name = ""
                while k < n, s[k].properties.isAlphabetic || ("0"..."9").contains(s[k]) { name.unicodeScalars.append(s[k]); k += 1 }
                name = name.lowercased()
                // The tag's end, skipping quoted attribute values.
                var quote: Unicode.Scalar? = nil
                while k < n {
                    if let q = quote { if s[k] == q { quote = nil } } else if s[k] == "\"" || s[k] == "'" { quote = s[k] } else if s[k] == ">" { break }
                    k += 1
                }
                if k >= n {
                    unclosed = true
                    emit("<")
                    i += 1
                    continue
                }
                let tagEnd = k + 1
                if name.isEmpty, !closing, !starts(s, i, "<!"), !starts(s, i, "<?") {
                    emit("<")  // a lone `<` in text
                    i += 1
                    continue
                }
                if !closing, ["script", "style", "head", "title", "noscript", "template"].contains(name) {
                    i = find(s, from: tagEnd, "</" + name, caseInsensitive: true).flatMap { close in
                        find(s, from: close, ">").map { $0 + 1 }
                    } ?? n
                    continue
                }
                if name == "blockquote" { quoteDepth = max(0, quoteDepth + (closing ? -1 : 1)) }
                if Self.blocks.contains(name) { newline() } else if name == "td" || name == "th", out.last != " " { emit(" ") }
                i = tagEnd
                continue
            }
            if c == "&" {
                let (scalar, used) = entity(s, i)
                if let scalar { emit(scalar == "\u{A0}" ? " " : scalar); i += used; continue }
            }
            if c == "\n" || c == "\r" || c == "\t" || c == " " {
                if !atLineStart, out.last != " " { emit(" ") }
                i += 1
                continue
            }
            emit(c)
            i += 1
        }
        // Lines trimmed, runs of blank lines cut to one.
        var lines: [String] = []
        for line in String(out).split(separator: "\n", omittingEmptySubsequences: false) {
            let t = line.trimmingWhitespace()
            if t.isEmpty, lines.last?.isEmpty ?? true { continue }
            lines.append(t)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    static let blocks: Set<String> = [
        "br", "p", "div", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
        "blockquote", "pre", "hr", "section", "article", "header", "footer", "dd", "dt", "address", "body", "html",
    ]

    static func starts(_ s: [Unicode.Scalar], _ i: Int, _ prefix: String, caseInsensitive: Bool = false) -> Bool {
        var k = i
        for p in prefix.unicodeScalars {
            guard k < s.count else { return false }
            let c = s[k]
            if caseInsensitive ? Self.lower(c) != Self.lower(p) : c != p { return false }
            k += 1
        }
        return true
    }

    static func lower(_ c: Unicode.Scalar) -> Unicode.Scalar {
        ("A"..."Z").contains(c) ? Unicode.Scalar(c.value + 32) ?? c : c
    }

    static func find(_ s: [Unicode.Scalar], from: Int, _ needle: String, caseInsensitive: Bool = false) -> Int? {
        var k = from
        while k < s.count {
            if starts(s, k, needle, caseInsensitive: caseInsensitive) { return k }
            k += 1
        }
        return nil
    }

    /// A character reference at `i` (`&amp;`, `&#228;`, `&#xE4;`): the scalar and its length.
    static func entity(_ s: [Unicode.Scalar], _ i: Int) -> (Unicode.Scalar?, Int) {
        var k = i + 1
        var name = ""
        while k < s.count, k - i < 12, s[k] != ";", s[k].properties.isAlphabetic || ("0"..."9").contains(s[k]) || s[k] == "#" {
            name.unicodeScalars.append(s[k])
            k += 1
        }
        let used = k < s.count && s[k] == ";" ? k - i + 1 : k - i
        if name.hasPrefix("#x") || name.hasPrefix("#X") {
            return (UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init), used)
        }
        if name.hasPrefix("#") { return (UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init), used) }
        guard k < s.count, s[k] == ";", let v = named[name] else { return (nil, 0) }
        return (v, used)
    }

    static let named: [String: Unicode.Scalar] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}",
        "auml": "ä", "ouml": "ö", "uuml": "ü", "Auml": "Ä", "Ouml": "Ö", "Uuml": "Ü", "szlig": "ß",
        "eacute": "é", "egrave": "è", "agrave": "à", "aacute": "á", "ccedil": "ç", "ntilde": "ñ",
        "euro": "€", "copy": "©", "reg": "®", "hellip": "…", "ndash": "–", "mdash": "—",
        "laquo": "«", "raquo": "»", "bdquo": "„", "ldquo": "“", "rdquo": "”", "lsquo": "‘", "rsquo": "’",
        "sbquo": "‚", "middot": "·", "bull": "•", "deg": "°", "times": "×", "shy": "\u{AD}", "zwnj": "\u{200C}",
    ]
}
