import DialogCore
import Foundation

/// The pure half of serving a request: decode the line, find the command, validate its
/// arguments. No I/O and no daemon state, so tests and the fuzzer (Tests/Fuzz) reach it directly.
public enum RequestParser {
    static let table: [String: any ControlCommand.Type] = Dictionary(uniqueKeysWithValues: RequestRouter.commands.map { ($0.name, $0) })

    static func decode(_ line: [UInt8], with decoder: JSONDecoder) throws(ControlError) -> ControlRequest {
        let shape = "a request is one JSON object per line: {\"command\":\"status\",\"args\":{}}"
        // The strict parser first: a key given twice (`"command"` twice) would leave the
        // decoder to pick one copy silently, so it is refused instead.
        guard let tree = try? JSONParser.parse(line, maxDepth: 8) else { throw .badRequest(shape) }
        if let key = tree.firstDuplicateKey {
            let plain = key.utf8.count <= 64 && key.unicodeScalars.allSatisfy { (0x20..<0x7F).contains($0.value) }
            throw .badRequest("\(plain ? "the key \"\(key)\"" : "a key") appears twice in one object; each key may appear once")
        }
        do { return try decoder.decode(ControlRequest.self, from: Data(line)) } catch {
            throw .badRequest(shape)
        }
    }

    static func command(named name: String) throws(ControlError) -> any ControlCommand.Type {
        guard let command = table[name] else {
            if RequestRouter.planned.contains(name) {
                throw .unavailable("\(name) is not in this dialogd build yet")
            }
            throw .unknownCommand(name)
        }
        return command
    }

    /// Refuses arguments the command does not take, then lets the command validate the rest.
    static func instantiate(_ command: any ControlCommand.Type, _ request: ControlRequest, timeZone: TimeZone = .gmt) throws(ControlError) -> any ControlCommand {
        if let unknown = request.args.keys.sorted().first(where: { !command.argumentNames.contains($0) }) {
            throw .badArgument("\(request.command) takes no argument \"\(unknown)\"")
        }
        return try command.init(CommandArguments(values: request.args, timeZone: timeZone))
    }

    /// Every step short of the role check and the run: the error reply a line would get, or
    /// nil when it names a command with valid arguments. The fuzzer's entry point.
    public static func validate(_ line: [UInt8]) -> ControlError? {
        do throws(ControlError) {
            let request = try decode(line, with: JSONDecoder())
            _ = try instantiate(try command(named: request.command), request)
            return nil
        } catch {
            return error
        }
    }
}
