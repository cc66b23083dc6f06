/// How one streamed format finds whole records in the bytes `SteppedRead` holds and reads them:
/// lines of `.jsonl`, rows of `.csv` (`LineRecords`), messages of `.mbox` (`MboxMessages`).
protocol RecordCutter {
    /// The longest record; a longer one is `overLimit`.
    var maxRecordBytes: Int { get }
    /// Scans `buffer` from `from` on (the bytes before were scanned by an earlier call) and says
    /// where the last whole record in it ends (nil: none yet) and up to where it scanned.
    /// Throws when the bytes refuse the file (not an mbox, a `.csv` row over the limit).
    mutating func cut(_ buffer: [UInt8], from: Int) throws(RecordRejection) -> (end: Int?, scanned: Int)
    /// Reads whole records (at the end of the file: whatever is left) and hands them to `each`.
    mutating func records(_ raw: ArraySlice<UInt8>, each: (ParsedRecord) -> Void) throws(RecordRejection)
    /// A record still going on past `maxRecordBytes`, `start` its first bytes: rejected alone
    /// (its rest is skipped) or the file is refused (throws).
    mutating func overLimit(_ start: ArraySlice<UInt8>) throws(RecordRejection)
    /// While an over-limit record is skipped: where in `buffer` the next record begins.
    func resumption(in buffer: [UInt8]) -> SkipResumption
    /// Bytes of an over-limit record dropped unread (for line and offset counts); `last` when
    /// the next record follows them.
    mutating func skipped(_ bytes: ArraySlice<UInt8>, last: Bool)
    /// The refusal when an over-limit record goes on past `limit` bytes of skipping.
    func endless(skipped: Int, limit: Int) -> RecordRejection
    /// The file's totals once read; throws when the file as a whole is refused.
    mutating func finish(bytesRead: Int) throws(RecordRejection) -> ParsedFile
}

enum SkipResumption {
    /// The next record begins at this offset.
    case at(Int)
    /// Not in the buffer: all but its last `keeping` bytes (which may begin a separator) can go.
    case notYet(keeping: Int)
}

/// The one read loop of every streamed format (docs/spool.md "streamed formats"): each `step`
/// reads at most `stepBytes`, scans only what it read, hands out the records that completes and
/// drops them, so the buffer is at most one record (`maxRecordBytes`) plus one read and a step's
/// work is bounded whatever the file holds. A record over the limit is rejected and skipped to
/// the next record's start, but never further than 16 × `maxRecordBytes`: past that the file
/// is refused (a sparse file of NULs would otherwise be read to its end).
struct SteppedRead<Cutter: RecordCutter> {
    /// Bytes read per step by default (a whole-file read); a block is what of them ends on a record boundary.
    static var blockBytes: Int { 1 << 20 }
    /// How many bytes of an over-limit record's start go to `overLimit`.
    static var startBytes: Int { 2000 }

    private(set) var cutter: Cutter
    /// Bytes a step reads at most; a smaller size makes each `step` shorter (a loop that serves
    /// clients between steps), the whole read the same.
    var stepBytes = Self.blockBytes
    // The read in progress, kept between steps.
    private var buffer: [UInt8] = []
    private var chunk: [UInt8] = []
    private var scanned = 0
    private var skipping = false
    private var skipped = 0
    private var total = 0
    private var atEnd = false

    /// How far past the limit an over-limit record is skipped before the file is refused.
    var maxSkipBytes: Int { cutter.maxRecordBytes.multipliedReportingOverflow(by: 16).overflow ? .max : cutter.maxRecordBytes * 16 }

    init(cutter: Cutter) { self.cutter = cutter }

    /// Bytes held between steps: at most one record plus one read (tests hold it to that).
    var bufferedBytes: Int { buffer.count }

    /// `fill` reads up to `buffer.count` bytes into `buffer` and returns how many (0 at the end,
    /// negative on a read error). Hands each record to `each` as soon as it is built.
    /// `sizeHint` (the file's size, if known) keeps the read buffer of a small file small.
    mutating func run(sizeHint: Int, fill: (UnsafeMutableRawBufferPointer) -> Int, each: (ParsedRecord) -> Void) throws(RecordRejection) -> ParsedFile {
        while try !step(sizeHint: sizeHint, fill: fill, each: each) {}
        return try finish()
    }

    /// Reads once (at most `stepBytes`) and hands out the records that completes; true at the end.
    mutating func step(sizeHint: Int, fill: (UnsafeMutableRawBufferPointer) -> Int, each: (ParsedRecord) -> Void) throws(RecordRejection) -> Bool {
        guard !atEnd else { return true }
        if chunk.isEmpty {
            chunk = [UInt8](repeating: 0, count: sizeHint >= stepBytes ? stepBytes : max(4096, min(stepBytes, sizeHint + 1)))
        }
        let n = chunk.withUnsafeMutableBytes { fill($0) }
        guard n >= 0 else { throw RecordRejection(expected: "a file that can be read to its end") }
        buffer.append(contentsOf: chunk[..<n])
        total += n
        atEnd = n == 0
        if skipping {
            guard try skipOver(counting: true) else {
                if atEnd { buffer = [] }
                return atEnd
            }
        }
        let cut = try cutter.cut(buffer, from: scanned)
        scanned = cut.scanned
        if let end = atEnd ? (buffer.isEmpty ? nil : buffer.count) : cut.end {
            try cutter.records(buffer[..<end], each: each)
            buffer.removeSubrange(..<end)
            scanned = max(0, scanned - end)
        }
        if atEnd {
            buffer = []
        } else if buffer.count > cutter.maxRecordBytes {
            try cutter.overLimit(buffer.prefix(Self.startBytes))
            skipping = true
            _ = try skipOver(counting: false)
            skipped = 0
        }
        return atEnd
    }

    /// The file's totals once `step` returned true; throws when the file as a whole is refused.
    mutating func finish() throws(RecordRejection) -> ParsedFile {
        try cutter.finish(bytesRead: total)
    }

    /// Drops the skipped record's bytes up to the next record's start; true when it was found.
    /// `counting`: the bytes count towards `maxSkipBytes` (not those of the step that found the record too long).
    private mutating func skipOver(counting: Bool) throws(RecordRejection) -> Bool {
        switch cutter.resumption(in: buffer) {
        case .at(let start):
            cutter.skipped(buffer[..<start], last: true)
            buffer.removeSubrange(..<start)
            skipping = false
            scanned = 0
            return true
        case .notYet(let keeping):
            let drop = max(0, buffer.count - keeping)
            cutter.skipped(buffer[..<drop], last: false)
            buffer.removeSubrange(..<drop)
            scanned = 0
            if counting { skipped += drop }
            if skipped > maxSkipBytes { throw cutter.endless(skipped: skipped, limit: maxSkipBytes) }
            return false
        }
    }
}
