import DialogCore

/// `check`: `PRAGMA integrity_check` on the store. Runs on the loop, so ingestion waits meanwhile.
struct CheckCommand: ControlCommand {
    static let name = "check"
    static let role = Role.read
    static let argumentNames: Set<String> = []

    init(_ arguments: CommandArguments) throws(ControlError) {}

    func run(_ context: any ControlContext, origin: RequestOrigin) throws(ControlError) -> CommandOutcome {
        let integrity = try storeCall { try context.store.integrityCheck() }
        return .result(CheckResult(healthy: integrity == "ok", integrity: integrity))
    }
}
