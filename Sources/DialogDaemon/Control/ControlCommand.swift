import DialogCore
import Foundation

/// One command of the socket: its request (DialogCore, pure: the arguments, parsed and
/// validated before any work, so a bad request never half-runs), its role and its run. Adding a
/// command is its request in `RequestParser.requests` and a type conforming to this in
/// `RequestRouter.commands`.
protocol ControlCommand: Sendable {
    associatedtype Request: CommandRequest
    /// The least role that may run it.
    static var role: Role { get }

    init(_ request: Request)
    func run(_ context: any ControlContext, origin: RequestOrigin) throws(ControlError) -> CommandOutcome
}

extension ControlCommand {
    static var name: String { Request.name }

    /// The command for `request`, its arguments validated as the fuzzer validates them (`RequestParser`).
    static func instantiate(_ request: ControlRequest, timeZone: TimeZone) throws(ControlError) -> Self {
        Self(try RequestParser.instantiate(Request.self, request, timeZone: timeZone))
    }
}

/// A reply now, or work the loop steps between its other duties until it has the reply.
enum CommandOutcome {
    case result(any Encodable)
    case deferred(any DeferredWork)
}

/// Work spread over loop iterations (e.g. a backup, a few pages at a time).
protocol DeferredWork: AnyObject {
    /// Does one small slice; returns the outcome once finished, nil while more remains.
    func step(_ context: any ControlContext) -> Result<any Encodable, ControlError>?
    /// How soon the loop should step it again: 0 for work done in slices on the loop (a
    /// backup), more for work that only waits for a worker thread (a check).
    var pollIntervalMilliseconds: Int64 { get }
}

extension DeferredWork {
    var pollIntervalMilliseconds: Int64 { 0 }
}
