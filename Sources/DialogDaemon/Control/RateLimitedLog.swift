/// One warning line per interval for a kind of event, saying how many were not logged, so a
/// flood of refusals or failing accepts cannot flood the journal.
struct RateLimitedLog {
    let intervalMilliseconds: Int64
    private var nextAt = Int64.min
    private var suppressed = 0

    init(intervalMilliseconds: Int64) { self.intervalMilliseconds = intervalMilliseconds }

    mutating func warn(_ log: Logger, now: Int64, _ message: @autoclosure () -> String) {
        guard now >= nextAt else { suppressed += 1; return }
        let more = suppressed > 0 ? " (\(suppressed) more like it since the last such line)" : ""
        log.warning(message() + more)
        suppressed = 0
        nextAt = now + intervalMilliseconds
    }
}
