import DialogCore

/// `ping`: answered on the loop itself, touching neither store nor spool, so a reply proves
/// the loop is turning and the socket is served — what a health check wants to know.
struct PingCommand: ControlCommand {
    static let role = Role.read

    init(_ request: PingRequest) {}

    func run(_ context: any ControlContext, origin: RequestOrigin) throws(ControlError) -> CommandOutcome {
        .result(PingResult(pong: true))
    }
}
