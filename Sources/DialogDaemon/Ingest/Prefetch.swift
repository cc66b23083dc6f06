import Dispatch

/// Work started on another core whose result the loop takes later (issue 17): while the loop
/// stores one chunk, the next is read, parsed, keyed and labelled, so a flood keeps both cores
/// busy. The store never leaves the loop; only the finished, immutable value crosses threads,
/// once, after the work has ended (`wait`), so no lock is needed.
final class Prefetch<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchGroup()
    /// Written by the worker before `done.leave()`, read by the loop only after `done.wait()`.
    private var value: Value?
    /// Dropped by the worker before it signals: what the work captured (a snapshot of the
    /// classifier) is released by then, so the loop's next change to it copies nothing.
    private var work: (@Sendable () -> Value)?

    init(_ work: @escaping @Sendable () -> Value) {
        self.work = work
        done.enter()
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            value = self.work?()
            self.work = nil
            done.leave()
        }
    }

    /// Blocks until the work has ended and takes its value (nil only if taken before).
    func wait() -> Value? {
        done.wait()
        defer { value = nil }
        return value
    }
}
