/// Finds where the elements of a `.json` array end in the raw bytes of a large `.json` read in
/// steps (docs/spool.md "streamed formats"): a `,` or `]` of the top array, outside strings, by
/// depth of `{}`/`[]`. It does not judge the JSON: each block it cuts is parsed strictly
/// (`JSONRecordParser.parseArrayPart`), and the blocks of a valid array concatenate to it.
struct JSONArrayBoundaries {
    /// Where the scan stands after some bytes.
    struct Scan {
        var depth = 0
        var inString = false
        var escaped = false

        /// Takes one byte; true when it is a `,` or the `]` of the top array.
        @inline(__always) mutating func advance(_ c: UInt8) -> Bool {
            if inString {
                if escaped { escaped = false } else if c == 0x5C { escaped = true } else if c == 0x22 { inString = false }
                return false
            }
            switch c {
            case 0x22: inString = true
            case 0x7B, 0x5B: depth += 1
            case 0x7D: depth -= 1
            case 0x5D:
                depth -= 1
                return depth == 0
            case 0x2C: return depth == 1
            default: break
            }
            return false
        }
    }

    /// The scan at the first byte of the buffer (just after the last cut).
    private var start = Scan()
    /// The scan where `lastEnd` stopped.
    private var scan = Scan()

    /// Scans `buffer` from `from` (the bytes before were scanned by an earlier call) and returns
    /// the offset just past the last `,` between two elements in it, or nil when there is none.
    /// The caller drops the bytes before that offset.
    mutating func lastEnd(in buffer: [UInt8], from: Int) -> Int? {
        var last: Int?
        var atLast = start
        for i in from..<buffer.count where scan.advance(buffer[i]) && buffer[i] == 0x2C {
            last = i + 1
            atLast = scan
        }
        if last != nil { start = atLast }
        return last
    }

    /// While an over-limit element is skipped: the offset of the `,` or `]` that ends it, if the
    /// buffer (which begins where `start` stands) holds it.
    func elementEnd(in buffer: [UInt8]) -> Int? {
        var s = start
        for i in buffer.indices where s.advance(buffer[i]) { return i }
        return nil
    }

    /// Bytes of a skipped element dropped from the buffer's front.
    mutating func skip(_ bytes: ArraySlice<UInt8>) {
        for c in bytes { _ = start.advance(c) }
        scan = start
    }
}
