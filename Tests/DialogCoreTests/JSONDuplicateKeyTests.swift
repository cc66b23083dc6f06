import DialogCore
import Testing

/// `JSONValue.firstDuplicateKey`: what the control socket refuses as a bad request (issue 13 item 6).
@Suite("JSON duplicate keys")
struct JSONDuplicateKeyTests {
    @Test("a key twice in one object, at any depth, is found; the same key in sibling objects is not", arguments: [
        (#"{"command":"a","command":"b"}"#, "command" as String?),
        (#"{"args":{"limit":1,"limit":2}}"#, "limit"),
        (#"{"a":[{"x":1},{"y":[{"z":1,"z":2}]}]}"#, "z"),
        (#"{"comm\u0061nd":1,"command":2}"#, "command"),
        ("{\"e\u{301}\":1,\"\u{e9}\":2}", "\u{e9}"),
        (#"{"a":{"x":1},"b":{"x":1}}"#, nil),
        (#"[{"x":1},{"x":2}]"#, nil),
        (#"{"command":"status","args":{}}"#, nil),
    ])
    func duplicates(json: String, duplicate: String?) throws {
        let value = try JSONParser.parse(Array(json.utf8))
        #expect(value.firstDuplicateKey == duplicate)
    }
}
