/// Normalizers for the small text fields (labels, tags, satisfaction, sentiment), shared by all formats.
public enum FieldValues {
    /// Lowercased ASCII fast path; other text goes through Unicode lowercasing.
    static func lowercase(_ s: String) -> String {
        var ascii = true
        var hasUpper = false
        for c in s.utf8 {
            if c >= 0x80 { ascii = false; break }
            if c >= 0x41 && c <= 0x5A { hasUpper = true }
        }
        if !ascii { return s.lowercased() }
        if !hasUpper { return s }
        return String(decoding: s.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    /// `Churn Risk` → `churn_risk`: lowercased, trimmed, runs of spaces or `-` become one `_`.
    public static func label(_ s: String) -> String {
        let low = lowercase(s.trimmingWhitespace())
        guard low.utf8.contains(where: { $0 == 0x20 || $0 == 0x2D || $0 == 0x09 }) else { return low }
        var out: [UInt8] = []
        out.reserveCapacity(low.utf8.count)
        var pending = false
        for c in low.utf8 {
            if c == 0x20 || c == 0x2D || c == 0x09 { pending = true; continue }
            if pending { out.append(UInt8(ascii: "_")); pending = false }
            out.append(c)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `4`, `4/5`, `4 / 5`, `8/10`, `4 von 5` → 1…5 (scaled, rounded half up); `nil` when outside.
    public static func satisfaction(_ s: String) -> Int? {
        s.withBytes { b -> Int? in
            var c = ByteCursor(b)
            guard let v = c.digits(min: 1, max: 3) else { return nil }
            c.skipSpaces()
            var scale = 5
            if !c.atEnd {
                if !c.eat(UInt8(ascii: "/")) {
                    let w = c.word()
                    guard w == "von" || w == "of" || w == "out" else { return nil }
                    if w == "out" { c.skipSpaces(); guard c.word() == "of" else { return nil } }
                }
                c.skipSpaces()
                guard let d = c.digits(min: 1, max: 3), d > 0 else { return nil }
                scale = d
                c.skipSpaces()
                guard c.atEnd else { return nil }
            }
            guard v <= scale else { return nil }
            let scaled = (v * 5 * 2 + scale) / (scale * 2)
            return (1...5).contains(scaled) ? scaled : nil
        }
    }

    /// positive/neutral/negative, German spellings accepted; `nil` for anything else.
    public static func sentiment(_ s: String) -> String? {
        switch lowercase(s.trimmingWhitespace()) {
        case "positive", "positiv": "positive"
        case "neutral": "neutral"
        case "negative", "negativ": "negative"
        default: nil
        }
    }

    /// Comma-separated tags: trimmed, lowercased, empty dropped, first occurrence kept.
    public static func tags<S: Sequence>(_ items: S) -> [String] where S.Element == String {
        var out: [String] = []
        for item in items {
            item.withBytes { b in
                var start = 0
                while start <= b.count {
                    var e = start
                    while e < b.count && b[e] != UInt8(ascii: ",") { e += 1 }
                    var lo = start, hi = e
                    while lo < hi && ByteCursor.isSpace(b[lo]) { lo += 1 }
                    while hi > lo && ByteCursor.isSpace(b[hi - 1]) { hi -= 1 }
                    if lo < hi {
                        var t = String(decoding: UnsafeBufferPointer(rebasing: b[lo..<hi]), as: UTF8.self)
                        if b[lo] >= 0x80 || b[hi - 1] >= 0x80 { t = t.trimmingWhitespace() }
                        t = lowercase(t)
                        if !t.isEmpty && !out.contains(t) { out.append(t) }
                    }
                    start = e + 1
                }
            }
        }
        return out
    }

    /// True when the text holds a C0/C1 control, DEL or a bidi control (`Escape.isHiddenControl`).
    static func hasControl(_ s: String, allowingNewlines: Bool = false) -> Bool {
        Escape.containsHiddenControl(s, allowing: allowingNewlines ? ["\n", "\t"] : [])
    }

    /// True when the text holds a scalar that shows as nothing (Unicode's default-ignorable ones:
    /// zero-width space and joiner, BOM, soft hyphen, variation selectors, tags, Hangul fillers):
    /// in a name or an id it makes a look-alike of another (`anna` + U+200B beside `anna`).
    /// ZWNJ and ZWJ shape Persian, Indic and emoji text, and a variation selector picks an emoji's
    /// look: kept after (and, for the joiners, before) a visible non-ASCII scalar, never beside
    /// the ASCII letters a look-alike of `anna` is made of.
    static func hasInvisible(_ s: String) -> Bool {
        guard s.utf8.contains(where: { $0 >= 0x80 }) else { return false }
        let scalars = Array(s.unicodeScalars)
        func shown(_ i: Int) -> Bool {
            scalars.indices.contains(i) && scalars[i].value >= 0x80 && !scalars[i].properties.isDefaultIgnorableCodePoint
        }
        for (i, u) in scalars.enumerated() where u.properties.isDefaultIgnorableCodePoint {
            switch u.value {
            case 0x200C...0x200D where shown(i - 1) && shown(i + 1): continue
            case 0xFE0E...0xFE0F where shown(i - 1): continue
            default: return true
            }
        }
        return false
    }

    /// True for 1…`maxCharacters` characters without whitespace, control or invisible characters (ids).
    static func isToken(_ s: String, maxCharacters: Int) -> Bool {
        var ascii = true
        for c in s.utf8 {
            if c >= 0x80 { ascii = false; break }
            if c <= 0x20 || c == 0x7F { return false }
        }
        if ascii { return s.utf8.count <= maxCharacters }
        var n = 0
        for u in s.unicodeScalars {
            n += 1
            if n > maxCharacters || u.properties.isWhitespace || u.value < 0x20 || (0x7F...0x9F).contains(u.value) { return false }
        }
        return !hasInvisible(s)
    }
}
