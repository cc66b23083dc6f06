import Foundation
import Testing
@testable import DialogCore

/// The public JSONTestSuite (nst/JSONTestSuite, test_parsing/) against both JSON readers: every
/// `n_` text is refused with a reason, every `y_` text is accepted where a record can hold it,
/// and no `i_` text traps. Tests/Fixtures/json-test-suite.tsv holds the cases (see its header).
@Suite("JSONTestSuite")
struct JSONTestSuiteTests {
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var bytes: [UInt8]
        var description: String { name }
    }

    static let cases: [Case] = {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/json-test-suite.tsv").path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        var out: [Case] = text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#") else { return nil }
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard parts.count == 2, let data = Data(base64Encoded: String(parts[1])) else { return nil }
            return Case(name: String(parts[0]), bytes: Array(data))
        }
        // The three cases over 300 bytes, rebuilt.
        out.append(Case(name: "n_structure_100000_opening_arrays.json", bytes: Array(repeating: UInt8(ascii: "["), count: 100_000)))
        out.append(Case(name: "n_structure_open_array_object.json",
                        bytes: Array("[".utf8) + Array(String(repeating: #"{"":["#, count: 50_000).utf8) + [0x0A]))
        out.append(Case(name: "i_structure_500_nested_arrays.json",
                        bytes: Array(String(repeating: "[", count: 500).utf8) + Array(String(repeating: "]", count: 500).utf8)))
        return out
    }()

    static func named(_ prefix: String) -> [Case] { cases.filter { $0.name.hasPrefix(prefix) } }

    /// A valid record whose extra member `payload` holds `value` as written.
    static func record(holding value: [UInt8]) -> [UInt8] {
        Array(#"{"date": "2026-11-28T14:05:00+01:00", "employee": "anna", "payload": "#.utf8) + value + Array("}".utf8)
    }

    @Test("the suite is there (the tests below are not vacuous)")
    func present() {
        #expect(Self.named("n_").count == 188)
        #expect(Self.named("y_").count == 95)
        #expect(Self.named("i_").count == 35)
    }

    @Test("n_: the JSON parser refuses the text", arguments: named("n_"))
    func refusedByParser(_ c: Case) {
        #expect(throws: JSONError.self) { try JSONParser.parse(c.bytes, maxDepth: 512) }
    }

    @Test("n_: as a .json file, inside an array and as a member value, the file is refused with a reason", arguments: named("n_"))
    func refusedAsRecordFile(_ c: Case) {
        for (shape, data) in [("alone", c.bytes), ("in an array", Array("[".utf8) + c.bytes),
                              ("as a value", Self.record(holding: c.bytes))] {
            let r = rejection(data, "suite.json")
            #expect(r != nil && !(r?.description.isEmpty ?? true), "\(shape)")
        }
    }

    @Test("n_: as one .jsonl line it is rejected alone, the good line beside it is kept", arguments: named("n_"))
    func refusedAsLine(_ c: Case) throws {
        if c.bytes.contains(0) {  // no text file: the whole file is refused, with the byte's place
            #expect(rejection(c.bytes, "suite.jsonl")?.expected.hasPrefix("a text file (found a NUL byte") == true)
            return
        }
        let good = Self.record(holding: Array(#""ok""#.utf8))
        let line = c.bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        // A case with line breaks becomes several lines; each is its own (bad or blank) record.
        let file = try RecordReader(settings: testSettings()).read(good + [0x0A] + c.bytes + [0x0A] + good, fileName: "suite.jsonl")
        #expect(file.records.count == 2)
        #expect(file.rejects.count >= (line.contains { !$0.allSatisfy(TextDecoding.isSpace) } ? 1 : 0))
        for reject in file.rejects { #expect(!reject.rejection.description.isEmpty) }
    }

    @Test("y_: the JSON parser accepts the text", arguments: named("y_"))
    func acceptedByParser(_ c: Case) throws {
        _ = try JSONParser.parse(c.bytes)
    }

    @Test("y_: as a member value of a record, in .json and .jsonl, the record is stored", arguments: named("y_"))
    func acceptedInRecord(_ c: Case) throws {
        let json = try RecordReader(settings: testSettings()).read(Self.record(holding: c.bytes), fileName: "suite.json")
        #expect(json.records.count == 1)
        #expect(json.records.first?.record.extras["payload"] != nil || c.name == "y_structure_lonely_null.json")  // null = absent
        let text = Self.record(holding: c.bytes.map { $0 == 0x0A || $0 == 0x0D ? 0x20 : $0 })
        let lines = try RecordReader(settings: testSettings()).read(text, fileName: "suite.jsonl")
        #expect(lines.records.count == 1 && lines.rejects.isEmpty)
    }

    @Test("i_: either answer, never a trap", arguments: named("i_"))
    func implementationDefined(_ c: Case) {
        _ = try? JSONParser.parse(c.bytes)
        _ = rejection(c.bytes, "suite.json")
        _ = rejection(Self.record(holding: c.bytes), "suite.json")
        _ = rejection(Self.record(holding: c.bytes), "suite.jsonl")
    }
}

/// Issue 12 item 3: input that ends inside an array (right after `[`, a `,` or whitespace) was
/// read one byte past its end.
@Suite("JSON input ending inside an array")
struct JSONTruncatedArrayTests {
    static let good = #"{"date": "2026-11-28T14:05:00+01:00", "employee": "anna"}"#

    @Test(arguments: ["[", "[ ", "[\n", "[1,", "[1, ", "[\(good),", "[\(good),\n\n", "[\(good)", "[\(good)\n", "[\n\(good)\n,\n  "])
    func refusedWithReason(text: String) throws {
        let r = try #require(rejection(text, "cut.json"))
        #expect(r.description.contains("expected"))
        if !text.contains("anna") { #expect(rejection(text, "cut.jsonl") != nil) }
        #expect(throws: JSONError.self) { try JSONParser.parse(bytes(text)) }
    }

    @Test func messageSaysWhatWasMissing() {
        #expect(rejection("[\n\(Self.good),\n", "cut.json")?.description == "line 3: expected a record object {…} or ']' (JSON, column 1), found <end of input>")
    }
}
