import DialogSystem
import Dispatch

/// One thread of our own, started with the daemon, that runs the jobs it is handed one at a
/// time. Not a `DispatchQueue`: libdispatch's worker pool creates descriptors when it starts and
/// opens `/proc` files while work waits, and traps the daemon when it is out of descriptors
/// (`ParallelThreads`); this thread is made while descriptors are plentiful and needs none later.
final class WorkerThread: @unchecked Sendable {
    private let wake = DispatchSemaphore(value: 0)
    /// Written by the caller before `wake.signal()`, read by the thread after `wake.wait()`.
    private var job: (@Sendable () -> Void)?

    /// Starts the thread; throws when the system cannot make one now (at start: the daemon exits).
    init() throws(SystemError) {
        try DetachedThread.start { [self] in serve() }
    }

    /// Hands the thread `job`. The caller hands the next job only after this one said it is done.
    func run(_ job: @escaping @Sendable () -> Void) {
        self.job = job
        wake.signal()
    }

    /// The thread's life: the daemon process ends it. It keeps itself alive (the closure holds it).
    private func serve() -> Never {
        while true {
            wake.wait()
            let job = self.job
            self.job = nil
            job?()
        }
    }
}
