@testable import DialogCore
import Testing

/// Property tests for the escaping module (issue 13): thousands of seeded random strings that
/// mix combining marks, ZWJ, C0/C1 controls, bidi controls and each format's special
/// characters; each function's output keeps its format's invariant whatever the input.
@Suite("Escaping properties")
struct EscapePropertyTests {
    static let specials: [Unicode.Scalar] = [
        "\"", "'", "<", ">", "&", "`", "=", "+", "-", "@", ",", ";", "\\", " ", "\t", "\r", "\n", "\0", "\u{1b}", "\u{7}", "\u{7f}",
        "\u{80}", "\u{85}", "\u{9b}", "\u{9f}", "\u{301}", "\u{308}", "\u{20dd}", "\u{200d}", "\u{fe0f}", "\u{202a}", "\u{202b}",
        "\u{202c}", "\u{202d}", "\u{202e}", "\u{2066}", "\u{2067}", "\u{2068}", "\u{2069}", "\u{200e}", "\u{200f}", "\u{61c}",
        "\u{2028}", "\u{2029}", "\u{ff1d}", "\u{ff0b}", "\u{feff}", "\u{fffd}", "é", "ß", "€", "中", "\u{1f469}", "\u{1f4bb}",
        "a", "b", "1", "]", "[", ";", "{", "}", "/", "!",
    ]

    /// Strings of 0…24 scalars drawn mostly from `specials`, sometimes any valid scalar.
    static func cases(_ count: Int = 5000, seed: UInt64) -> [String] {
        var g = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            var s = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...24, using: &g) {
                if Int.random(in: 0..<8, using: &g) == 0, let any = Unicode.Scalar(UInt32.random(in: 0...0x10FFFF, using: &g)) {
                    s.append(any)
                } else {
                    s.append(specials[Int.random(in: 0..<specials.count, using: &g)])
                }
            }
            return String(s)
        }
    }

    /// Decodes the five entities `htmlText`/`htmlAttribute` write plus `&#96;` (independent of them).
    static func unescapeHTML(_ s: String) -> String? {
        var out = "", i = s.unicodeScalars.startIndex
        let scalars = s.unicodeScalars
        while i < scalars.endIndex {
            if scalars[i] == "&" {
                guard let semi = scalars[i...].firstIndex(of: ";") else { return nil }
                switch String(scalars[scalars.index(after: i)..<semi]) {
                case "amp": out += "&"
                case "lt": out += "<"
                case "gt": out += ">"
                case "quot": out += "\""
                case "#39": out += "'"
                case "#96": out += "`"
                default: return nil
                }
                i = scalars.index(after: semi)
            } else {
                out.unicodeScalars.append(scalars[i])
                i = scalars.index(after: i)
            }
        }
        return out
    }

    @Test("HTML text and attribute values: no raw quote, '<', '>' or a '&' that starts anything but our entities; reads back as the input")
    func html() {
        for text in Self.cases(seed: 1) {
            for escaped in [Escape.htmlText(text), Escape.htmlAttribute(text)] {
                #expect(!escaped.unicodeScalars.contains { "\"'<>".unicodeScalars.contains($0) }, "\(text.debugDescription)")
                #expect(Self.unescapeHTML(escaped) == text, "\(text.debugDescription)")
            }
            #expect(!Escape.htmlAttribute(text).unicodeScalars.contains("`"))
        }
    }

    /// RFC 4180 reader over UTF-8 bytes, written here independently of the escaper.
    static func parseCSV(_ line: String, delimiter: UInt8) -> [String]? {
        var cells: [String] = [], cell: [UInt8] = [], quoted = false, afterQuote = false
        let b = Array(line.utf8)
        guard b.count >= 2, b[b.count - 2] == 0x0D, b[b.count - 1] == 0x0A else { return nil }
        var i = 0
        while i < b.count - 2 {
            let c = b[i]
            if quoted {
                if c == 0x22 {
                    if i + 1 < b.count - 2, b[i + 1] == 0x22 { cell.append(0x22); i += 2; continue }
                    quoted = false; afterQuote = true
                } else { cell.append(c) }
            } else if c == delimiter {
                cells.append(String(decoding: cell, as: UTF8.self)); cell = []; afterQuote = false
            } else if c == 0x22 {
                guard cell.isEmpty, !afterQuote else { return nil }
                quoted = true
            } else {
                guard !afterQuote, c != 0x0A, c != 0x0D else { return nil }
                cell.append(c)
            }
            i += 1
        }
        guard !quoted else { return nil }
        cells.append(String(decoding: cell, as: UTF8.self))
        return cells
    }

    @Test("CSV cells parse back to the input (or ' + input when it would be a formula); none starts a formula")
    func csv() {
        let all = Self.cases(seed: 2)
        for delimiter in [UInt8(ascii: ","), UInt8(ascii: ";")] {
            for k in stride(from: 0, to: all.count - 3, by: 3) {
                let texts = Array(all[k..<k + 3])
                let line = Escape.csvRecord(texts.map(Escape.csvInert), delimiter: delimiter)
                let back = Self.parseCSV(line, delimiter: delimiter)
                #expect(back?.count == 3, "\(texts.map(\.debugDescription)) → \(line.debugDescription)")
                for (text, cell) in zip(texts, back ?? []) {
                    // A NUL comes back as U+FFFD (CSV readers end or refuse the line at a NUL).
                    let readable = String(String.UnicodeScalarView(text.unicodeScalars.map { $0 == "\0" ? "\u{FFFD}" : $0 }))
                    #expect(cell == readable || cell == "'" + readable, "\(text.debugDescription) → \(cell.debugDescription)")
                    #expect(!cell.unicodeScalars.contains("\0"))
                    let first = cell.unicodeScalars.first { $0 != " " }
                    #expect(first.map { !"=+-@\t\r\n＝＋－＠".unicodeScalars.contains($0) } ?? true, "\(cell.debugDescription) would run as a formula")
                    #expect(Escape.csvTextCell(text, delimiter: delimiter) == Escape.csvField(Escape.csvInert(text), delimiter: delimiter))
                }
            }
        }
    }

    @Test("Prometheus label values: inside quotes only \\\\, \\\" and \\n escapes, no raw quote or LF; read back as the input")
    func prometheus() {
        for text in Self.cases(seed: 3) {
            let b = Array(Escape.prometheusLabelValue(text).utf8)
            var out: [UInt8] = [], i = 0, valid = true
            while i < b.count {
                switch b[i] {
                case 0x22, 0x0A: valid = false
                case 0x5C:
                    guard i + 1 < b.count else { valid = false; break }
                    switch b[i + 1] {
                    case 0x5C: out.append(0x5C)
                    case 0x22: out.append(0x22)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    default: valid = false
                    }
                    i += 1
                default: out.append(b[i])
                }
                i += 1
            }
            #expect(valid, "\(text.debugDescription)")
            #expect(String(decoding: out, as: UTF8.self) == text, "\(text.debugDescription)")
        }
    }

    /// What a terminal acts on or reorders by (written out here, not taken from the module).
    static func isHidden(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return v < 0x20 || (0x7F...0x9F).contains(v) || [0x061C, 0x200E, 0x200F, 0x2028, 0x2029].contains(v)
            || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }

    @Test("terminal output holds no control or bidi scalar (LF only when kept), shows each as \\xNN or \\uNNNN, keeps the rest")
    func terminal() {
        for text in Self.cases(seed: 4) {
            let shown = Escape.terminal(text)
            #expect(!shown.unicodeScalars.contains(where: Self.isHidden), "\(text.debugDescription) → \(shown.debugDescription)")
            let kept = Escape.terminal(text, keepingNewlines: true)
            #expect(!kept.unicodeScalars.contains { Self.isHidden($0) && $0 != "\n" })
            #expect(kept.unicodeScalars.filter { $0 == "\n" }.count == text.unicodeScalars.filter { $0 == "\n" }.count)
            // Everything else survives in order.
            #expect(String(String.UnicodeScalarView(shown.unicodeScalars.filter { !$0.properties.isASCIIHexDigit && $0 != "\\" && $0 != "x" && $0 != "u" && $0 != "t" && $0 != "n" && $0 != "r" }))
                == String(String.UnicodeScalarView(text.unicodeScalars.filter { !Self.isHidden($0) && !$0.properties.isASCIIHexDigit && $0 != "\\" && $0 != "x" && $0 != "u" && $0 != "t" && $0 != "n" && $0 != "r" })))
        }
        #expect(Escape.terminal("a\u{1b}]52;c;eA==\u{7}b") == "a\\x1b]52;c;eA==\\x07b")
        #expect(Escape.terminal("\u{9b}2J\u{202e}x\u{2069}") == "\\u009b2J\\u202ex\\u2069")
        #expect(Escape.terminal("one\ttwo\r\nthree") == "one\\ttwo\\r\\nthree")
        #expect(Escape.terminal("one\r\ntwo", keepingNewlines: true) == "one\\r\ntwo")
    }

    @Test("the payloads of issue 13, one by one")
    func issuePayloads() {
        // Literals outside #expect: swift-testing's macro mis-quotes a '"' followed by a combining mark.
        let attribute = Escape.htmlAttribute("\"\u{301} onx=y"), attributeWanted = "&quot;\u{301} onx=y"
        #expect(attribute == attributeWanted)
        let cell = Escape.csvTextCell("x\"\u{301},=cmd|' /C calc'!A0,\"", delimiter: UInt8(ascii: ","))
        let cellWanted = "\"x\"\"\u{301},=cmd|' /C calc'!A0,\"\"\""
        #expect(cell == cellWanted)
        #expect(Escape.csvInert("=1+1") == "'=1+1")
        #expect(Escape.csvInert("  @SUM(A1)") == "'  @SUM(A1)")
        let label = Escape.prometheusLabelValue("\"\u{301}/onmouse"), labelWanted = "\\\"\u{301}/onmouse"
        #expect(label == labelWanted)
    }
}
