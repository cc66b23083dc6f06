#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Text of a mail part or header word in its declared charset, as UTF-8, through Glibc's iconv:
/// every charset the system's gconv modules know (ISO-8859-*, Windows-125x, ISO-2022-JP, …)
/// without a package dependency. A pure function of the bytes; no state is kept between calls.
public enum MailCharset {
    /// Decodes `bytes` declared as `charset`. An unknown or missing charset reads UTF-8 when the
    /// bytes are valid UTF-8, else Windows-1252 (what unlabelled 8-bit mail mostly is); a byte
    /// invalid in the charset becomes U+FFFD. `exact` is false when either happened.
    public static func decode(_ bytes: [UInt8], charset: String?) -> (text: String, exact: Bool) {
        let name = normalized(charset)
        if bytes.allSatisfy({ $0 < 0x80 }), !isStateful(name) {
            return (String(decoding: bytes, as: UTF8.self), true)
        }
        if name == "UTF-8" || name == nil {
            if let s = validUTF8(bytes) { return (s, name != nil) }
            return (fallback(bytes), false)
        }
        guard let name, let converted = iconvToUTF8(bytes, from: name) else {
            return (fallback(bytes), false)
        }
        return (String(decoding: converted.bytes, as: UTF8.self), converted.exact)
    }

    /// Unlabelled 8-bit text: UTF-8 when valid, else Windows-1252.
    public static func fallback(_ bytes: [UInt8]) -> String {
        if let s = validUTF8(bytes) { return s }
        return bytes.withUnsafeBufferPointer { String(decoding: Windows1252.toUTF8($0), as: UTF8.self) }
    }

    static func validUTF8(_ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBufferPointer { b in
            TextDecoding.scanUTF8(b).invalidOffset == nil ? String(decoding: b, as: UTF8.self) : nil
        }
    }

    /// The name iconv is asked for: trimmed, unquoted, RFC 2231 language cut, common mislabels mapped;
    /// nil for "no charset" (absent, us-ascii, unknown-8bit).
    static func normalized(_ charset: String?) -> String? {
        guard var name = charset?.trimmingWhitespace(), !name.isEmpty else { return nil }
        if name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 { name = String(name.dropFirst().dropLast()) }
        if let star = name.firstIndex(of: "*") { name = String(name[..<star]) }
        let low = name.lowercased()
        switch low {
        case "us-ascii", "ascii", "unknown-8bit", "x-unknown", "unknown", "default", "8bit", "": return nil
        case "utf-8", "utf8", "x-utf-8", "unicode-1-1-utf-8": return "UTF-8"
        case "ks_c_5601-1987": return "CP949"
        case "x-sjis", "shift-jis": return "SHIFT_JIS"
        case "latin1", "latin-1": return "ISO-8859-1"
        default: break
        }
        // Only what iconv may be asked: letters, digits and a few punctuation marks.
        guard name.utf8.count <= 40, name.utf8.allSatisfy({ ByteCursor.isLetter($0) || ByteCursor.digit($0) != nil || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E || $0 == 0x3A }) else {
            return ""
        }
        return name.uppercased()
    }

    /// ISO-2022 charsets are 7-bit yet not ASCII: they must go through iconv.
    static func isStateful(_ name: String?) -> Bool { name?.hasPrefix("ISO-2022") == true || name == "UTF-7" }

    /// iconv from `charset` to UTF-8; nil when iconv does not know the charset.
    static func iconvToUTF8(_ bytes: [UInt8], from charset: String) -> (bytes: [UInt8], exact: Bool)? {
        guard !charset.isEmpty else { return nil }
        #if canImport(Glibc)
        let cd = iconv_open("UTF-8", charset)
        guard let cd, Int(bitPattern: cd) != -1 else { return nil }
        defer { iconv_close(cd) }
        var out = [UInt8](repeating: 0, count: bytes.count * 4 + 16)
        var written = 0
        var exact = true
        var input = bytes
        let count = input.count
        input.withUnsafeMutableBufferPointer { inBuffer in
            var consumed = 0
            var flushing = false
            while true {
                if out.count - written < 16 { out.append(contentsOf: repeatElement(0, count: out.count)) }
                let (result, err, used, made): (Int, Int32, Int, Int) = out.withUnsafeMutableBufferPointer { outBuffer in
                    guard let outBase = outBuffer.baseAddress else { return (-1, EINVAL, 0, 0) }
                    var inLeft = count - consumed
                    var outLeft = outBuffer.count - written
                    var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBase + written).assumingMemoryBound(to: CChar.self)
                    let r: Int
                    if flushing {
                        r = iconv(cd, nil, nil, &outPtr, &outLeft)
                    } else {
                        var inPtr: UnsafeMutablePointer<CChar>? = inBuffer.baseAddress.map { UnsafeMutableRawPointer($0 + consumed).assumingMemoryBound(to: CChar.self) }
                        r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                    }
                    let e = r == -1 ? errno : 0
                    return (r, e, (count - consumed) - inLeft, (outBuffer.count - written) - outLeft)
                }
                written += made
                if !flushing { consumed += used }
                if result != -1 {
                    if flushing { break }
                    flushing = true
                    continue
                }
                if err == E2BIG {
                    out.append(contentsOf: repeatElement(0, count: out.count))
                    continue
                }
                // EILSEQ, or EINVAL for a sequence cut at the end: one byte becomes U+FFFD.
                exact = false
                if flushing { break }
                if out.count - written < 4 { out.append(contentsOf: repeatElement(0, count: out.count)) }
                out[written] = 0xEF; out[written + 1] = 0xBF; out[written + 2] = 0xBD
                written += 3
                consumed += 1
                if consumed >= count { flushing = true }
            }
        }
        out.removeSubrange(written...)
        return (out, exact)
        #else
        return nil
        #endif
    }
}
