import DialogCore

/// Names waiting in `new/`, each once — inotify and scans both feed it, and a name seen by both
/// must be processed once. Taken in fair turns between droppers (`FairIntake`, keyed by the
/// file's owner uid as `fstatat` gives it when the name is queued): one dropper's backlog does
/// not make another's file wait behind all of it (issue 12); each dropper's files in arrival order.
/// That one look also gives the size the batch chooses its chunks by (issue 17): a hint only —
/// the prepare step looks at the file it opens, whatever the name holds by then.
struct PendingFiles {
    /// Names by their bytes: "ü.conv" and "u" + U+0308 ".conv" are two files (`ExactBytes`).
    private var intake = FairIntake<UInt32?, ExactBytes>()
    /// The size each waiting name had when queued; nil when it could not be looked at.
    private var sizes: [ExactBytes: Int] = [:]
    /// The sizes of the latest `take`, for `putBack`.
    private var lastTaken: [QueuedName] = []
    /// The entry `name` is in `new/` now (`SpoolDirectory.look(at:in:)`); nil when it is gone already.
    private let look: (String) -> SpoolDirectory.EntryLook?

    /// `look` may be called from several threads at once (a large listing is looked at on all
    /// cores): an `fstatat` relative to a directory descriptor that never changes is.
    init(look: @escaping (String) -> SpoolDirectory.EntryLook? = { _ in nil }) {
        self.look = look
    }

    var isEmpty: Bool { intake.isEmpty }
    var count: Int { intake.count }

    func contains(_ name: String) -> Bool { intake.contains(ExactBytes(name)) }

    mutating func add(_ name: String) {
        guard !contains(name) else { return }
        add(name, seen: look(name))
    }

    private mutating func add(_ name: String, seen: SpoolDirectory.EntryLook?) {
        let name = ExactBytes(name)
        if intake.add(name, from: seen?.owner) { sizes[name] = seen?.size }
    }

    /// In the order given (inotify reports names as they come).
    mutating func add(contentsOf names: [String]) {
        for name in names { add(name) }
    }

    /// Names a listing gave, in the order they came into `new/` (ctime, then name), not the
    /// directory's order: after a restart a dropper's files start as they were dropped (session 9:
    /// its waiting large files resumed a2 before a1). A name that cannot be looked at goes last.
    /// Sorted as positions by a plain (seconds, nanoseconds) key, the name only on a tie: at start
    /// with a flooded `new/` this runs on the loop while the other core idles, and sorting the
    /// (name, look) pairs themselves cost ≈ 1,400 instructions a name (issue 17, session 17).
    mutating func add(listed names: [String]) {
        let fresh = intake.isEmpty ? names : names.filter { !contains($0) }
        let seen = looks(at: fresh)
        let came = seen.map { look in look.map { ($0.came.seconds, $0.came.nanoseconds) } ?? (Int64.max, Int64.max) }
        let order = fresh.indices.sorted { a, b in came[a] != came[b] ? came[a] < came[b] : fresh[a] < fresh[b] }
        intake.reserveCapacity(intake.count + fresh.count)
        sizes.reserveCapacity(sizes.count + fresh.count)
        for index in order { add(fresh[index], seen: seen[index]) }
    }

    /// One look a name; a flooded `new/`'s listing on all cores (at start, 40,000 `fstatat`s took
    /// ~70 ms before the first batch, the other core idle).
    private func looks(at names: [String]) -> [SpoolDirectory.EntryLook?] {
        guard names.count >= 2 * Self.looksPerHandOut else { return names.map(look) }
        let look = ConcurrentLook(look: look)
        return ParallelThreads.map(names.count, chunk: Self.looksPerHandOut) { look.look(names[$0]) }
    }

    private static let looksPerHandOut = 1024

    /// Takes up to `limit` names, droppers in turn; they leave the set, so a later file of the
    /// same name is new work.
    mutating func take(_ limit: Int) -> [QueuedName] {
        lastTaken = intake.take(limit).map { QueuedName(name: $0.text, size: sizes.removeValue(forKey: $0)) }
        return lastTaken
    }

    /// Takes as `take(_:)` does, at most `share(owner)` names of each dropper.
    mutating func take(_ limit: Int, share: (UInt32?) -> Int) -> [QueuedName] {
        lastTaken = intake.take(limit, share: share).map { QueuedName(name: $0.text, size: sizes.removeValue(forKey: $0)) }
        return lastTaken
    }

    /// The droppers with names waiting, whose turn is next first.
    var owners: [UInt32?] { intake.sources }

    /// Whether a dropper with names waiting may give one now (`share(owner) > 0`).
    func hasNames(share: (UInt32?) -> Int) -> Bool { intake.hasItems(share: share) }

    /// Puts back the last `count` names of the latest `take`, as they were before it (a name
    /// queued again since keeps the size that look gave).
    mutating func putBack(_ count: Int) {
        intake.putBack(count)
        for taken in lastTaken.suffix(max(0, min(count, lastTaken.count))) where sizes[ExactBytes(taken.name)] == nil {
            sizes[ExactBytes(taken.name)] = taken.size
        }
        lastTaken.removeLast(max(0, min(count, lastTaken.count)))
    }
}

/// `PendingFiles.look` handed to `ParallelThreads.map` (see `PendingFiles.init`).
private struct ConcurrentLook: @unchecked Sendable {
    let look: (String) -> SpoolDirectory.EntryLook?
}

/// A name taken from the queue, with the size its entry had when queued (nil: not looked at).
struct QueuedName: Sendable, Equatable {
    var name: String
    var size: Int?

    init(name: String, size: Int? = nil) {
        self.name = name
        self.size = size
    }
}
