/// Work started on another core whose result the loop takes later (issue 17): while the loop
/// stores one chunk, the next is read, parsed, keyed and labelled, so a flood keeps both cores
/// busy. The store never leaves the loop; only the finished, immutable value crosses threads,
/// once, after the work has ended (`wait`). The work runs on one of the daemon's long-lived
/// `PrepareWorkers` (not libdispatch's pool, which traps on EMFILE, issue 12); when no thread
/// can be made, it runs at once on the caller's.
final class Prefetch<Value: Sendable>: @unchecked Sendable {
    /// Written by the worker before its job is done, read by the loop only after `wait` saw that.
    private var value: Value?
    private var job: PrepareWorkers.Job?
    private var waited = false

    /// The worker drops `work` before the job counts as done: what it captured (a snapshot of
    /// the classifier) is released by then, so the loop's next change to it copies nothing.
    init(_ work: @escaping @Sendable () -> Value) {
        job = PrepareWorkers.shared.start { [self] in value = work() }
    }

    /// Blocks until the work has ended and takes its value (nil only if taken before). Work no
    /// worker has begun yet is done here.
    func wait() -> Value? {
        if !waited, let job {
            PrepareWorkers.shared.wait(job)
            self.job = nil
        }
        waited = true
        defer { value = nil }
        return value
    }
}
