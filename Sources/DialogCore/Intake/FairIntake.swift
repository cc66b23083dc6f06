/// Work waiting from many sources, taken in turns: one item of each source with work per round,
/// each source's items in the order they came. The spool's sources are its droppers (a file's
/// owner uid), so one dropper's backlog makes only that dropper wait, never another's file
/// behind all of it (issue 12, attack 5). Each item waits once; pure, the caller names the source.
public struct FairIntake<Source: Hashable, Item: Hashable> {
    /// The items of each source with any waiting, oldest first; a source leaves once it has none,
    /// so the cost is bounded by the items waiting, however many sources there were.
    private var queues: [Source: FirstInQueue<Item>] = [:]
    /// The sources with items waiting, whose turn is next first: exactly the keys of `queues`.
    private var turns = FirstInQueue<Source>()
    private var members = Set<Item>()
    /// The latest `take`, in its order, for `putBack`.
    private var lastTaken: [(source: Source, item: Item)] = []

    public init() {}

    public var isEmpty: Bool { members.isEmpty }
    public var count: Int { members.count }
    /// How many sources have items waiting.
    public var sourceCount: Int { turns.count }
    /// The sources with items waiting, whose turn is next first.
    public var sources: [Source] { Array(turns.elements) }

    public func contains(_ item: Item) -> Bool { members.contains(item) }

    /// Queues `item` behind `source`'s others; an item already waiting stays where it is.
    public mutating func add(_ item: Item, from source: Source) {
        guard members.insert(item).inserted else { return }
        if queues[source] == nil { turns.append(source) }
        queues[source, default: FirstInQueue()].append(item)
    }

    /// Takes up to `limit` items, one of each source in turn; they leave the set, so an item
    /// added again later is new work.
    public mutating func take(_ limit: Int) -> [Item] {
        take(limit, share: { _ in Int.max })
    }

    /// Takes as `take(_:)` does, but at most `share(source)` items of each source; a source
    /// past its share keeps its items and its place in the turns (the stream places: one dropper
    /// holds at most a share of them, issue 12, attack 6).
    public mutating func take(_ limit: Int, share: (Source) -> Int) -> [Item] {
        lastTaken.removeAll(keepingCapacity: true)
        var takenOf: [Source: Int] = [:]
        var skipped: [Source] = []
        while lastTaken.count < limit, let source = turns.popFirst() {
            guard takenOf[source, default: 0] < share(source) else {
                skipped.append(source)
                continue
            }
            guard let item = queues[source]?.popFirst() else { continue }
            members.remove(item)
            takenOf[source, default: 0] += 1
            lastTaken.append((source, item))
            if queues[source]?.isEmpty ?? true { queues[source] = nil } else { turns.append(source) }
        }
        for source in skipped.reversed() { turns.pushFront(source) }
        return lastTaken.map(\.item)
    }

    /// Whether any source with items waiting may give one (`share(source) > 0`).
    public func hasItems(share: (Source) -> Int) -> Bool {
        turns.contains { share($0) > 0 }
    }

    /// Puts back the last `count` items of the latest `take`, as if they had not been taken: each
    /// at the front of its source's queue, and their sources' turns first again, in the order they had.
    /// An item added again since stays where that put it.
    public mutating func putBack(_ count: Int) {
        let back = lastTaken.suffix(max(0, min(count, lastTaken.count)))
        lastTaken.removeLast(back.count)
        guard !back.isEmpty else { return }
        // Each source's items go in front of its queue at once: one by one, a source whose queue
        // the take emptied would shift its whole put-back array per item (quadratic, session 9).
        var front: [Source: [Item]] = [:]
        for (source, item) in back where members.insert(item).inserted { front[source, default: []].append(item) }
        for (source, items) in front { queues[source, default: FirstInQueue()].pushFront(contentsOf: items) }
        var seen = Set<Source>()
        let firstTurns = back.compactMap { seen.insert($0.source).inserted ? $0.source : nil }
        turns.removeAll { seen.contains($0) }
        for source in firstTurns.reversed() where queues[source] != nil { turns.pushFront(source) }
    }
}

/// An array read from a moving head: O(1) at both ends in the common case, compacted once the
/// consumed part is over half of it (as the spool queue always was).
struct FirstInQueue<Element> {
    private var storage: [Element] = []
    private var head = 0

    var isEmpty: Bool { head == storage.count }
    var count: Int { storage.count - head }

    mutating func append(_ element: Element) {
        if head > 32, head * 2 > storage.count {
            storage.removeFirst(head)
            head = 0
        }
        storage.append(element)
    }

    mutating func popFirst() -> Element? {
        guard head < storage.count else { return nil }
        let element = storage[head]
        head += 1
        if head == storage.count {
            storage.removeAll(keepingCapacity: storage.count <= 64)
            head = 0
        }
        return element
    }

    mutating func pushFront(_ element: Element) {
        if head > 0 {
            head -= 1
            storage[head] = element
        } else {
            storage.insert(element, at: 0)
        }
    }

    /// Puts `elements` in front, in their order: one move of what waits, whatever their number.
    mutating func pushFront(contentsOf elements: [Element]) {
        if elements.count <= head {
            storage.replaceSubrange(head - elements.count..<head, with: elements)
            head -= elements.count
        } else {
            storage.replaceSubrange(0..<head, with: elements)
            head = 0
        }
    }

    var elements: ArraySlice<Element> { storage[head...] }

    func contains(where predicate: (Element) -> Bool) -> Bool {
        storage[head...].contains(where: predicate)
    }

    mutating func removeAll(where shouldRemove: (Element) -> Bool) {
        storage.removeFirst(head)
        head = 0
        storage.removeAll(where: shouldRemove)
    }
}
