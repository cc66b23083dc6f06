import DialogCore
import Foundation

/// One command of the socket. Adding a command is one file with a type conforming to this,
/// plus its name in `RequestRouter.commands`. Arguments are parsed and validated in `init`,
/// before any work, so a bad request never half-runs.
protocol ControlCommand: Sendable {
    static var name: String { get }
    /// The least role that may run it.
    static var role: Role { get }
    /// Every argument it accepts; anything else is a `bad_argument` error.
    static var argumentNames: Set<String> { get }

    init(_ arguments: CommandArguments) throws(ControlError)
    func run(_ context: any ControlContext, origin: RequestOrigin) throws(ControlError) -> CommandOutcome
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

/// Typed access to a request's `args`, with errors that name the argument.
struct CommandArguments {
    let values: [String: ArgumentValue]
    /// The daemon's `[records] timezone`: a date argument without an offset is read in it.
    var timeZone: TimeZone = .gmt

    func string(_ name: String) throws(ControlError) -> String? {
        switch values[name] {
        case nil: return nil
        case .string(let value)?: return value
        case let other?: throw .badArgument("\(name) must be a string, not \(other)")
        }
    }

    func requiredString(_ name: String) throws(ControlError) -> String {
        guard let value = try string(name), !value.isEmpty else { throw .badArgument("\(name) is required") }
        return value
    }

    /// An integer, also accepted as a string of digits (clients that quote everything).
    func integer(_ name: String, in range: ClosedRange<Int64>) throws(ControlError) -> Int64? {
        let number: Int64
        switch values[name] {
        case nil: return nil
        case .integer(let value)?: number = value
        case .string(let text)?:
            guard let value = Int64(text) else { throw .badArgument("\(name) must be an integer, not \"\(text)\"") }
            number = value
        case .bool?: throw .badArgument("\(name) must be an integer")
        }
        guard range.contains(number) else { throw .badArgument("\(name) must be within \(range.lowerBound)…\(range.upperBound)") }
        return number
    }
}
