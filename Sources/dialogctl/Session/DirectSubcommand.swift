import DialogCore
import Foundation

/// A subcommand that does its own work — several requests, files — instead of sending one
/// request and printing its result (report, export, log).
protocol DirectSubcommand: Subcommand {
    func run(_ session: Session) -> Int32
}

extension DirectSubcommand {
    var request: ControlRequest { ControlRequest(command: Self.name) }
    func render(_ result: Data) throws -> String { "" }
}

/// Why a request of a direct subcommand failed, with the exit code it leads to.
struct SessionError: Error {
    var message: String
    /// 1 the daemon refused or failed, 69 unreachable.
    var exitCode: Int32
    /// The daemon's error code (`unknown_command`, `forbidden`, …), when it answered.
    var code: String?
}

/// What a direct subcommand may use: the socket, the global options, and requests whose
/// results come back as JSON values (numbers as literals, so cents never pass through Double).
struct Session {
    let socket: String
    let json: Bool
    /// `--config`, when given (log reads the spool path and parse settings from it).
    let configPath: String?

    func call(_ request: ControlRequest, timeoutSeconds: Int = 60) throws(SessionError) -> JSONValue {
        let line: [UInt8]
        do { line = Array(try WireCoding.encoder().encode(request)) } catch {
            throw SessionError(message: "cannot encode the request: \(error)", exitCode: 1)
        }
        let reply: [UInt8]
        do { reply = try ControlClient(path: socket).exchange(line, timeoutSeconds: timeoutSeconds) } catch {
            throw SessionError(message: error.message, exitCode: 69)
        }
        guard let envelope = try? JSONParser.parse(reply), let fields = ExportFormat.fields(envelope) else {
            throw SessionError(message: "the daemon sent a reply that is not a JSON object: \(String(decoding: reply.prefix(200), as: UTF8.self))", exitCode: 1)
        }
        guard fields["ok"] == .bool(true), let result = fields["result"] else {
            let error = fields["error"].flatMap(ExportFormat.fields)
            let code = error?["code"].flatMap { if case .string(let s) = $0 { s } else { nil } } ?? "error"
            let message = error?["message"].flatMap { if case .string(let s) = $0 { s } else { nil } } ?? "the daemon refused \(request.command)"
            throw SessionError(message: "\(message) [\(code)]", exitCode: 1, code: code)
        }
        return result
    }

    /// A request whose result is decoded as `T` (types that spell their snake_case keys).
    func decode<T: Decodable>(_ type: T.Type, _ request: ControlRequest) throws(SessionError) -> T {
        let result = try call(request)
        do { return try JSONDecoder().decode(T.self, from: Data(result.serialized.utf8)) } catch {
            throw SessionError(message: "cannot read the daemon's \(request.command) result: \(error)", exitCode: 1)
        }
    }

    /// Prints `dialogctl: message` on stderr and returns the exit code.
    static func fail(_ error: SessionError) -> Int32 {
        Terminal.note(error.message)
        return error.exitCode
    }
}
