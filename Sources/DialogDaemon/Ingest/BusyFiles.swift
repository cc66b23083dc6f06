/// Files left in `new/` by a passing shortage of the system (EMFILE, ENFILE, ENOMEM, EAGAIN):
/// never the file's fault, so never quarantined. They are tried again after a back-off that
/// doubles from 250 ms to 30 s while the shortage lasts, and starts over once it is gone.
struct BusyFiles {
    private(set) var names: [String] = []
    /// Monotonic ms of the next try.
    private(set) var retryAt: Int64 = 0
    private(set) var delayMilliseconds: Int64 = 0

    var isEmpty: Bool { names.isEmpty }

    /// Notes files that could not be read now and schedules the next try.
    mutating func add(_ busy: [String], now: Int64) {
        guard !busy.isEmpty else { return }
        for name in busy where !names.contains(where: { $0.sameBytes(as: name) }) { names.append(name) }
        delayMilliseconds = min(max(delayMilliseconds * 2, 250), 30_000)
        retryAt = now + delayMilliseconds
    }

    /// The files whose retry is due (all or none), handed back to the queue.
    mutating func takeDue(now: Int64) -> [String] {
        guard !names.isEmpty, now >= retryAt else { return [] }
        defer { names = [] }
        return names
    }

    /// A batch went through without a shortage: the next one starts at the shortest back-off.
    mutating func recovered() {
        if names.isEmpty { delayMilliseconds = 0 }
    }
}
