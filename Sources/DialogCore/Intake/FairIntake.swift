/// Work waiting from many sources, taken in turns: one item of each source with work per round,
/// each source's items in the order they came. The spool's sources are its droppers (a file's
/// owner uid), so one dropper's backlog makes only that dropper wait, never another's file
/// behind all of it (issue 12, attack 5). Each item waits once; pure, the caller names the source.
/// `@inlinable`, so the daemon's `FairIntake<UInt32?, String>` is specialized where it is used: the
/// unspecialized generic code cost ~2 µs a name on the loop (metadata, generic dictionary accessors).
public struct FairIntake<Source: Hashable, Item: Hashable> {
    /// The items of each source with any waiting, oldest first; a source leaves once it has none,
    /// so the cost is bounded by the items waiting, however many sources there were.
    @usableFromInline var queues: [Source: FirstInQueue<Item>] = [:]
    /// The sources with items waiting, whose turn is next first: exactly the keys of `queues`.
    @usableFromInline var turns = FirstInQueue<Source>()
    @usableFromInline var members = Set<Item>()
    /// The latest `take`, in its order, for `putBack`.
    @usableFromInline var lastTaken: [(source: Source, item: Item)] = []

    @inlinable public init() {}

    @inlinable public var isEmpty: Bool { members.isEmpty }
    @inlinable public var count: Int { members.count }
    /// How many sources have items waiting.
    @inlinable public var sourceCount: Int { turns.count }
    /// The sources with items waiting, whose turn is next first.
    @inlinable public var sources: [Source] { Array(turns.elements) }

    @inlinable public func contains(_ item: Item) -> Bool { members.contains(item) }

    /// Queues `item` behind `source`'s others; an item already waiting stays where it is (false).
    @inlinable @discardableResult public mutating func add(_ item: Item, from source: Source) -> Bool {
        guard members.insert(item).inserted else { return false }
        if queues[source] == nil { turns.append(source) }
        queues[source, default: FirstInQueue()].append(item)
        return true
    }

    /// Room for `count` items waiting without growing again (a start's listing of a flooded `new/`).
    @inlinable public mutating func reserveCapacity(_ count: Int) {
        members.reserveCapacity(count)
    }

    /// Takes up to `limit` items, one of each source in turn; they leave the set, so an item
    /// added again later is new work.
    @inlinable public mutating func take(_ limit: Int) -> [Item] {
        take(limit, share: { _ in Int.max })
    }

    /// Takes as `take(_:)` does, but at most `share(source)` items of each source; a source
    /// past its share keeps its items and its place in the turns (the stream places: one dropper
    /// holds at most a share of them, issue 12, attack 6).
    @inlinable public mutating func take(_ limit: Int, share: (Source) -> Int) -> [Item] {
        lastTaken.removeAll(keepingCapacity: true)
        if turns.count == 1, let source = turns.elements.first {
            takeAlone(source, limit: min(limit, share(source)))
            return lastTaken.map(\.item)
        }
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

    /// `take` when one source has items waiting (a flood from one dropper): the same items in the
    /// same order, taken in one piece instead of one turn each (a turn is five hash lookups).
    @inlinable mutating func takeAlone(_ source: Source, limit: Int) {
        guard limit > 0 else { return }
        guard var queue = queues.removeValue(forKey: source) else {
            _ = turns.popFirst()  // a turn without items is dropped, as `take` drops it
            return
        }
        for item in queue.popFirst(limit) {
            members.remove(item)
            lastTaken.append((source, item))
        }
        if queue.isEmpty {
            _ = turns.popFirst()
        } else {
            queues[source] = queue
        }
    }

    /// Whether any source with items waiting may give one (`share(source) > 0`).
    @inlinable public func hasItems(share: (Source) -> Int) -> Bool {
        turns.contains { share($0) > 0 }
    }

    /// Puts back the last `count` items of the latest `take`, as if they had not been taken: each
    /// at the front of its source's queue, and their sources' turns first again, in the order they had.
    /// An item added again since stays where that put it.
    @inlinable public mutating func putBack(_ count: Int) {
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
@usableFromInline struct FirstInQueue<Element> {
    @usableFromInline var storage: [Element] = []
    @usableFromInline var head = 0

    @inlinable init() {}

    @inlinable var isEmpty: Bool { head == storage.count }
    @inlinable var count: Int { storage.count - head }

    @inlinable mutating func append(_ element: Element) {
        if head > 32, head * 2 > storage.count {
            storage.removeFirst(head)
            head = 0
        }
        storage.append(element)
    }

    @inlinable mutating func popFirst() -> Element? {
        guard head < storage.count else { return nil }
        let element = storage[head]
        head += 1
        if head == storage.count {
            storage.removeAll(keepingCapacity: storage.count <= 64)
            head = 0
        }
        return element
    }

    /// Up to `count` elements from the front, in order.
    @inlinable mutating func popFirst(_ count: Int) -> ArraySlice<Element> {
        let end = head + min(max(0, count), storage.count - head)
        let taken = storage[head..<end]
        head = end
        if head == storage.count {
            storage.removeAll(keepingCapacity: storage.count <= 64)
            head = 0
        }
        return taken
    }

    @inlinable mutating func pushFront(_ element: Element) {
        if head > 0 {
            head -= 1
            storage[head] = element
        } else {
            storage.insert(element, at: 0)
        }
    }

    /// Puts `elements` in front, in their order: one move of what waits, whatever their number.
    @inlinable mutating func pushFront(contentsOf elements: [Element]) {
        if elements.count <= head {
            storage.replaceSubrange(head - elements.count..<head, with: elements)
            head -= elements.count
        } else {
            storage.replaceSubrange(0..<head, with: elements)
            head = 0
        }
    }

    @inlinable var elements: ArraySlice<Element> { storage[head...] }

    @inlinable func contains(where predicate: (Element) -> Bool) -> Bool {
        storage[head...].contains(where: predicate)
    }

    @inlinable mutating func removeAll(where shouldRemove: (Element) -> Bool) {
        storage.removeFirst(head)
        head = 0
        storage.removeAll(where: shouldRemove)
    }
}
