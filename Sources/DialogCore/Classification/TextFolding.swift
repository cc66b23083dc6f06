/// Lowercasing and accent folding of one Unicode scalar, for German and English text.
/// German umlauts fold to their two-letter spelling (ä → ae, ö → oe, ü → ue, ß → ss): that is
/// how Germans write them without an umlaut keyboard, so "Müller" and "Mueller" become one word.
/// Other Latin accents are dropped (é → e); other scripts are lowercased as Unicode says.
enum TextFolding {
    /// Appends the folded form of `scalar` to `out` (UTF-8). ASCII takes the fast path.
    @inline(__always)
    static func append(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
        let v = scalar.value
        if v < 0x80 {
            out.append(v >= 0x41 && v <= 0x5A ? UInt8(v + 32) : UInt8(v))
            return
        }
        if let folded = latin[v] {
            out.append(contentsOf: folded)
            return
        }
        out.append(contentsOf: scalar.properties.lowercaseMapping.utf8)
    }

    /// Latin-1 and Latin Extended-A letters seen in German, English, French and Spanish text.
    private static let latin: [UInt32: [UInt8]] = {
        var table: [UInt32: [UInt8]] = [:]
        func put(_ letters: String, _ folded: String) {
            for s in letters.unicodeScalars { table[s.value] = Array(folded.utf8) }
        }
        put("äÄæÆ", "ae"); put("öÖœŒ", "oe"); put("üÜ", "ue"); put("ßẞ", "ss")
        put("àáâãåÀÁÂÃÅāĀ", "a"); put("çÇčČ", "c"); put("èéêëÈÉÊËēĒěĚ", "e"); put("ìíîïÌÍÎÏ", "i")
        put("ñÑńŃňŇ", "n"); put("òóôõøÒÓÔÕØ", "o"); put("ùúûÙÚÛůŮ", "u"); put("ýÿÝŸ", "y")
        put("šŠśŚ", "s"); put("žŽźŹżŻ", "z"); put("łŁ", "l"); put("řŘ", "r"); put("ďĎ", "d"); put("ťŤ", "t")
        return table
    }()
}
