#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Dispatch

/// Work started on a thread of its own whose result the loop takes later (issue 17): while the
/// loop stores one chunk, the next is read, parsed, keyed and labelled, so a flood keeps both
/// cores busy. The store never leaves the loop; only the finished, immutable value crosses
/// threads, once, after the work has ended (`wait`), so no lock is needed. A plain pthread,
/// not libdispatch's pool, which traps the daemon when it is out of descriptors (issue 12);
/// when no thread can be made, the work runs at once on the caller's.
final class Prefetch<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    /// Written by the worker before `done.signal()`, read by the loop only after `done.wait()`.
    private var value: Value?
    /// Dropped by the worker before it signals: what the work captured (a snapshot of the
    /// classifier) is released by then, so the loop's next change to it copies nothing.
    private var work: (@Sendable () -> Value)?
    private var waited = false

    init(_ work: @escaping @Sendable () -> Value) {
        self.work = work
        let start = ThreadStart { [self] in
            value = self.work?()
            self.work = nil
            done.signal()
        }
        let context = Unmanaged.passRetained(start).toOpaque()
        var thread = pthread_t()
        if pthread_create(&thread, nil, { context in
            guard let context else { return nil }
            Unmanaged<ThreadStart>.fromOpaque(context).takeRetainedValue().body()
            return nil
        }, context) == 0 {
            pthread_detach(thread)
        } else {
            // EAGAIN and the like: no thread now, so the work is done here.
            Unmanaged<ThreadStart>.fromOpaque(context).release()
            start.body()
        }
    }

    /// Blocks until the work has ended and takes its value (nil only if taken before).
    func wait() -> Value? {
        if !waited {
            done.wait()
            waited = true
        }
        defer { value = nil }
        return value
    }
}

/// What a new thread runs (a C start routine cannot capture a generic context).
private final class ThreadStart: Sendable {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}
