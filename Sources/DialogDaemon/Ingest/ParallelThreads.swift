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

    /// `body(i)` for every `i` in `0..<count` as `perform` runs it, the results in order; the
    /// threads take `chunk` indices at a time, so a cheap body (one `fstatat`) is not outweighed
    /// by the hand-out.
    static func map<T: Sendable>(_ count: Int, chunk: Int = 1, _ body: @Sendable (Int) -> T) -> [T] {
        let slots = UnsafeMutableBufferPointer<T>.allocate(capacity: max(0, count))
        defer { slots.deallocate() }
        let output = SlotWriter(slots: slots)
        let chunk = max(1, chunk)
        perform(iterations: (max(0, count) + chunk - 1) / chunk) { part in
            for index in part * chunk..<min(count, (part + 1) * chunk) { output.write(body(index), at: index) }
        }
        let results = Array(slots)
        _ = slots.deinitialize()
        return results
    }
}

/// Lets `ParallelThreads.map`'s iterations initialize distinct slots of one buffer: each index is
/// written by exactly one iteration and read only after all have finished.
private struct SlotWriter<Element>: @unchecked Sendable {
    let slots: UnsafeMutableBufferPointer<Element>
    func write(_ element: Element, at index: Int) {
        guard let base = slots.baseAddress else { return }
        (base + index).initialize(to: element)
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
