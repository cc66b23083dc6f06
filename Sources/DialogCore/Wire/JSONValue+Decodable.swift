/// A result read as plain JSON, for what passes it on rather than reading it: `export` rows
/// (columns unknown in advance) and `dialogctl --json`. Faithful to what `WireCoding.encoder()`
/// wrote: objects come back in its sorted key order (UTF-8 bytes) and numbers as the literal it
/// wrote (integers as digits, a `Double` as its shortest form without a trailing `.0`). One
/// limit: a whole `Double` of 1e16 or more reads back as its digits — no result carries one
/// (doubles on the wire are shares, rates, means and confidences).
extension JSONValue: Decodable {
    public init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: AnyKey.self) {
            let keys = object.allKeys.sorted { $0.stringValue.utf8.lexicographicallyPrecedes($1.stringValue.utf8) }
            var members: [JSONMember] = []
            for key in keys { members.append(JSONMember(key: key.stringValue, value: try object.decode(JSONValue.self, forKey: key), line: 0)) }
            self = .object(members)
        } else if var array = try? decoder.unkeyedContainer() {
            var items: [JSONValue] = []
            while !array.isAtEnd { items.append(try array.decode(JSONValue.self)) }
            self = .array(items)
        } else {
            let value = try decoder.singleValueContainer()
            if value.decodeNil() {
                self = .null
            } else if let bool = try? value.decode(Bool.self) {
                self = .bool(bool)
            } else if let integer = try? value.decode(Int64.self) {
                self = .number(String(integer))
            } else if let double = try? value.decode(Double.self) {
                var literal = "\(double)"
                if literal.hasSuffix(".0") { literal.removeLast(2) }
                self = .number(literal)
            } else {
                self = .string(try value.decode(String.self))
            }
        }
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
