import DialogCore
import Foundation

/// One `dialogctl` subcommand, in the shape of swift-argument-parser's `ParsableCommand`: its
/// name, its help next to its options, parsing with validation in `init` (before anything is
/// sent), the request it sends, the type its result decodes to and how it shows it to a person.
protocol Subcommand: Sendable {
    /// The reply's `result` (a type of `Sources/DialogCore/Wire`), decoded once with the envelope.
    associatedtype Result: Decodable

    static var name: String { get }
    /// One line for the command list.
    static var abstract: String { get }
    /// Usage and options below the abstract in `dialogctl NAME --help`.
    static var usage: String { get }
    /// `OPTIONS:` lines specific to the command (global ones are added).
    static var options: String { get }

    init(_ arguments: inout ArgumentCursor) throws(UsageError)
    var request: ControlRequest { get }
    /// How long to wait for the reply.
    var replyTimeoutSeconds: Int { get }
    /// Human output of a successful result.
    func render(_ result: Result) -> String
    /// True when `render` writes a format for programs (metrics): `Terminal.machineOutput`.
    var isMachineFormat: Bool { get }
    /// Runs the parsed command to its exit code: by default sends `request` and prints the
    /// result. Local and direct commands answer here, not through a dynamic cast, which would
    /// scan every protocol conformance of the static binary at each start (issue 17).
    func start(_ globals: GlobalOptions, environment: (String) -> String?) throws(UsageError) -> Int32
}

extension Subcommand {
    static var options: String { "" }
    var replyTimeoutSeconds: Int { 30 }
    var isMachineFormat: Bool { false }

    func start(_ globals: GlobalOptions, environment: (String) -> String?) throws(UsageError) -> Int32 {
        let path = try globals.socketPath(environment: environment)
        return Dialogctl.execute(self, Session(socket: path, json: globals.json, configPath: globals.config))
    }

    static var helpText: String {
        var text = "OVERVIEW: \(abstract)\n\nUSAGE: \(usage)\n\nOPTIONS:\n"
        if !options.isEmpty { text += options + "\n" }
        return text + GlobalOptions.help
    }
}
