import DialogCore

/// A subcommand that works on local files and needs no daemon (evaluate).
protocol LocalSubcommand: Subcommand where Result == NoResult {
    /// Runs and prints; returns the exit code. `configPath` is the global `--config`.
    func runLocally(json: Bool, configPath: String?) -> Int32
}

extension LocalSubcommand {
    var request: ControlRequest { ControlRequest(command: Self.name) }
    func render(_ result: NoResult) -> String { "" }

    func start(_ globals: GlobalOptions, environment: (String) -> String?) throws(UsageError) -> Int32 {
        runLocally(json: globals.json, configPath: globals.config)
    }
}
