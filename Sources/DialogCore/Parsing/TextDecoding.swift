/// The text of a file after decoding: UTF-8 bytes without BOM, every line end a single LF.
public struct DecodedText: Sendable, Equatable {
    public var bytes: [UInt8]
    public var warnings: [String]
}

/// Turns raw file bytes into clean UTF-8 once, so every parser can assume valid UTF-8 and LF.
public enum TextDecoding {
    public static let windows1252Warning = "not valid UTF-8; read as Windows-1252"

    /// Decodes `bytes` (docs/spool.md): UTF-8 with optional BOM, CRLF/CR folded to LF unless
    /// `foldingLineEnds` is false (CSV keeps the bytes inside quotes and reads CRLF itself); not
    /// UTF-8 and no valid multi-byte sequence → Windows-1252 with a warning; NUL, corrupt UTF-8, empty → thrown.
    public static func decode(_ bytes: [UInt8], foldingLineEnds: Bool = true) throws(RecordRejection) -> DecodedText {
        let result: Result<DecodedText, RecordRejection> = bytes.withUnsafeBufferPointer { all in
            Result { () throws(RecordRejection) -> DecodedText in try decode(all, original: bytes, foldingLineEnds: foldingLineEnds) }
        }
        return try result.get()
    }

    private static func decode(_ all: UnsafeBufferPointer<UInt8>, original: [UInt8], foldingLineEnds: Bool) throws(RecordRejection) -> DecodedText {
        let fold = foldingLineEnds
        if all.count >= 2, (all[0] == 0xFF && all[1] == 0xFE) || (all[0] == 0xFE && all[1] == 0xFF) {
            throw RecordRejection(expected: "UTF-8 text (this file is UTF-16; save it as UTF-8)")
        }
        let bomLength = all.count >= 3 && all[0] == 0xEF && all[1] == 0xBB && all[2] == 0xBF ? 3 : 0
        let body = UnsafeBufferPointer(rebasing: all[bomLength...])
        let scan = scanUTF8(body)
        if let nul = scan.nulOffset {
            throw RecordRejection(
                line: lineOf(offset: nul, in: body),
                expected: "a text file (found a NUL byte at byte \(nul + bomLength + 1); binary data?)")
        }
        var warnings: [String] = []
        var text: [UInt8]
        if let bad = scan.invalidOffset {
            if scan.invalidIsTruncatedEnd || containsValidMultiByte(body) {
                let end = min(body.count, bad + 4)
                let shown = body[bad..<end].map { "0x" + hex($0) }.joined(separator: " ")
                throw RecordRejection(
                    line: lineOf(offset: bad, in: body),
                    expected: "valid UTF-8 (invalid byte sequence at byte \(bad + bomLength + 1))",
                    found: "<\(shown)>")
            }
            text = Windows1252.toUTF8(body)
            warnings.append(windows1252Warning)
        } else if bomLength == 0 && !(fold && scan.sawCR) {
            text = original
        } else {
            text = Array(body)
        }
        if fold && scan.sawCR { text = foldLineEnds(text) }
        guard text.contains(where: { !isSpace($0) }) else {
            throw RecordRejection(expected: "a non-empty file", found: text.isEmpty ? "an empty file" : "only whitespace")
        }
        return DecodedText(bytes: text, warnings: warnings)
    }

    struct Scan {
        var nulOffset: Int?
        var invalidOffset: Int?
        var invalidIsTruncatedEnd = false
        var sawCR = false
    }

    /// One pass: finds the first NUL, the first invalid UTF-8 sequence and whether CR occurs.
    static func scanUTF8(_ b: UnsafeBufferPointer<UInt8>) -> Scan {
        var scan = Scan()
        var i = 0
        let n = b.count
        let base = b.baseAddress
        while i < n {
            // Eight ASCII bytes at a time while there is no NUL, CR or high bit among them.
            if scan.invalidOffset == nil, let base {
                while i + 8 <= n {
                    let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                    let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
                    let cr = w ^ (ones &* 0x0D)
                    let zeroOrCR = ((w &- ones) & ~w) | ((cr &- ones) & ~cr)
                    if (w | zeroOrCR) & highs != 0 { break }
                    i += 8
                }
                if i >= n { break }
            }
            let c = b[i]
            if c < 0x80 {
                if c == 0 { scan.nulOffset = i; return scan }
                if c == 0x0D { scan.sawCR = true }
                i += 1
                continue
            }
            if scan.invalidOffset != nil { i += 1; continue }
            switch sequenceLength(b, at: i) {
            case .valid(let len): i += len
            case .truncated: scan.invalidOffset = i; scan.invalidIsTruncatedEnd = true; i += 1
            case .invalid: scan.invalidOffset = i; i += 1
            }
        }
        return scan
    }

    enum SequenceCheck { case valid(Int), truncated, invalid }

    /// Checks the multi-byte sequence starting at `i` (Unicode Table 3-7: no overlongs, no surrogates).
    static func sequenceLength(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> SequenceCheck {
        let c = b[i]
        let len: Int
        var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
        switch c {
        case 0xC2...0xDF: len = 2
        case 0xE0: len = 3; lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: len = 3
        case 0xED: len = 3; hi = 0x9F
        case 0xF0: len = 4; lo = 0x90
        case 0xF1...0xF3: len = 4
        case 0xF4: len = 4; hi = 0x8F
        default: return .invalid
        }
        for k in 1..<len {
            guard i + k < b.count else { return .truncated }
            let d = b[i + k]
            if k == 1 ? (d < lo || d > hi) : (d < 0x80 || d > 0xBF) { return .invalid }
        }
        return .valid(len)
    }

    /// True when any complete, valid multi-byte sequence occurs: then the file meant to be UTF-8.
    static func containsValidMultiByte(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < b.count {
            if b[i] >= 0xC2, case .valid = sequenceLength(b, at: i) { return true }
            i += 1
        }
        return false
    }

    static func foldLineEnds(_ text: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var i = 0
        while i < text.count {
            let c = text[i]
            if c == 0x0D {
                out.append(0x0A)
                if i + 1 < text.count && text[i + 1] == 0x0A { i += 1 }
            } else {
                out.append(c)
            }
            i += 1
        }
        return out
    }

    static func lineOf(offset: Int, in b: UnsafeBufferPointer<UInt8>) -> Int {
        var line = 1
        var i = 0
        while i < offset && i < b.count {
            if b[i] == 0x0A { line += 1 } else if b[i] == 0x0D, i + 1 >= b.count || b[i + 1] != 0x0A { line += 1 }
            i += 1
        }
        return line
    }

    @inline(__always) static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0B || c == 0x0C
    }

    static func hex(_ b: UInt8) -> String {
        let digits: [Character] = Array("0123456789ABCDEF")
        return String([digits[Int(b >> 4)], digits[Int(b & 0xF)]])
    }
}
