#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Synchronization

/// `DispatchQueue.concurrentPerform` on threads of our own. libdispatch's worker pool is not
/// safe for a daemon that may run out of descriptors: starting it creates an epoll descriptor,
/// and its monitor opens `/proc/TID/stat` every second while work waits, and both trap the
/// process on EMFILE (issue 12: a fresh daemon died with SIGILL on its first batch of several
/// files). The helpers are the daemon's long-lived `PrepareWorkers` (issue 17: not a new thread
/// per call); a thread needs no descriptor, and when none is free the caller does its share.
enum ParallelThreads {
    /// Threads used at most, the caller's included: the cores online.
    static let width = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))

    /// Calls `body(i)` once for every `i` in `0..<iterations`, on up to `width` threads (the
    /// calling thread is one of them), and returns when all calls have returned.
    static func perform(iterations: Int, _ body: @Sendable (Int) -> Void) {
        guard iterations > 1, width > 1 else {
            for index in 0..<max(0, iterations) { body(index) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let work = SharedWork(iterations: iterations, body: body)
            let helpers = (1..<min(width, iterations)).map { _ in PrepareWorkers.shared.start { work.run() } }
            work.run()
            // A helper no worker took yet is withdrawn, never run: `body` must not outlive this call.
            for helper in helpers { PrepareWorkers.shared.withdraw(helper) }
        }
    }
}

/// The iterations of one `perform`, handed out one at a time to whichever thread asks next.
private final class SharedWork: Sendable {
    let iterations: Int
    let body: @Sendable (Int) -> Void
    let next = Atomic<Int>(0)

    init(iterations: Int, body: @escaping @Sendable (Int) -> Void) {
        self.iterations = iterations
        self.body = body
    }

    func run() {
        while true {
            let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
            guard index < iterations else { return }
            body(index)
        }
    }
}
