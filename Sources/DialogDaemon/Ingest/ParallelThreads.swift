#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Synchronization

/// `DispatchQueue.concurrentPerform` on threads of our own. libdispatch's worker pool is not
/// safe for a daemon that may run out of descriptors: starting it creates an epoll descriptor,
/// and its monitor opens `/proc/TID/stat` every second while work waits, and both trap the
/// process on EMFILE (issue 12: a fresh daemon died with SIGILL on its first batch of several
/// files). A thread needs no descriptor; when one cannot be started the caller does its share.
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
            var threads: [pthread_t] = []
            for _ in 1..<min(width, iterations) {
                let context = Unmanaged.passRetained(work).toOpaque()
                var thread = pthread_t()
                guard pthread_create(&thread, nil, { context in
                    guard let context else { return nil }
                    Unmanaged<SharedWork>.fromOpaque(context).takeRetainedValue().run()
                    return nil
                }, context) == 0 else {
                    // EAGAIN and the like: no thread now; the ones started and the caller do it all.
                    Unmanaged<SharedWork>.fromOpaque(context).release()
                    break
                }
                threads.append(thread)
            }
            work.run()
            for thread in threads { pthread_join(thread, nil) }
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
