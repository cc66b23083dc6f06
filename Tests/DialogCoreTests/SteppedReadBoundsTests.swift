@testable import DialogCore
import Testing

/// The one stepping loop of `.jsonl`, `.csv` and `.mbox` (`SteppedRead`, issue 12 findings 6 and
/// 7): between steps it holds at most one record plus one read, and a record that never ends is
/// skipped no further than 16 × `maxRecordBytes`, whatever the format. Files here are made of
/// repeated pieces handed out by `fill`, so a test of many megabytes holds none of them.
@Suite("Stepped read bounds")
struct SteppedReadBoundsTests {
    static let maxRecord = 64 * 1024
    static let step = 4096

    /// A file of `pieces`, each written `count` times, read `step` bytes at a time.
    struct PieceFile {
        var pieces: [(bytes: [UInt8], count: Int)]
        private var piece = 0
        private var repeated = 0
        private var offset = 0
        private(set) var bytesRead = 0

        init(_ pieces: [(String, Int)]) { self.pieces = pieces.map { (Array($0.0.utf8), $0.1) } }
        init(bytes pieces: [([UInt8], Int)]) { self.pieces = pieces.map { ($0.0, $0.1) } }

        mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) -> Int {
            var n = 0
            while n < buffer.count, piece < pieces.count {
                let bytes = pieces[piece].bytes
                guard repeated < pieces[piece].count, !bytes.isEmpty else { piece += 1; repeated = 0; offset = 0; continue }
                let take = min(buffer.count - n, bytes.count - offset)
                bytes.withUnsafeBytes { buffer.baseAddress!.advanced(by: n).copyMemory(from: $0.baseAddress!.advanced(by: offset), byteCount: take) }
                n += take
                offset += take
                if offset == bytes.count { offset = 0; repeated += 1 }
            }
            bytesRead += n
            return n
        }
    }

    /// Reads `file` as `format` in steps; the records, the refusal (if any), the most bytes the
    /// reader held between steps and how many bytes it read.
    static func read(_ file: PieceFile, _ format: RecordFormat) -> (ids: [String], rejects: Int, refusal: RecordRejection?, peak: Int, bytesRead: Int) {
        var file = file
        let settings = mailSettings()
        var limited = settings
        limited.maxRecordBytes = maxRecord
        var records = RecordReader(settings: limited).streamedRecords(format, stepBytes: step)
        var ids: [String] = []
        var peak = 0
        do {
            while try !records.step(fill: { file.fill($0) }, each: { ids.append($0.record.id ?? "") }) {
                peak = max(peak, records.bufferedBytes)
            }
            let parsed = try records.finish()
            return (ids, parsed.rejects.count, nil, peak, file.bytesRead)
        } catch {
            return (ids, 0, error, peak, file.bytesRead)
        }
    }

    static func message(_ id: String) -> String {
        "From anna Fri Nov 27 10:00:00 2026\nFrom: anna.schmidt@example.com\nTo: kunde@example.org\n"
            + "Date: Fri, 27 Nov 2026 10:00:00 +0100\nMessage-ID: <\(id)>\nSubject: \(id)\n\nHallo\n"
    }

    static let blankLines = String(repeating: " ", count: 1023) + "\n"

    @Test("8 MiB of blank lines before an .mbox's first message are dropped as read: the message is stored, the buffer stays one read")
    func blankLinesBeforeTheFirstMessage() {
        let result = Self.read(PieceFile([(Self.blankLines, 8 * 1024), (Self.message("after-blanks"), 1)]), .mbox)
        #expect(result.refusal == nil, "\(String(describing: result.refusal))")
        #expect(result.ids == ["after-blanks"])
        #expect(result.peak <= Self.step + Self.blankLines.utf8.count, "held \(result.peak) bytes of blank lines")
    }

    @Test("an .mbox message that never ends is skipped no further than 16 × max_record_bytes, then the file is refused")
    func messageThatNeverEnds() {
        let nul = [UInt8](repeating: 0, count: 1 << 20)
        let result = Self.read(PieceFile(bytes: [(Array(Self.message("first").utf8), 1), (Array(Self.message("sparse").utf8), 1), (nul, 64)]), .mbox)
        #expect(result.ids == ["first"])
        #expect(result.refusal?.expected.contains("a `From ` line within \(16 * Self.maxRecord) bytes") == true, "\(String(describing: result.refusal))")
        #expect(result.refusal?.line == 9, "the refusal names the line of the message that never ends")
        #expect(result.bytesRead <= 17 * Self.maxRecord + 2 * Self.step, "read \(result.bytesRead) bytes of a 64 MiB file")
        #expect(result.peak <= Self.maxRecord + Self.step)
    }

    @Test("an .mbox message over the limit but ending within the skip bound is rejected alone, the next one stored")
    func longMessageThenAGoodOne() {
        let body = String(repeating: "0123456789abcdef\n", count: 1024)  // 17 KiB a piece
        let result = Self.read(PieceFile([(Self.message("a"), 1), (Self.message("long"), 1), (body, 20), (Self.message("b"), 1)]), .mbox)
        #expect(result.refusal == nil, "\(String(describing: result.refusal))")
        #expect(result.ids == ["a", "b"])
        #expect(result.rejects == 1)
        #expect(result.peak <= Self.maxRecord + Self.step)
    }

    @Test("the same loop bounds .jsonl and .csv: blank lines, a line that never ends")
    func linesAndRows() {
        let good = "{\"id\": \"j\", \"date\": \"2026-11-28 10:00\", \"employee\": \"e\", \"text\": \"ok\"}\n"
        let blanks = Self.read(PieceFile([(Self.blankLines, 4 * 1024), (good, 1)]), .jsonl)
        #expect(blanks.ids == ["j"] && blanks.peak <= Self.step + Self.blankLines.utf8.count)
        let endless = Self.read(PieceFile([(good, 1), (String(repeating: "x", count: 4096), 16 * 1024)]), .jsonl)
        #expect(endless.refusal?.expected.contains("a line feed within \(16 * Self.maxRecord) bytes") == true, "\(String(describing: endless.refusal))")
        #expect(endless.bytesRead <= 17 * Self.maxRecord + 2 * Self.step)
        let csv = Self.read(PieceFile([("id,date,employee,text\n", 1), ("c,28.11.2026 10:00,e,\"", 1), (String(repeating: "x", count: 4096), 1024)]), .csv)
        #expect(csv.refusal?.expected.contains("spool.max_record_bytes") == true, "\(String(describing: csv.refusal))")
        #expect(csv.bytesRead <= Self.maxRecord + 2 * Self.step)
    }
}
