import DialogCore
import DialogSystem

/// `recompute` (admin): re-prices every stored conversation with the current rates and rebuilds
/// the ROI aggregates, in one transaction on the loop (ingestion waits until it is done).
struct RecomputeCommand: ControlCommand {
    static let role = Role.admin

    init(_ request: RecomputeRequest) {}

    func run(_ context: any ControlContext, origin: RequestOrigin) throws(ControlError) -> CommandOutcome {
        let started = Clock.monotonicMilliseconds()
        let priced = try storeCall { try context.labeler.recompute(context.store) }
        let milliseconds = Clock.monotonicMilliseconds() - started
        context.log.info("recompute: \(priced) conversation(s) priced in \(milliseconds) ms")
        return .result(RecomputeResult(conversations: priced, milliseconds: milliseconds,
                                       valuationStale: try storeCall { try context.store.valuationIsStale() }))
    }
}
