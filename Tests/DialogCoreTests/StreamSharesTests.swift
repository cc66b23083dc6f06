import Testing
@testable import DialogCore

/// The stream places of large files (issue 12, attacks 6 and 7): a share is a reservation — a
/// dropper below its share gets a place free or one a dropper above it gives up by parking — and
/// each dropper's files start in arrival order. The daemon applies these plans (`DropperTurnsTests`).
@Suite("Stream shares: who holds, parks and takes up a stream place")
struct StreamSharesTests {
    /// The daemon's limits: four places, two a dropper, four parked at most.
    static let limits = StreamShares<Int>.Limits(places: 4, perDropper: 2, parked: 4)
    static let a = 1, b = 2, c = 3, d = 4, e = 5

    static func shares(_ active: [Int], parked: [Int] = [], waiting: [Int] = []) -> StreamShares<Int> {
        StreamShares(limits, active: active, parked: parked, waiting: waiting)
    }

    @Test("the share is the places over the droppers with a large file active, parked or waiting: two, two, one, one")
    func sharePerDroppers() {
        #expect(Self.shares([Self.a, Self.a]).share() == 2)
        #expect(Self.shares([Self.a, Self.a], waiting: [Self.b]).share() == 2)
        #expect(Self.shares([Self.a, Self.a, Self.b, Self.b], waiting: [Self.c]).share() == 1)
        #expect(Self.shares([Self.a, Self.b, Self.c], parked: [Self.d], waiting: [Self.e]).share() == 1)
        // A dropper alone still holds two: the loop stores one slice at a time, so more gain it nothing.
        #expect(Self.shares([Self.a, Self.a]).places(for: Self.a) == 0)
        #expect(Self.shares([Self.a, Self.a]).places(for: Self.b) == 2)
    }

    @Test("attack 7: two droppers holding two places each and a third's file waiting: the newest stream of one of them parks, the third takes its place")
    func parkingForAThirdDropper() {
        let (a, b, c) = (Self.a, Self.b, Self.c)
        let before = Self.shares([a, a, b, b], waiting: [c])
        #expect(before.places(for: c) == 0, "no place is free")
        #expect(before.plan() == StreamShares.Plan(park: [3], resume: []))
        let after = Self.shares([a, a, b], parked: [b], waiting: [c])
        #expect(after.places(for: c) == 1)
        #expect(after.places(for: b) == 0, "B's parked file goes on before any file of B starts")
        #expect(after.plan().isEmpty, "stable: nobody parks or goes on again before the third takes the place")
        // Started, the third holds its share; a fourth dropper parks the other two-place dropper's newest.
        #expect(Self.shares([a, a, b, c], parked: [b]).plan().isEmpty)
        #expect(Self.shares([a, a, b, c], parked: [b], waiting: [Self.d]).plan() == StreamShares.Plan(park: [1], resume: []))
    }

    @Test("a parked stream goes on when its dropper is below its share and a place is free, before its dropper's waiting files")
    func parkedGoOnFirst() {
        let (a, b, c) = (Self.a, Self.b, Self.c)
        // The third dropper's file ended: two droppers, a share of two each, B's parked one goes on.
        #expect(Self.shares([a, a, b], parked: [b], waiting: [b]).plan() == StreamShares.Plan(park: [], resume: [0]))
        // Still three droppers: B holds its one place, its parked file waits.
        #expect(Self.shares([a, b, c], parked: [b]).plan().isEmpty)
        // B's only active file ended: its parked one takes the free place.
        #expect(Self.shares([a, c], parked: [b], waiting: [b]).plan() == StreamShares.Plan(park: [], resume: [0]))
        // No place free, B below its share: A parks for B's parked file, which goes on at once.
        #expect(Self.shares([a, a, c, Self.d], parked: [b]).plan() == StreamShares.Plan(park: [1], resume: [0]))
    }

    @Test("more droppers than places: the fifth waits until a file ends; parking stops at its bound")
    func beyondThePlaces() {
        let (a, b, c, d, e) = (Self.a, Self.b, Self.c, Self.d, Self.e)
        let five = Self.shares([a, b, c, d], waiting: [e])
        #expect(five.share() == 1 && five.places(for: e) == 0 && five.plan().isEmpty)
        #expect(Self.shares([a, b, c], waiting: [e]).places(for: e) == 1)
        let bounded = StreamShares(StreamShares<Int>.Limits(places: 4, perDropper: 2, parked: 1), active: [a, a, b, b], parked: [d], waiting: [c])
        #expect(bounded.plan().isEmpty, "one parked already: the third waits until a file ends")
    }

    /// Outside attack 8: with four droppers holding a place each, a place freed by one file's end went
    /// to that dropper's next file (its turn came first), so a fifth waited a round of the four.
    @Test("free places go to the waiting droppers in the order given (longest without a place first), fewest held first, within each share")
    func allowancesGoInOrder() {
        // d's file ended; e never had a place: the caller puts e first, and e gets the one free place.
        #expect(Self.shares([Self.a, Self.b, Self.c], waiting: [Self.e, Self.d]).allowances() == [Self.e: 1])
        #expect(Self.shares([Self.a, Self.b, Self.c], waiting: [Self.d, Self.e]).allowances() == [Self.d: 1])
        // Two droppers, share two: e (none held) before a (one held); three free places: e two, a one.
        #expect(Self.shares([Self.a], waiting: [Self.a, Self.e]).allowances() == [Self.e: 2, Self.a: 1])
        // No free place: nothing is given out (parking is `plan`'s).
        #expect(Self.shares([Self.a, Self.b, Self.c, Self.d], waiting: [Self.e]).allowances().isEmpty)
    }

    /// Outside attack 9: four droppers held a place each, the first with a second file parked; its
    /// first file ended first and the freed place took its parked stream up again, so a late fifth
    /// dropper that never had a place waited for another file to end.
    @Test("a freed place goes to the dropper longest without one, whether its file is parked or waiting: one that never had a place before a parked stream")
    func parkedStreamsTakeTheirTurn() {
        let (a, b, c, d, e) = (Self.a, Self.b, Self.c, Self.d, Self.e)
        // a's first file ended; its second is parked (given a place at 5); e never had one.
        let given = [b: 2, c: 3, d: 4, a: 5]
        let late = StreamShares(Self.limits, active: [b, c, d], parked: [a], waiting: [e], lastGiven: given)
        #expect(late.plan().isEmpty, "the parked stream stays parked: the free place is e's")
        #expect(late.allowances() == [e: 1])
        // Once e's file holds the place, a's parked stream waits for the next file to end.
        #expect(StreamShares(Self.limits, active: [b, c, d, e], parked: [a], waiting: [], lastGiven: given.merging([e: 6]) { $1 }).plan().isEmpty)
        // The other way round: a parked stream whose dropper has gone longer without a place than a
        // waiting dropper takes the free place, and the batch leaves it free for it.
        let older = StreamShares(Self.limits, active: [b, c, d], parked: [a], waiting: [e], lastGiven: [a: 1, b: 2, c: 3, d: 4, e: 5])
        #expect(older.plan() == StreamShares.Plan(park: [], resume: [0]))
        #expect(older.allowances().isEmpty)
    }

    @Test("a batch claims places one file at a time: within the share, free places only")
    func claims() {
        var shares = Self.shares([Self.a, Self.a])
        let claimed = [Self.a, Self.b, Self.b, Self.b, Self.c].map { shares.claim($0) }
        #expect(claimed == [false, true, true, false, false], "A holds its two; B takes two; then every place is taken")
        #expect(shares.active == [Self.a, Self.a, Self.b, Self.b])
    }

    /// Droppers drop large files, files end, and between slices the plan is applied and a batch
    /// takes waiting files (`FairIntake`, as the daemon's `largeWaiting`) and meets new ones.
    @Test("random drops and ends: places, shares and the parked bound hold; with four droppers at most each has a place after one round; each dropper's files start in arrival order")
    func randomRounds() {
        var random = SeededGenerator(seed: 12)
        var parks = 0, resumes = 0
        for _ in 0..<200 {
            var active: [(owner: Int, file: Int)] = [], parked: [(owner: Int, file: Int)] = []
            var waiting = FairIntake<Int, Int>()
            var started: [Int: [Int]] = [:], ownerOf: [Int: Int] = [:]
            var nextFile = 0
            let droppers = Int.random(in: 1...6, using: &random)
            for _ in 0..<60 {
                var met: [(owner: Int, file: Int)] = []
                for _ in 0..<Int.random(in: 0...2, using: &random) {
                    met.append((Int.random(in: 1...droppers, using: &random), nextFile))
                    ownerOf[nextFile] = met.last?.owner
                    nextFile += 1
                }
                if !active.isEmpty, Bool.random(using: &random) { active.remove(at: Int.random(in: active.indices, using: &random)) }
                // Between two slices: park and take up.
                let present = Set(active.map(\.owner) + parked.map(\.owner) + waiting.sources)
                let needy = Set(parked.map(\.owner) + waiting.sources)
                let plan = StreamShares(Self.limits, active: active.map(\.owner), parked: parked.map(\.owner), waiting: waiting.sources).plan()
                let resuming = plan.resume.map { parked[$0] }, parking = plan.park.map { active[$0] }
                for i in plan.resume.sorted(by: >) { parked.remove(at: i) }
                for i in plan.park.sorted(by: >) { active.remove(at: i) }
                parked += parking
                parks += parking.count
                resumes += resuming.count
                active += resuming
                // The batch: waiting files first, then those it meets, each started if its dropper claims a place.
                var shares = StreamShares(Self.limits, active: active.map(\.owner), parked: parked.map(\.owner), waiting: waiting.sources)
                let taken = waiting.take(4 - active.count, share: shares.places(for:))
                for (owner, file) in taken.map({ (ownerOf[$0] ?? -1, $0) }) + met {
                    if shares.claim(owner) {
                        active.append((owner, file))
                        started[owner, default: []].append(file)
                    } else {
                        waiting.add(file, from: owner)
                    }
                }
                #expect(active.count <= 4 && parked.count <= 2)
                for owner in 1...droppers {
                    #expect(active.count(where: { $0.owner == owner }) <= 2)
                    #expect(parked.count(where: { $0.owner == owner }) <= 1)
                }
                // Those that waited before this round (not those it met) hold a place now.
                if present.count <= 4 {
                    #expect(needy.allSatisfy { owner in active.contains { $0.owner == owner } }, "a dropper without a place: \(active) \(parked) \(waiting.sources)")
                }
            }
            for (owner, files) in started { #expect(files == files.sorted(), "dropper \(owner) started \(files)") }
        }
        print("StreamSharesTests.randomRounds: \(parks) parked, \(resumes) taken up again")
        #expect(parks > 50 && resumes > 50, "the rounds park and take up streams")
    }
}
