@testable import DialogCore
import Testing

/// `.jsonl` and `.csv` are read in blocks of whole records (issue 12): across block boundaries
/// the result must be exactly what one pass over the whole text gives — records, line numbers,
/// rejects — while memory stays one block plus one record.
@Suite("Streamed read")
struct StreamedReadTests {
    /// The whole-file parse of the same text, for comparison.
    static func wholeFile(_ text: String, _ format: RecordFormat, settings: ParseSettings = testSettings()) throws -> ParsedFile {
        var records: [ParsedRecord] = []
        let decoded = try TextDecoding.decode(bytes(text))
        let result: Result<ParsedFile, RecordRejection> = decoded.bytes.withUnsafeBufferPointer { b in
            Result { () throws(RecordRejection) -> ParsedFile in
                format == .csv
                    ? try CSVRecordParser.parse(b, settings: settings) { records.append($0) }
                    : try JSONRecordParser.parseJSONLines(b, settings: settings) { records.append($0) }
            }
        }
        var file = try result.get()
        file.records = records
        return file
    }

    @Test("a 3 MB .csv with quoted line breaks and bad rows across blocks reads as one pass does")
    func csvAcrossBlocks() throws {
        var text = "sep=;\ndate;employee;text\n"
        var i = 0
        while text.utf8.count < 3 * StreamedRead.blockBytes {
            switch i % 97 {
            case 13: text += "28.11.2026 10:00;bad\n"                            // too few fields
            case 41: text += "28.11.2026 10:00;a;\"two\nlines; \"\"quoted\"\"\"\n" // quoted LF and quotes
            case 77: text += "not a date;a;x\n"
            default: text += "28.11.2026 10:00;e\(i % 7);row \(i) with some padding to fill blocks quickly\n"
            }
            i += 1
        }
        let streamed = try read(text, "big.csv")
        let whole = try Self.wholeFile(text, .csv)
        #expect(streamed.records.count == whole.records.count && streamed.records.count > 20_000)
        #expect(streamed.records.map(\.line) == whole.records.map(\.line))
        #expect(streamed.records.map(\.record) == whole.records.map(\.record))
        #expect(streamed.rejects.count == whole.rejects.count)
        #expect(streamed.rejects.map(\.rejection) == whole.rejects.map(\.rejection))
    }

    @Test("a 3 MB .jsonl with bad lines across blocks reads as one pass does; rejects are counted, 1,000 kept")
    func jsonlAcrossBlocks() throws {
        var text = ""
        var i = 0
        while text.utf8.count < 3 * StreamedRead.blockBytes {
            text += i % 5 == 0 ? "{}\n" : "{\"date\": \"2026-11-28 10:00\", \"employee\": \"e\", \"text\": \"line \(i) ü\"}\n"
            i += 1
        }
        let streamed = try read(text, "big.jsonl")
        let whole = try Self.wholeFile(text, .jsonl)
        #expect(streamed.records.map(\.line) == whole.records.map(\.line))
        #expect(streamed.records.map(\.record) == whole.records.map(\.record))
        #expect(streamed.rejects.count == whole.rejects.count && streamed.rejects.count > 1000)
        #expect(streamed.rejects.kept.count == RejectList.keptLimit && streamed.rejects.omitted == streamed.rejects.count - 1000)
        #expect(streamed.rejects.map(\.rejection) == whole.rejects.map(\.rejection))
    }

    @Test("Windows-1252 in one block and UTF-8 in another refuse the file as a whole-file read would")
    func encodingAcrossBlocks() {
        let line = "{\"date\": \"2026-11-28 10:00\", \"employee\": \"e\", \"text\": \"plain\"}\n"
        let filler = String(repeating: line, count: StreamedRead.blockBytes / line.utf8.count + 10)
        let latin1 = bytes(filler) + bytes("{\"date\": \"2026-11-28 10:00\", \"employee\": \"M") + [0xFC] + bytes("ller\"}\n")
        // Only Windows-1252: read with a warning.
        let onlyLatin1 = try? RecordReader(settings: testSettings()).read(latin1, fileName: "a.jsonl")
        #expect(onlyLatin1?.warnings == [TextDecoding.windows1252Warning])
        // Then a later block with real UTF-8: the first invalid byte refuses the file.
        let mixed = latin1 + bytes(filler) + bytes("{\"date\": \"2026-11-28 10:00\", \"employee\": \"Jürgen\"}\n")
        let problem = rejection(mixed, "b.jsonl")
        var whole: RecordRejection?
        do { _ = try TextDecoding.decode(mixed) } catch { whole = error }
        #expect(problem != nil && problem == whole, "\(String(describing: problem)) vs \(String(describing: whole))")
        #expect(problem?.expected.hasPrefix("valid UTF-8 (invalid byte sequence at byte \(filler.utf8.count + 44))") == true)
    }

    @Test("a record over maxRecordBytes: a .jsonl line is rejected on its own, a .csv row refuses the file")
    func recordLimit() throws {
        let settings = testSettings { $0.maxRecordBytes = 2048 }
        let long = String(repeating: "x", count: 5000)
        let good = "{\"date\": \"2026-11-28 10:00\", \"employee\": \"e\", \"text\": \"ok\"}"
        let file = try read("\(good)\n{\"text\": \"\(long)\"}\n\(good)\n", "a.jsonl", settings: settings)
        #expect(file.records.map(\.line) == [1, 3])
        #expect(file.rejects.map { $0.rejection.line } == [2])
        #expect(file.rejects.first?.rejection.expected.contains("spool.max_record_bytes") == true)
        let csv = rejection("date,employee,text\n28.11.2026 10:00,e,ok\n28.11.2026 10:00,e,\"\(long)\"\n", "a.csv", settings: settings)
        #expect(csv?.line == 3 && csv?.expected.contains("spool.max_record_bytes") == true, "\(String(describing: csv))")
    }

    /// Outside attack 4, finding 6: the file's only line, too long to read, refuses the file
    /// for that line (as any file of rejects only) — not as "only whitespace".
    @Test("a .jsonl whose only line is over maxRecordBytes is refused for that line, not as only whitespace")
    func onlyLineTooLong() {
        for length in [3000, 3 * StreamedRead.blockBytes / 2] {
            let settings = testSettings { $0.maxRecordBytes = 2048 }
            let refused = rejection("{\"text\": \"\(String(repeating: "x", count: length))\"}\n", "a.jsonl", settings: settings)
            #expect(refused?.line == 1, "length \(length): \(String(describing: refused))")
            #expect(refused?.expected.contains("spool.max_record_bytes") == true, "length \(length): \(String(describing: refused))")
        }
    }

    @Test("a .jsonl line that goes on far past maxRecordBytes refuses the file instead of being skipped to its end")
    func endlessLine() throws {
        let settings = testSettings { $0.maxRecordBytes = 2048 }
        let good = "{\"date\": \"2026-11-28 10:00\", \"employee\": \"e\", \"text\": \"ok\"}"
        // Skipped up to 16 × maxRecordBytes: a line just longer than the limit is still rejected alone.
        let short = try read("\(good)\n\(String(repeating: "x", count: 3 * StreamedRead.blockBytes / 2))\n\(good)\n", "a.jsonl",
                             settings: testSettings { $0.maxRecordBytes = StreamedRead.blockBytes })
        #expect(short.records.map(\.line) == [1, 3])
        let endless = rejection("\(good)\n\(String(repeating: "\u{0}", count: 3 * StreamedRead.blockBytes))\n\(good)\n", "a.jsonl",
                                settings: settings)
        #expect(endless?.expected.contains("a line feed within 32768 bytes") == true, "\(String(describing: endless))")
    }

    @Test("a reason line stays one line and splits back at the first ': ' whatever the name holds")
    func reasonLine() {
        let line = ReasonLine.format(name: "a\nb: c\u{1B}[1m\\.conv", reason: "line 1: expected x\nfound y")
        #expect(line == #"a\nb\u{3A} c\u{1B}[1m\\.conv: line 1: expected x\nfound y"# + "\n")
        let parsed = ReasonLine.parse(line)
        #expect(parsed?.name == #"a\nb\u{3A} c\u{1B}[1m\\.conv"#)
        #expect(parsed?.reason == #"line 1: expected x\nfound y"#)
        #expect(ReasonLine.escape("report 10:30.conv", inName: true) == "report 10:30.conv")
    }
}
