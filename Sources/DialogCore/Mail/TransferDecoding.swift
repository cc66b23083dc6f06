/// Content-Transfer-Encoding (RFC 2045 §6) and the two encodings of RFC 2047 words, leniently:
/// mail in the wild breaks the rules, and a wrong byte should cost a character, never the message.
public enum TransferDecoding {
    /// Decodes a part's body by its `Content-Transfer-Encoding`; 7bit, 8bit, binary and unknown
    /// encodings are taken as they are.
    public static func decode(_ body: ArraySlice<UInt8>, encoding: String?) -> [UInt8] {
        switch encoding?.trimmingWhitespace().lowercased() {
        case "base64": return base64(body)
        case "quoted-printable": return quotedPrintable(body)
        default: return Array(body)
        }
    }

    /// Base64, skipping whatever is not in the alphabet (line ends, stray spaces) and stopping at
    /// the first `=`; a trailing partial group yields the whole bytes it holds.
    public static func base64<C: Collection>(_ text: C) -> [UInt8] where C.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(text.count * 3 / 4)
        var acc: UInt32 = 0
        var bits = 0
        for c in text {
            let v: UInt32
            switch c {
            case 0x41...0x5A: v = UInt32(c - 0x41)
            case 0x61...0x7A: v = UInt32(c - 0x61 + 26)
            case 0x30...0x39: v = UInt32(c - 0x30 + 52)
            case 0x2B, 0x2D: v = 62
            case 0x2F, 0x5F: v = 63
            case 0x3D: return out
            default: continue
            }
            acc = (acc << 6) | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((acc >> UInt32(bits)) & 0xFF))
            }
        }
        return out
    }

    /// Quoted-printable body: `=XX` escapes, `=` at a line's end joins lines, trailing blanks
    /// of a line are dropped (RFC 2045 §6.7 rule 3); a malformed `=` stays as written.
    public static func quotedPrintable<C: Collection>(_ text: C) -> [UInt8] where C.Element == UInt8, C.Index == Int {
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var lineStart = out.count
        // Blanks written as `=20` are content (format=flowed's soft breaks), not trailing space.
        var decodedEnd = 0
        var i = text.startIndex
        let end = text.endIndex
        func trimLine() {
            while out.count > max(lineStart, decodedEnd), out[out.count - 1] == 0x20 || out[out.count - 1] == 0x09 { out.removeLast() }
        }
        while i < end {
            let c = text[i]
            if c == 0x0A {
                trimLine()
                out.append(0x0A)
                lineStart = out.count
                i += 1
                continue
            }
            if c == 0x0D, i + 1 < end, text[i + 1] == 0x0A { i += 1; continue }
            guard c == 0x3D else { out.append(c); i += 1; continue }
            // A soft line break: `=` then optional blanks then the line end.
            var k = i + 1
            while k < end, text[k] == 0x20 || text[k] == 0x09 { k += 1 }
            // What stands before a soft break is content, not trailing space.
            if k == end { decodedEnd = out.count; i = k; continue }
            if text[k] == 0x0A { decodedEnd = out.count; i = k + 1; continue }
            if text[k] == 0x0D, k + 1 < end, text[k + 1] == 0x0A { decodedEnd = out.count; i = k + 2; continue }
            if i + 2 < end, let h = hex(text[i + 1]), let l = hex(text[i + 2]) {
                out.append(UInt8(h << 4 | l))
                decodedEnd = out.count
                i += 3
                continue
            }
            out.append(c)
            i += 1
        }
        trimLine()
        return out
    }

    /// The `Q` encoding of RFC 2047 §4.2: quoted-printable where `_` is a space.
    public static func qWord<C: Collection>(_ text: C) -> [UInt8] where C.Element == UInt8, C.Index == Int {
        var out: [UInt8] = []
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c == 0x5F { out.append(0x20); i += 1; continue }
            if c == 0x3D, i + 2 < text.endIndex, let h = hex(text[i + 1]), let l = hex(text[i + 2]) {
                out.append(UInt8(h << 4 | l))
                i += 3
                continue
            }
            out.append(c)
            i += 1
        }
        return out
    }

    @inline(__always) static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }
}
