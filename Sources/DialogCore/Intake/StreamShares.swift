/// Who holds the stream places of large files, decided in one place (issue 12, attacks 6 and 7;
/// docs/spool.md "Large streamed files"). A dropper's share is the places over its droppers, so
/// a share is a reservation: a dropper below its share with a large file waiting gets a place that
/// is free, or one a dropper above its share gives up by *parking* a stream at a commit boundary
/// (the file stays open where it is: restarting it would read it again). Pure; the daemon names the owners.
public struct StreamShares<Owner: Hashable> {
    public struct Limits: Sendable {
        /// Streams stored side by side (a slice of each in turn).
        public var places: Int
        /// The most places one dropper holds, however few droppers there are.
        public var perDropper: Int
        /// The most streams parked at once: each keeps a descriptor and its reader's buffers.
        public var parked: Int

        public init(places: Int, perDropper: Int, parked: Int) {
            (self.places, self.perDropper, self.parked) = (places, perDropper, parked)
        }
    }

    /// What to do now: streams to park (indices into `active`) and parked streams to take up again
    /// (indices into `parked`, in the order to take them up).
    public struct Plan: Equatable, Sendable {
        public var park: [Int] = []
        public var resume: [Int] = []
        public var isEmpty: Bool { park.isEmpty && resume.isEmpty }
    }

    public let limits: Limits
    /// The owners of the streams taking turns, oldest first.
    public private(set) var active: [Owner]
    /// The owners of the parked streams, parked first first.
    public let parked: [Owner]
    /// The droppers with a large file waiting for a place, in their turn order.
    public let waiting: [Owner]
    /// When each dropper last got a place (a start or a resume; larger is later, absent is never):
    /// a freed place goes to the one longest without, whether its file waits or is parked.
    public let lastGiven: [Owner: Int]

    public init(_ limits: Limits, active: [Owner], parked: [Owner], waiting: [Owner], lastGiven: [Owner: Int] = [:]) {
        self.limits = limits
        self.active = active
        self.parked = parked
        self.waiting = waiting
        self.lastGiven = lastGiven
    }

    /// The droppers with a file parked or waiting, longest without a place first (never had one
    /// first of all), then parked before waiting and each in its given order.
    var needy: [Owner] {
        var seen = Set<Owner>(), order: [Owner] = []
        for owner in parked + waiting where seen.insert(owner).inserted { order.append(owner) }
        return order.enumerated().sorted { (lastGiven[$0.element] ?? 0, $0.offset) < (lastGiven[$1.element] ?? 0, $1.offset) }.map(\.element)
    }

    /// Places each dropper may hold: the places over the droppers with a large file active,
    /// parked or waiting (`also` counted too), at least one, at most `perDropper`.
    public func share(also owner: Owner? = nil) -> Int {
        var droppers = Set(active).union(parked).union(waiting)
        if let owner { droppers.insert(owner) }
        return min(limits.perDropper, max(1, limits.places / max(1, droppers.count)))
    }

    public func held(by owner: Owner) -> Int { active.count(where: { $0 == owner }) }

    /// How many more of `owner`'s waiting files may start now: free places within its share, none
    /// while it has a stream parked (that one goes on first, so its files keep their order).
    public func places(for owner: Owner) -> Int {
        guard !parked.contains(owner) else { return 0 }
        return max(0, min(limits.places - active.count, share(also: owner) - held(by: owner)))
    }

    /// The free places given out to the waiting droppers, one each in the order of `waiting`
    /// (the caller puts first who has gone longest without a place), round after round within
    /// `places(for:)`: a place freed by a file's end goes to a dropper that has none before that
    /// dropper's next file (attack 8: a fifth dropper waited for a round of the other four).
    /// A dropper with a stream parked that has gone longer without a place than a waiting one keeps
    /// a free place for that stream (`plan` takes it up between two slices).
    public func allowances() -> [Owner: Int] {
        var given: [Owner: Int] = [:]
        var free = limits.places - active.count
        let share = share()
        for owner in needy where free > 0 {
            if parked.contains(owner) {
                if held(by: owner) < share { free -= 1 }
            } else if places(for: owner) > 0 {
                break
            }
        }
        var more = true
        while free > 0, more {
            more = false
            let order = waiting.indices.sorted { (held(by: waiting[$0]), $0) < (held(by: waiting[$1]), $1) }.map { waiting[$0] }
            for owner in order where free > 0 && given[owner, default: 0] < places(for: owner) {
                given[owner, default: 0] += 1
                free -= 1
                more = true
            }
        }
        return given
    }

    /// Takes a place for a file of `owner` that a batch met, if `places(for:)` allows; the file starts.
    public mutating func claim(_ owner: Owner) -> Bool {
        guard places(for: owner) > 0 else { return false }
        active.append(owner)
        return true
    }

    /// Each dropper below its share with a file parked or waiting, longest without a place first
    /// (`needy`; attack 9: a parked stream went on before a dropper that never had a place), gets
    /// one place: a free one, else one a dropper above its share gives up by parking its newest
    /// stream, while fewer than `limits.parked` are parked. A dropper's own parked stream takes
    /// its place before its waiting files; a place left free is the waiting files' (a batch takes them).
    public func plan() -> Plan {
        var plan = Plan()
        let share = share()
        var held: [Owner: Int] = [:]
        for owner in active { held[owner, default: 0] += 1 }
        var free = limits.places - active.count
        var stillParked = Array(parked.indices)
        func resume(_ owner: Owner) -> Bool {
            guard let at = stillParked.firstIndex(where: { parked[$0] == owner }) else { return false }
            plan.resume.append(stillParked.remove(at: at))
            return true
        }
        var parkedCount = stillParked.count
        for owner in needy where held[owner, default: 0] < share {
            if free == 0 {
                // The newest stream of a dropper above its share holding the most.
                let most = held.values.max() ?? 0
                guard most > share, parkedCount < limits.parked,
                      let index = active.indices.reversed().first(where: { held[active[$0], default: 0] == most && !plan.park.contains($0) })
                else { break }
                plan.park.append(index)
                held[active[index], default: 0] -= 1
                parkedCount += 1
                free += 1
            }
            if resume(owner) { parkedCount -= 1 }
            held[owner, default: 0] += 1
            free -= 1
        }
        return plan
    }
}
