/// One request line on the control socket: `{"command":"list","args":{"limit":20}}`
/// (docs/protocol.md). `args` may be omitted; its values are strings, integers or booleans.
public struct ControlRequest: Codable, Sendable, Equatable {
    public var command: String
    public var args: [String: ArgumentValue]

    public init(command: String, args: [String: ArgumentValue] = [:]) {
        self.command = command
        self.args = args
    }

    enum CodingKeys: String, CodingKey { case command, args }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        command = try container.decode(String.self, forKey: .command)
        args = try container.decodeIfPresent([String: ArgumentValue].self, forKey: .args) ?? [:]
    }
}

/// A request argument: what JSON clients naturally send for names, counts and switches.
public enum ArgumentValue: Codable, Sendable, Equatable, CustomStringConvertible {
    case string(String)
    case integer(Int64)
    case bool(Bool)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "an argument is a string, an integer or a boolean")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        }
    }

    public var description: String {
        switch self {
        case .string(let value): return value
        case .integer(let value): return String(value)
        case .bool(let value): return String(value)
        }
    }
}

extension ControlRequest {
    /// The request as one JSON line (no newline), `args` keys in UTF-8 byte order: what
    /// `WireCoding.encoder()` writes, without the generic Codable machinery whose first use
    /// is a seventh of a one-shot `dialogctl status` (issue 17).
    public var jsonLine: [UInt8] {
        let sorted = args.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        let members = sorted.map { JSONMember(key: $0.key, value: $0.value.json, line: 0) }
        var out: [UInt8] = []
        JSONValue.write(.object([JSONMember(key: "args", value: .object(members), line: 0),
                                 JSONMember(key: "command", value: .string(command), line: 0)]), to: &out)
        return out
    }
}

extension ArgumentValue {
    var json: JSONValue {
        switch self {
        case .string(let value): .string(value)
        case .integer(let value): .number(String(value))
        case .bool(let value): .bool(value)
        }
    }
}
