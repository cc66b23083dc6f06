import DialogCore

/// A subcommand that does its own work — several requests, files — instead of sending one
/// request and printing its result (report, export, log).
protocol DirectSubcommand: Subcommand where Result == NoResult {
    func run(_ session: Session) -> Int32
}

extension DirectSubcommand {
    var request: ControlRequest { ControlRequest(command: Self.name) }
    func render(_ result: NoResult) -> String { "" }

    func start(_ globals: GlobalOptions, environment: (String) -> String?) throws(UsageError) -> Int32 {
        let path = try globals.socketPath(environment: environment)
        return run(Session(socket: path, json: globals.json, configPath: globals.config))
    }
}
