import DialogCore
import Foundation

/// Why a request failed, with the exit code it leads to.
struct SessionError: Error {
    var message: String
    /// 1 the daemon refused or failed, 69 unreachable.
    var exitCode: Int32
    /// The daemon's error code (`unknown_command`, `forbidden`, …), when it answered.
    var code: String?
}

/// The connection settings every daemon-bound subcommand runs with, and the one way to ask the
/// daemon something: `call`, which sends a request and decodes the reply line — envelope and
/// typed result together — in one pass.
struct Session {
    let socket: String
    let json: Bool
    /// `--config`, when given (log reads the spool path and parse settings from it).
    let configPath: String?

    /// Sends `request` and returns its result as `T`: a type of `Sources/DialogCore/Wire`, or
    /// `JSONValue` to pass the result on unread (`--json`, export rows).
    func call<T: Decodable>(_ request: ControlRequest, as type: T.Type = T.self, timeoutSeconds: Int = 60) throws(SessionError) -> T {
        let reply: [UInt8]
        do { reply = try ControlClient(path: socket).exchange(request.jsonLine, timeoutSeconds: timeoutSeconds) } catch {
            throw SessionError(message: error.message, exitCode: 69)
        }
        let result = try Self.result(of: reply, as: T.self, command: request.command)
        for note in FilterNoteText.notes(ofReply: reply) { Terminal.note(note) }
        return result
    }

    /// Decodes one reply line as `ControlReply<T>`. A result that does not fit `T` (a field
    /// renamed or retyped on one side) is an error naming the command, not a silent default.
    static func result<T: Decodable>(of reply: [UInt8], as type: T.Type, command: String) throws(SessionError) -> T {
        let envelope: ControlReply<T>
        do { envelope = try WireCoding.decoder().decode(ControlReply<T>.self, from: Data(reply)) } catch {
            if case let context? = (error as? DecodingError)?.context, context.codingPath.first?.stringValue == "result" {
                throw SessionError(message: "cannot read the daemon's \(command) result: \(error)", exitCode: 1)
            }
            throw SessionError(message: "the daemon sent a reply that is not a JSON object: \(String(decoding: reply.prefix(200), as: UTF8.self))", exitCode: 1)
        }
        guard envelope.ok else {
            let code = envelope.error?.code ?? "error"
            throw SessionError(message: "\(envelope.error?.message ?? "the daemon refused \(command)") [\(code)]", exitCode: 1, code: code)
        }
        guard let result = envelope.result else {
            throw SessionError(message: "the daemon's \(command) reply has no result", exitCode: 1)
        }
        return result
    }

    /// Prints `dialogctl: message` on stderr and returns the exit code.
    static func fail(_ error: SessionError) -> Int32 {
        Terminal.note(error.message)
        return error.exitCode
    }
}

extension DecodingError {
    /// Where decoding stopped, for every case.
    var context: Context? {
        switch self {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context), .dataCorrupted(let context):
            return context
        @unknown default:
            return nil
        }
    }
}
