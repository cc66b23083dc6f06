@testable import DialogCore
import Foundation
import Testing

/// The pure half of the control socket (what Tests/Fuzz/FuzzRequest fuzzes): every line gets
/// nil or an error reply with a code, and the committed request corpus is replayed here.
@Suite("Request parser")
struct RequestParserTests {
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz/Corpus/request").path

    @Test("valid requests pass, each kind of bad one gets its own error code")
    func codes() {
        #expect(RequestParser.validate(Array(#"{"command":"status"}"#.utf8)) == nil)
        #expect(RequestParser.validate(Array(#"{"command":"roi","args":{"window":"7d","by":"channel"}}"#.utf8)) == nil)
        #expect(RequestParser.validate(Array("not json".utf8))?.code == "bad_request")
        #expect(RequestParser.validate(Array(#"{"command":"nope"}"#.utf8))?.code == "unknown_command")
        #expect(RequestParser.validate(Array(#"{"command":"status","args":{"x":1}}"#.utf8))?.code == "bad_argument")
        #expect(RequestParser.validate(Array(#"{"command":"list","args":{"limit":0}}"#.utf8))?.code == "bad_argument")
        #expect(RequestParser.validate(Array(#"{"command":"roi","args":{"since":"2026-11-02","until":"2026-11-01"}}"#.utf8))?.code == "bad_argument")
        #expect(RequestParser.validate([]) != nil)
        #expect(RequestParser.validate(Array(#"{"command":"status","command":"reload"}"#.utf8))?.code == "bad_request")
        #expect(RequestParser.validate(Array(#"{"command":"list","args":{"limit":1,"limit":5}}"#.utf8))?.code == "bad_request")
    }

    @Test("the fuzz corpus replays without a trap, every error with code and message")
    func corpusReplay() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus).sorted()
        #expect(names.count >= 5)
        for name in names {
            let line = try #require(FileManager.default.contents(atPath: Self.corpus + "/" + name))
            if let error = RequestParser.validate(Array(line)) {
                #expect(!error.code.isEmpty && !error.message.isEmpty, "\(name)")
            }
        }
    }
}
