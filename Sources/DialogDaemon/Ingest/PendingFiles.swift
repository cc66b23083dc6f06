/// Names waiting in `new/`, in arrival order, each once — inotify and scans both feed it, and
/// a name seen by both must be processed once.
struct PendingFiles {
    private var order: [String] = []
    private var head = 0
    private var members = Set<String>()

    var isEmpty: Bool { head == order.count }
    var count: Int { order.count - head }

    func contains(_ name: String) -> Bool { members.contains(name) }

    mutating func add(_ name: String) {
        guard members.insert(name).inserted else { return }
        if head > 4096, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
        order.append(name)
    }

    mutating func add(contentsOf names: [String]) {
        for name in names { add(name) }
    }

    /// Takes up to `limit` names; they leave the set, so a later file of the same name is new work.
    mutating func take(_ limit: Int) -> ArraySlice<String> {
        let end = min(order.count, head + limit)
        let slice = order[head..<end]
        for name in slice { members.remove(name) }
        head = end
        return slice
    }

    /// Puts back the last `count` names of the latest `take`, at the front, in their order.
    /// Call it before any `add`, which may compact the storage the taken names live in.
    mutating func putBack(_ count: Int) {
        head -= count
        for name in order[head..<(head + count)] { members.insert(name) }
    }
}
