import DialogCore
import DialogStore

/// `review`: conversations whose labels a rule or the model made, lowest confidence first.
/// args: `limit` (1–1000, default 20). Employees follow `[privacy] employee_figures`.
struct ReviewCommand: ControlCommand {
    static let role = Role.read

    private let limit: Int

    init(_ request: ReviewRequest) {
        limit = request.limit
    }

    func run(_ context: any ControlContext, origin: RequestOrigin) throws(ControlError) -> CommandOutcome {
        let labeler = try employeeLabeler(context)
        let limit = self.limit
        return .deferred(origin.reads.submit { store in
            var (items, pending) = try store.reviewQueue(limit: limit)
            for i in items.indices { items[i].employee = labeler.shown(items[i].employee) }
            return ReviewResult(items: items, pending: pending)
        })
    }
}
