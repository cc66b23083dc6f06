import Foundation

/// The arguments of one socket command, parsed and validated before any work, so a bad request
/// never half-runs. Pure (no I/O, no daemon state): the daemon runs a request
/// (`ControlCommand`), the fuzzer (Tests/Fuzz) reaches the validation without the daemon.
public protocol CommandRequest: Sendable {
    static var name: String { get }
    /// Every argument it accepts; anything else is a `bad_argument` error.
    static var argumentNames: Set<String> { get }

    init(_ arguments: CommandArguments) throws(ControlError)
}

/// A command that takes no arguments.
public protocol PlainRequest: CommandRequest {
    init()
}

extension PlainRequest {
    public static var argumentNames: Set<String> { [] }
    public init(_ arguments: CommandArguments) throws(ControlError) { self.init() }
}

/// Typed access to a request's `args`, with errors that name the argument.
public struct CommandArguments {
    public let values: [String: ArgumentValue]
    /// The daemon's `[records] timezone`: a date argument without an offset is read in it.
    public var timeZone: TimeZone = .gmt

    public init(values: [String: ArgumentValue], timeZone: TimeZone = .gmt) {
        self.values = values
        self.timeZone = timeZone
    }

    public func string(_ name: String) throws(ControlError) -> String? {
        switch values[name] {
        case nil: return nil
        case .string(let value)?: return value
        case let other?: throw .badArgument("\(name) must be a string, not \(other)")
        }
    }

    public func requiredString(_ name: String) throws(ControlError) -> String {
        guard let value = try string(name), !value.isEmpty else { throw .badArgument("\(name) is required") }
        return value
    }

    /// An integer, also accepted as a string of digits (clients that quote everything).
    public func integer(_ name: String, in range: ClosedRange<Int64>) throws(ControlError) -> Int64? {
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
