/// Finds where records end in the raw bytes of a streamed file, so it can be cut into blocks
/// that each hold whole records: any LF for `.jsonl`; for `.csv` an LF outside quotes, by the
/// same quoting rules as `CSVParser.nextRow` (a quote opens a field only at its start).
struct RecordBoundaries {
    private enum State { case fieldStart, unquoted, quoted, quoteSeen, afterQuote }

    let csv: Bool
    let delimiter: UInt8
    /// `.csv`: the longest row allowed; a longer one is noted in `overLimitStart`.
    let maxRecordBytes: Int
    private var state = State.fieldStart
    /// Bytes scanned so far, and where the current row began (both from the first byte scanned).
    private var seen = 0
    private var recordStart = 0
    /// `.csv`: where the first row longer than `maxRecordBytes` began, counted like `seen`.
    private(set) var overLimitStart: Int?

    init(format: RecordFormat, delimiter: UInt8 = UInt8(ascii: ","), maxRecordBytes: Int = .max) {
        csv = format == .csv
        self.delimiter = delimiter
        self.maxRecordBytes = maxRecordBytes
    }

    /// Scans `b` (continuing from where the last call stopped) and returns the offset just past
    /// the last LF in it that ends a record, or nil when none does.
    mutating func lastEnd(in b: UnsafeBufferPointer<UInt8>) -> Int? {
        var last: Int?
        guard csv else {
            var i = b.count
            while i > 0 {
                i -= 1
                if b[i] == 0x0A { return i + 1 }
            }
            return nil
        }
        let quote = UInt8(ascii: "\"")
        defer { seen += b.count }
        for i in 0..<b.count {
            let c = b[i]
            if overLimitStart == nil, seen + i - recordStart > maxRecordBytes { overLimitStart = recordStart }
            switch state {
            case .quoted:
                if c == quote { state = .quoteSeen }
            case .quoteSeen where c == quote:
                state = .quoted
            default:
                if c == 0x0A {
                    state = .fieldStart
                    last = i + 1
                    recordStart = seen + i + 1
                } else if c == 0x0D || c == delimiter {
                    // A lone CR ends a row once line ends are folded; a block still ends at an LF only.
                    state = .fieldStart
                } else if state == .fieldStart {
                    state = c == quote ? .quoted : .unquoted
                } else if state == .quoteSeen {
                    state = .afterQuote
                }
            }
        }
        return last
    }
}
