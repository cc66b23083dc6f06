import DialogCore

/// `reload`: re-reads the configuration exactly as SIGHUP does.
struct ReloadCommand: ControlCommand {
    static let name = "reload"
    static let role = Role.admin
    static let argumentNames: Set<String> = []

    init(_ arguments: CommandArguments) throws(ControlError) {}

    func run(_ context: any ControlContext, origin: RequestOrigin) throws(ControlError) -> CommandOutcome {
        context.log.notice("control: uid \(origin.peer.uid) asked for a reload")
        if let refusal = context.reloadConfiguration() {
            throw .failed("reload refused, the old configuration stays in force: \(refusal)")
        }
        return .result(ReloadResult(reloaded: true))
    }
}
