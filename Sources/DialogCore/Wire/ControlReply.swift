import Foundation

/// One reply line: `{"ok":true,"result":…}` or `{"ok":false,"error":{"code":…,"message":…}}`.
/// The daemon encodes it, dialogctl decodes it in one pass with its typed result
/// (`Session.call`).
public struct ControlReply<Result> {
    public var ok: Bool
    public var result: Result?
    public var error: ControlError?

    public static func success(_ result: Result) -> ControlReply { ControlReply(ok: true, result: result, error: nil) }
    public static func failure(_ error: ControlError) -> ControlReply { ControlReply(ok: false, result: nil, error: error) }
}

extension ControlReply: Sendable where Result: Sendable {}
extension ControlReply: Encodable where Result: Encodable {}
extension ControlReply: Decodable where Result: Decodable {}

/// A reply with no result, for failures and for decoding just the envelope.
public struct NoResult: Codable, Sendable, Equatable {}

/// Why a request failed; `code` is stable (scripts branch on it), `message` is for people.
public struct ControlError: Error, Codable, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }

    /// The codes of docs/protocol.md.
    public static func badRequest(_ message: String) -> ControlError { ControlError(code: "bad_request", message: message) }
    public static func unknownCommand(_ name: String) -> ControlError { ControlError(code: "unknown_command", message: "no command \"\(name)\"") }
    public static func badArgument(_ message: String) -> ControlError { ControlError(code: "bad_argument", message: message) }
    public static func forbidden(_ message: String) -> ControlError { ControlError(code: "forbidden", message: message) }
    public static func notFound(_ message: String) -> ControlError { ControlError(code: "not_found", message: message) }
    public static func tooLarge(_ message: String) -> ControlError { ControlError(code: "too_large", message: message) }
    public static func busy(_ message: String) -> ControlError { ControlError(code: "busy", message: message) }
    public static func unavailable(_ message: String) -> ControlError { ControlError(code: "unavailable", message: message) }
    public static func failed(_ message: String) -> ControlError { ControlError(code: "failed", message: message) }
}

/// The one JSON dialect of the socket: sorted keys, so output is stable and diffable. Keys are
/// snake_case and spelled by hand: a type whose property name is not its wire key says so in
/// its `CodingKeys` (the wire is a contract, docs/protocol.md; renaming a property must not
/// change it, and `satisfaction_share_4_plus` has no camelCase that converts back). No key
/// conversion, so both sides and every test read with these two.
public enum WireCoding {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        JSONDecoder()
    }

    /// Longest request line the daemon reads, newline excluded.
    public static let maxRequestBytes = 64 * 1024
}
