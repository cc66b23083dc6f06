/// Employee labels computed once per employee, not per request (issue 17): the pyramid labels
/// every employee × channel cell, and a keyed SHA-256 per cell was most of its time. Kept by
/// whoever keeps the connection (the daemon's read worker); keyed by the installation secret
/// and the privacy mode, so a changed secret or mode never serves an old label. Not Sendable:
/// one thread uses it.
public final class PseudonymCache {
    private var key: String?
    private var mode: EmployeeFigures?
    /// By bytes: "Müller" composed and decomposed are two employees with two pseudonyms.
    private var labels: [ExactBytes: String] = [:]
    /// Employees are a bounded roster; a store with more distinct names than this (hostile
    /// input) starts over instead of growing without bound.
    public static let capacity = 50_000

    public init() {}

    /// `labeler.label(employee)`, remembered.
    public func label(_ employee: String, _ labeler: EmployeeLabeler) -> String? {
        guard labeler.mode == .pseudonymous else { return labeler.label(employee) }
        if key != labeler.key || mode != labeler.mode {
            labels = [:]
            key = labeler.key
            mode = labeler.mode
        }
        if let label = labels[ExactBytes(employee)] { return label }
        guard let label = labeler.label(employee) else { return nil }
        if labels.count >= Self.capacity { labels = [:] }
        labels[ExactBytes(employee)] = label
        return label
    }

    /// How many labels are kept (tests).
    public var count: Int { labels.count }
}
