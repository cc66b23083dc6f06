import Foundation

/// The pure half of serving a request: decode the line, find the command, validate its
/// arguments. No I/O and no daemon state, so tests and the fuzzer (Tests/Fuzz) reach it directly.
public enum RequestParser {
    /// Every command the socket serves (the daemon runs each: `RequestRouter.commands`).
    public static let requests: [any CommandRequest.Type] = [
        StatusRequest.self, PingRequest.self, ListRequest.self, ShowRequest.self, QuarantineRequest.self, RetryRequest.self,
        ReloadRequest.self, MetricsRequest.self, BackupRequest.self, CheckRequest.self,
        RoiRequest.self, KpiRequest.self, PyramidRequest.self, RecomputeRequest.self,
        ExportRequest.self,
        ClassifyRequest.self, ReviewRequest.self, RelabelRequest.self, LabelsRequest.self,
        ForgetRequest.self,
    ]
    /// Commands of docs/protocol.md not in this build yet: `unavailable`, not `unknown_command` (none left).
    public static let planned: Set<String> = []
    static let table: [String: any CommandRequest.Type] = Dictionary(uniqueKeysWithValues: requests.map { ($0.name, $0) })

    public static func decode(_ line: [UInt8], with decoder: JSONDecoder) throws(ControlError) -> ControlRequest {
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

    public static func request(named name: String) throws(ControlError) -> any CommandRequest.Type {
        guard let request = table[name] else {
            if planned.contains(name) {
                throw .unavailable("\(name) is not in this dialogd build yet")
            }
            throw .unknownCommand(name)
        }
        return request
    }

    /// Refuses arguments the command does not take, then lets the command validate the rest.
    public static func instantiate<Request: CommandRequest>(_ type: Request.Type, _ request: ControlRequest,
                                                            timeZone: TimeZone = .gmt) throws(ControlError) -> Request {
        if let unknown = request.args.keys.sorted().first(where: { !type.argumentNames.contains($0) }) {
            throw .badArgument("\(request.command) takes no argument \"\(unknown)\"")
        }
        return try type.init(CommandArguments(values: request.args, timeZone: timeZone))
    }

    /// Every step short of the role check and the run: the error reply a line would get, or
    /// nil when it names a command with valid arguments. The fuzzer's entry point.
    public static func validate(_ line: [UInt8]) -> ControlError? {
        do throws(ControlError) {
            let request = try decode(line, with: JSONDecoder())
            _ = try instantiate(try self.request(named: request.command), request)
            return nil
        } catch {
            return error
        }
    }
}
