import DialogCore
import Foundation
import Testing

/// `JSONValue` read through `Decodable` (how dialogctl takes export rows and `--json` results
/// out of `ControlReply<JSONValue>`) must give what `JSONParser` gives for the same text: the
/// key order `WireCoding` wrote and each number as the literal it wrote.
@Suite("JSONValue from a decoder")
struct JSONValueDecodingTests {
    struct Sample: Encodable {
        // Not 1e16 and up: a whole Double that large reads back as its digits (see JSONValue+Decodable).
        var doubles: [Double] = [0.1, 1e-05, 1.0, 0.30000000000000004, -2.5, 1.5e300, 0.958, 123456.789]
        var integers: [Int64] = [0, -1, Int64.max, Int64.min, 1796026253]
        var flags: [Bool?] = [true, false, nil]
        var text = "Zu teuer, \"vielleicht\" / nächstes Jahr \u{1F600}\t\\"
        var keys: [String: Int] = ["B": 1, "_x": 2, "a": 3, "a10": 4, "a9": 5, "aB": 6, "a_b": 7, "ä": 8, "a-b": 9, "": 10]
        var nested: [[String: [Double]]] = [["shares": [0.25, 0.75]], [:]]
        var empty: [String] = []
    }

    @Test("what WireCoding wrote comes back as JSONParser reads it: key order and number literals")
    func matchesParser() throws {
        let encoded = try WireCoding.encoder().encode(ControlReply.success(Sample()))
        let reply = try WireCoding.decoder().decode(ControlReply<JSONValue>.self, from: encoded)
        let decoded = try #require(reply.result)
        guard case .object(let members)? = try JSONParser.parse(Array(encoded)).objectMember("result") else {
            Issue.record("no result object in \(String(decoding: encoded, as: UTF8.self))")
            return
        }
        let parsed = JSONValue.object(members)
        #expect(decoded.serialized == parsed.serialized)
        #expect(decoded.serialized.contains(#""doubles":[0.1,1e-05,1,0.30000000000000004,-2.5,1.5e+300,0.958,123456.789]"#))
        #expect(decoded.serialized.contains(#""flags":[true,false,null]"#))
    }
}

private extension JSONValue {
    func objectMember(_ key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }
}
