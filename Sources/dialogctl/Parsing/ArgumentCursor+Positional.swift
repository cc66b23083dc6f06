/// Parsing for subcommands without options or arguments.
extension ArgumentCursor {
    mutating func expectEnd() throws(UsageError) {
        if let token = next() { throw unexpected(token) }
    }

    /// Exactly one positional argument named `label`.
    mutating func single(_ label: String) throws(UsageError) -> String {
        var value: String?
        while let token = next() {
            guard case .positional(let text) = token, value == nil else { throw unexpected(token) }
            value = text
        }
        guard let value, !value.isEmpty else { throw error("missing argument <\(label)>") }
        return value
    }
}
