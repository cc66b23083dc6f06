/// A usage mistake: exit 64 (EX_USAGE) with the message and a pointer to `--help`.
struct UsageError: Error {
    var message: String
    /// The subcommand whose help to point to, if any.
    var command: String?
}

/// One command-line token: `--name`, `--name=value`, or a positional value.
enum ArgumentToken: Equatable {
    case option(String, inline: String?)
    case positional(String)
}

/// Walks a subcommand's arguments in the shape of swift-argument-parser: options with values
/// (`--limit 5`, `--limit=5`), flags, positionals, and `--` to end options.
struct ArgumentCursor {
    private var tokens: ArraySlice<String>
    private var optionsEnded = false
    let command: String

    init(_ tokens: [String], command: String) {
        self.tokens = tokens[...]
        self.command = command
    }

    mutating func next() -> ArgumentToken? {
        guard let token = tokens.popFirst() else { return nil }
        if !optionsEnded, token == "--" {
            optionsEnded = true
            return next()
        }
        if !optionsEnded, token.hasPrefix("-"), token.count > 1 {
            if let equals = token.firstIndex(of: "=") {
                return .option(String(token[..<equals]), inline: String(token[token.index(after: equals)...]))
            }
            return .option(token, inline: nil)
        }
        return .positional(token)
    }

    /// The value of an option: inline after `=`, else the next token.
    mutating func value(of option: String, inline: String?) throws(UsageError) -> String {
        if let inline { return inline }
        guard let value = tokens.popFirst() else { throw error("missing value for '\(option) <\(Self.placeholder(option))>'") }
        return value
    }

    /// A flag given a value (`--json=yes`) is a mistake.
    func flag(_ option: String, inline: String?) throws(UsageError) {
        if inline != nil { throw error("\(option) takes no value") }
    }

    func unexpected(_ token: ArgumentToken) -> UsageError {
        switch token {
        case .option(let name, _): return error("unknown option '\(name)'")
        case .positional(let value): return error("unexpected argument '\(value)'")
        }
    }

    func error(_ message: String) -> UsageError { UsageError(message: message, command: command) }

    private static func placeholder(_ option: String) -> String { String(option.drop { $0 == "-" }) }
}
