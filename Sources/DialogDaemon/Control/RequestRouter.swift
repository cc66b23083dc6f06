import DialogCore
import Foundation

/// Turns one request line into one reply line: decode, look up the command, check the role,
/// validate the arguments, run. Unknown, malformed and forbidden requests get error replies.
final class RequestRouter {
    /// Every command the socket serves: one for each of `RequestParser.requests`.
    static let commands: [any ControlCommand.Type] = [
        StatusCommand.self, PingCommand.self, ListCommand.self, ShowCommand.self, QuarantineCommand.self, RetryCommand.self,
        ReloadCommand.self, MetricsCommand.self, BackupCommand.self, CheckCommand.self,
        RoiCommand.self, KpiCommand.self, PyramidCommand.self, RecomputeCommand.self,
        ExportCommand.self,
        ClassifyCommand.self, ReviewCommand.self, RelabelCommand.self, LabelsCommand.self,
        ForgetCommand.self,
    ]
    static let table: [String: any ControlCommand.Type] = Dictionary(uniqueKeysWithValues: commands.map { ($0.name, $0) })

    private unowned let context: any ControlContext
    private let encoder = WireCoding.encoder()
    private let decoder = JSONDecoder()

    init(context: any ControlContext) {
        self.context = context
    }

    enum Outcome {
        case reply([UInt8])
        case deferred(any DeferredWork)
    }

    func route(_ line: [UInt8], origin: RequestOrigin) -> Outcome {
        guard origin.role > .none else {
            return .reply(failure(.forbidden("uid \(origin.peer.uid) may not use dialogd: not root, not dialogd's user, not in group \(context.config.access.adminGroup) or \(context.config.access.queryGroup)")))
        }
        do throws(ControlError) {
            let request = try RequestParser.decode(line, with: decoder)
            let command = try Self.command(named: request.command)
            guard origin.role >= command.role else {
                throw .forbidden("\(request.command) needs the admin role (root, dialogd's user or group \(context.config.access.adminGroup)); uid \(origin.peer.uid) may only read")
            }
            let instance = try command.instantiate(request, timeZone: context.config.timeZone)
            if command.role == .admin, context.storeWritesWait { return .deferred(AfterOpenTransaction(instance, origin: origin)) }
            switch try instance.run(context, origin: origin) {
            case .result(let result): return .reply(success(result))
            case .deferred(let work): return .deferred(work)
            }
        } catch {
            return .reply(failure(error))
        }
    }

    /// The command of that name: an unknown or planned one gets the error the fuzzer sees (`RequestParser`).
    static func command(named name: String) throws(ControlError) -> any ControlCommand.Type {
        _ = try RequestParser.request(named: name)
        guard let command = table[name] else { throw .unavailable("\(name) is not in this dialogd build yet") }
        return command
    }

    /// The reply line of a finished deferred command.
    func reply(_ outcome: Result<any Encodable, ControlError>) -> [UInt8] {
        switch outcome {
        case .success(let result): return success(result)
        case .failure(let error): return failure(error)
        }
    }

    func failure(_ error: ControlError) -> [UInt8] {
        (try? encoder.encode(ControlReply<NoResult>.failure(error))).map(Array.init) ?? Array(#"{"ok":false}"#.utf8)
    }

    private func success(_ result: some Encodable) -> [UInt8] {
        do { return Array(try encoder.encode(ControlReply.success(result))) } catch {
            return failure(.failed("the reply could not be encoded: \(error)"))
        }
    }
}
