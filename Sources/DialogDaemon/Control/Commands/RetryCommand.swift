import DialogCore

/// `retry`: moves a refused file from `quarantine/` back into `new/` (under a free name) and
/// removes its `.reason`, for after the cause was fixed. args: `name`.
struct RetryCommand: ControlCommand {
    static let role = Role.admin

    private let file: String

    init(_ request: RetryRequest) {
        file = request.file
    }

    func run(_ context: any ControlContext, origin: RequestOrigin) throws(ControlError) -> CommandOutcome {
        let spool = context.spool
        guard spool.exists(file, in: .quarantine) else { throw .notFound("no file \"\(file)\" in quarantine") }
        // A companion is no quarantined file; a dropped file that merely ends in `.reason` is.
        let present = Set(((try? spool.names(in: .quarantine)) ?? []).map(ExactBytes.init))
        guard !QuarantineListing.isReason(file, present: present), !QuarantineListing.isRejectsFile(file, present: present) else {
            throw .badArgument("\"\(file)\" is not the name of a quarantined file (see `dialogctl quarantine`)")
        }
        let queuedAs: String
        do { queuedAs = try spool.move(file, from: .quarantine, to: .new) } catch {
            throw .failed("cannot move \(file) back to new/: \(error)")
        }
        try? spool.remove(file + QuarantineListing.reasonSuffix, in: .quarantine)
        try? spool.sync(.new)
        try? spool.sync(.quarantine)
        context.enqueue(queuedAs)
        context.log.notice("control: uid \(origin.peer.uid) retried \(file) from quarantine as new/\(queuedAs)")
        return .result(RetryResult(name: file, queuedAs: queuedAs))
    }
}
