import DialogCore
import Foundation
import Testing

/// The socket's JSON shapes (docs/protocol.md): what clients may send, what they get back.
@Suite("Wire protocol types")
struct WireTests {
    @Test("args take strings, integers and booleans, and may be left out")
    func requestArguments() throws {
        let decoder = JSONDecoder()
        let full = try decoder.decode(ControlRequest.self, from: Data(#"{"command":"list","args":{"employee":"anna","limit":5,"all":true}}"#.utf8))
        #expect(full == ControlRequest(command: "list", args: ["employee": .string("anna"), "limit": .integer(5), "all": .bool(true)]))
        let bare = try decoder.decode(ControlRequest.self, from: Data(#"{"command":"status"}"#.utf8))
        #expect(bare == ControlRequest(command: "status"))
        #expect(throws: DecodingError.self) { try decoder.decode(ControlRequest.self, from: Data(#"{"command":"list","args":{"x":[1]}}"#.utf8)) }
        #expect(throws: DecodingError.self) { try decoder.decode(ControlRequest.self, from: Data(#"{"args":{}}"#.utf8)) }
    }

    @Test("a request's hand-written line is JSONEncoder's text: hostile strings, every argument kind, no args")
    func requestLine() throws {
        let hostile = "anna \"q\" \\ /slash/ \u{1}\u{1F}\n\r\t \u{7F} é 😀 \u{2028} \u{202E}"
        let requests = [
            ControlRequest(command: "status"),
            ControlRequest(command: "list", args: ["employee": .string(hostile), "limit": .integer(-5), "all": .bool(true),
                                                   "from": .integer(Int64.max), "by": .bool(false), "q": .string("")]),
            ControlRequest(command: hostile, args: [hostile: .string(hostile)]),
        ]
        for request in requests {
            let line = request.jsonLine
            #expect(try JSONDecoder().decode(ControlRequest.self, from: Data(line)) == request)
            #expect(line == Array(try WireCoding.encoder().encode(request)), "\(String(decoding: line, as: UTF8.self))")
        }
        // Backspace and form feed: JSONEncoder writes \b and \f, the line \u0008 and \u000c; both read back alike.
        let controls = ControlRequest(command: "show", args: ["key": .string("a\u{8}b\u{C}c")])
        #expect(try JSONDecoder().decode(ControlRequest.self, from: Data(controls.jsonLine)) == controls)
    }

    @Test("replies are snake_case with sorted keys, and round-trip")
    func replyShape() throws {
        let reply = ControlReply.success(RetryResult(name: "a.conv", queuedAs: "a.conv.1"))
        let text = String(decoding: try WireCoding.encoder().encode(reply), as: UTF8.self)
        #expect(text == #"{"ok":true,"result":{"name":"a.conv","queued_as":"a.conv.1"}}"#)
        let back = try WireCoding.decoder().decode(ControlReply<RetryResult>.self, from: Data(text.utf8))
        #expect(back.result == RetryResult(name: "a.conv", queuedAs: "a.conv.1"))
        let failure = ControlReply<NoResult>.failure(.notFound("no such file"))
        #expect(String(decoding: try WireCoding.encoder().encode(failure), as: UTF8.self)
                == #"{"error":{"code":"not_found","message":"no such file"},"ok":false}"#)
    }

    @Test("extras keep their names verbatim (pairs, not a map: their names are data, not wire keys)")
    func extrasVerbatim() throws {
        let summary = ConversationSummary(id: 1, key: "k", date: 0, utcOffset: 3600, employee: "e", channel: "email",
                                          department: nil, outcome: nil, durationS: 60, valueCents: nil, currency: nil, subject: nil)
        let detail = ConversationDetail(summary: summary, externalId: nil, customer: nil, satisfaction: nil, sentiment: nil,
                                        responseTimeS: nil, text: nil, tags: [], extras: [ExtraField(name: "Ticket-ID", value: "T 1")],
                                        sourceFile: "f", sourceLine: 1, ingestedAt: 0)
        let json = String(decoding: try WireCoding.encoder().encode(detail), as: UTF8.self)
        #expect(json.contains(#"{"name":"Ticket-ID","value":"T 1"}"#) && json.contains(#""duration_s":60"#) && json.contains(#""utc_offset":3600"#))
        #expect(try WireCoding.decoder().decode(ConversationDetail.self, from: Data(json.utf8)) == detail)
    }
}
