import DialogCore

/// `reload`: re-reads the configuration exactly as SIGHUP does.
struct ReloadCommand: ControlCommand {
    static let role = Role.admin

    init(_ request: ReloadRequest) {}

    func run(_ context: any ControlContext, origin: RequestOrigin) throws(ControlError) -> CommandOutcome {
        context.log.notice("control: uid \(origin.peer.uid) asked for a reload")
        if let refusal = context.reloadConfiguration() {
            throw .failed("reload refused, the old configuration stays in force: \(refusal)")
        }
        return .result(ReloadResult(reloaded: true))
    }
}
