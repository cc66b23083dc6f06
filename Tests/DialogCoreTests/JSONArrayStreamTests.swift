@testable import DialogCore
import Testing

/// A large `.json` array is read element by element like a `.jsonl` (issue 12: a 4 MiB array
/// was parsed and stored on the loop in one go). Cut at any byte, the result must be what the
/// whole-file parser gives — records, lines, raw text, rejects — and every broken array is
/// still refused with a reason.
@Suite("JSON array read in steps")
struct JSONArrayStreamTests {
    /// The file read by the stepped reader with reads of `stepBytes` (1: a cut at every byte).
    static func stepped(_ data: [UInt8], stepBytes: Int, settings: ParseSettings = testSettings()) -> Result<ParsedFile, RecordRejection> {
        var stream = StreamedRead(format: .json, settings: settings)
        stream.stepBytes = stepBytes
        var records: [ParsedRecord] = []
        var position = 0
        return Result { () throws(RecordRejection) -> ParsedFile in
            var file = try stream.run(sizeHint: data.count, fill: { buffer in
                let n = min(buffer.count, data.count - position)
                for k in 0..<n { buffer[k] = data[position + k] }
                position += n
                return n
            }, each: { records.append($0) })
            file = try RecordReader(settings: settings).checked(file, notes: RecordNotes())
            file.records = records
            return file
        }
    }

    static let steps = [1, 2, 3, 7, 64, 4096, StreamedRead.blockBytes]

    /// Elements whose strings hold `]`, `,`, `[`, `{`, escaped quotes and backslashes; nested
    /// arrays and objects; blank lines; a record that fails its fields; a non-object element.
    static let tricky = """
    \u{FEFF}  [
      {"id": "a", "date": "2026-11-28T14:05:00+01:00", "employee": "anna", "text": "ends ] here, and [ { \\"quoted,]\\" }"},
    {"id": "b", "date": "2026-11-28T14:06:00+01:00", "employee": "bob", "meta": [["x", "]"], {"k": [1, 2, {"n": "],"}]}], "text": "back\\\\"},

      {"id": "c", "employee": "no date"} ,[1, [2, "]"]],"just a string, ]",
      {"id": "d", "date": "2026-11-28T14:07:00+01:00", "employee": "dora", "text": "ü \\u005D \\" ] ,"}
    ]\t\n
    """

    @Test("cut at any byte, an array with ] , and escaped quotes inside strings reads as the whole file does", arguments: steps)
    func sameAsWholeFile(stepBytes: Int) throws {
        let data = bytes(Self.tricky)
        let whole = try RecordReader(settings: testSettings()).read(data, fileName: "a.json")
        let streamed = try Self.stepped(data, stepBytes: stepBytes).get()
        #expect(whole.records.count == 3 && whole.rejects.count == 3, "\(whole.records.map(\.record.id)) \(whole.rejects.map(\.rejection))")
        #expect(streamed.records.map(\.record) == whole.records.map(\.record))
        #expect(streamed.records.map(\.line) == whole.records.map(\.line))
        #expect(streamed.records.map(\.raw) == whole.records.map(\.raw))
        #expect(streamed.rejects.map(\.rejection) == whole.rejects.map(\.rejection))
        #expect(streamed.rejects.map(\.raw) == whole.rejects.map(\.raw))
    }

    @Test("an empty array holds no record; the file is refused as the whole-file read refuses it", arguments: [1, 4096])
    func emptyArray(stepBytes: Int) {
        for text in ["[]", " [ \n ] \n"] {
            #expect(rejection(text, "e.json") != nil)
            if case .success = Self.stepped(bytes(text), stepBytes: stepBytes) { Issue.record("\(text) was accepted") }
        }
    }

    static let good = #"{"date": "2026-11-28T14:05:00+01:00", "employee": "anna"}"#

    /// Truncated, unclosed, trailing garbage, missing or extra separators, broken elements.
    static let broken = [
        "[", "[ ", "[\n", "[1,", "[1, ", "[\(good),", "[\(good),\n\n", "[\(good)", "[\(good)\n", "[\n\(good)\n,\n  ",
        "[\(good)]x", "[\(good)] ]", "[\(good)],", "[\(good)] [\(good)]", "[\(good),]", "[,\(good)]", "[\(good) \(good)]",
        "[\(good),,\(good)]", "[\(good)}", "[{\"date\": ]", "[\(good), {\"a\": \"unclosed]", "[\(good), {\"a\": [1, 2}]",
        "[\(good), \"\\x\"]", "[\(good)]\u{0}", "[[[[", "[\(good), tru]", "x[\(good)]",
    ]

    @Test("a broken array is refused with a reason at every cut, as the whole-file read refuses it", arguments: broken)
    func brokenRefused(text: String) {
        #expect(rejection(text, "b.json") != nil)
        for step in [1, 2, 5, 4096] {
            switch Self.stepped(bytes(text), stepBytes: step) {
            case .success: Issue.record("step \(step): accepted")
            case .failure(let r): #expect(r.description.contains("expected"), "step \(step): \(r)")
            }
        }
    }

    @Test("a truncated array names what was missing at the end of the input")
    func truncatedReason() {
        guard case .failure(let r) = Self.stepped(bytes("[\n\(Self.good),\n"), stepBytes: 4096) else { Issue.record("accepted"); return }
        #expect(r.description == "line 3: expected a record object {…} or ']' (JSON), found <end of input>")
    }

    @Test("JSONTestSuite n_ texts inside an array beside a good record are refused at every cut", arguments: JSONTestSuiteTests.named("n_"))
    func suiteRefused(_ c: JSONTestSuiteTests.Case) {
        for data in [Array("[".utf8) + c.bytes, Array("[\(Self.good),".utf8) + c.bytes + Array("]".utf8)] {
            for step in [3, 4096] {
                if case .success = Self.stepped(data, stepBytes: step) { Issue.record("step \(step): accepted") }
            }
        }
    }

    @Test("JSONTestSuite y_ texts as a member value inside an array are stored at every cut", arguments: JSONTestSuiteTests.named("y_"))
    func suiteAccepted(_ c: JSONTestSuiteTests.Case) throws {
        let data = Array("[\(Self.good),\n".utf8) + JSONTestSuiteTests.record(holding: c.bytes) + Array("]".utf8)
        let whole = try RecordReader(settings: testSettings()).read(data, fileName: "y.json")
        for step in [3, 4096] {
            let streamed = try Self.stepped(data, stepBytes: step).get()
            #expect(streamed.records.map(\.record) == whole.records.map(\.record) && streamed.records.count == 2)
        }
    }

    @Test("an element over max_record_bytes is rejected alone, as a long .jsonl line; its neighbours are kept", arguments: [1, 7, 4096, StreamedRead.blockBytes])
    func overLimitElement(stepBytes: Int) throws {
        let settings = testSettings { $0.maxRecordBytes = 1024 }
        let long = #"{"date": "2026-11-28T14:05:00+01:00", "employee": "long", "text": ""# + String(repeating: "], \\\" ", count: 400) + "\"}"
        let text = "[\(Self.good),\n  \(long),\n\(Self.good.replacingOccurrences(of: "anna", with: "bea"))\n]"
        let file = try Self.stepped(bytes(text), stepBytes: stepBytes, settings: settings).get()
        #expect(file.records.map(\.record.employee) == ["anna", "bea"])
        #expect(file.records.map(\.line) == [1, 3])
        #expect(file.rejects.count == 1)
        #expect(file.rejects.first?.rejection.description == "line 2: expected a record of at most 1024 bytes (spool.max_record_bytes), found <a longer element>")
        #expect(file.rejects.first?.raw.hasPrefix(#"{"date""#) == true)
    }

    @Test("an element still going on 16 × max_record_bytes later refuses the file")
    func endlessElement() {
        let settings = testSettings { $0.maxRecordBytes = 1024 }
        let text = "[\(Self.good), [" + String(repeating: "[1], ", count: 20_000)
        guard case .failure(let r) = Self.stepped(bytes(text), stepBytes: 4096, settings: settings) else { Issue.record("accepted"); return }
        #expect(r.expected.hasPrefix("the end of an array element within 16384 bytes"), "\(r)")
    }

    @Test("a .json is streamed when its text begins with [ (after a BOM and blanks), not when it is an object")
    func arrayDecision() {
        #expect(RecordFormat.isJSONArray(bytes("[")))
        #expect(RecordFormat.isJSONArray([0xEF, 0xBB, 0xBF] + bytes(" \r\n\t[{")))
        #expect(!RecordFormat.isJSONArray(bytes(" {\"a\": [1]}")))
        #expect(!RecordFormat.isJSONArray(bytes("   ")))
        #expect(!RecordFormat.isJSONArray([]))
    }
}
