import Testing
@testable import DialogCore

/// The spool's intake order (issue 12, attack 5): droppers take turns, each dropper's files in
/// arrival order, each file once, and a batch's untaken files go back as if never taken.
@Suite("Fair intake: droppers take turns")
struct FairIntakeTests {
    /// The daemon's default `spool.batch_max_files`.
    static let batchMaxFiles = 4000

    @Test("4,000 files of one dropper, then one of another: the other's is in the first batch, however few files a batch takes")
    func backlogDoesNotStarveAnother() {
        for taken in [1, 2, 3, 10, 128, Self.batchMaxFiles] {
            var intake = FairIntake<UInt32?, String>()
            for i in 0..<4000 { intake.add("a-\(i).conv", from: 1001) }
            intake.add("b.conv", from: 1002)
            // A batch takes up to batch_max_files names and may commit after the first few (its
            // deadline, or 1,000 queued orders): the rest goes back for the next batch.
            var batches: [[String]] = []
            while !intake.isEmpty, batches.count < 3 {
                let names = intake.take(Self.batchMaxFiles)
                let done = min(taken, names.count)
                intake.putBack(names.count - done)
                batches.append(Array(names.prefix(done)))
            }
            let batch = batches.firstIndex { $0.contains("b.conv") }
            #expect(batch != nil && batch! <= 1, "batch \(String(describing: batch)) when a batch takes \(taken)")
            // The dropper with the backlog loses nothing and keeps its order.
            let a = batches.joined().filter { $0.hasPrefix("a-") }
            #expect(a == (0..<a.count).map { "a-\($0).conv" })
        }
    }

    @Test("one file of each dropper with work per round; each dropper's in arrival order")
    func roundRobin() {
        var intake = FairIntake<UInt32?, String>()
        for name in ["a1", "a2", "a3", "b1", "a4", "c1", "b2"] { intake.add(name, from: name.first.map { UInt32($0.asciiValue ?? 0) }) }
        intake.add("gone", from: nil)
        #expect(intake.count == 8 && intake.sourceCount == 4)
        #expect(intake.take(100) == ["a1", "b1", "c1", "gone", "a2", "b2", "a3", "a4"])
        #expect(intake.isEmpty && intake.sourceCount == 0)
    }

    @Test("a share per source: past it a source keeps its names and its turn; one with none left gives nothing")
    func sharePerSource() {
        var intake = FairIntake<UInt32?, String>()
        for name in ["a1", "a2", "a3", "b1", "b2"] { intake.add(name, from: name.hasPrefix("a") ? 1 : 2) }
        #expect(intake.take(4, share: { $0 == 1 ? 1 : 2 }) == ["a1", "b1", "b2"])
        #expect(intake.hasItems(share: { $0 == 1 ? 1 : 0 }) && !intake.hasItems(share: { _ in 0 }))
        #expect(intake.take(4, share: { $0 == 1 ? 0 : 5 }).isEmpty && intake.count == 2)
        // Untaken, a1's dropper kept its turn and its order; a take puts back as always.
        #expect(intake.take(1, share: { _ in 1 }) == ["a2"])
        intake.putBack(1)
        #expect(intake.take(10) == ["a2", "a3"])
    }

    @Test("each name waits once; taken, it is new work when it comes again; put back, it does not come twice")
    func exactlyOnce() {
        var intake = FairIntake<Int, String>()
        intake.add("x", from: 1)
        intake.add("x", from: 1)
        intake.add("x", from: 2)
        intake.add("y", from: 1)
        #expect(intake.count == 2)
        #expect(intake.take(1) == ["x"])
        #expect(!intake.contains("x"))
        intake.add("x", from: 1) // dropped again after being taken
        intake.putBack(1) // and the batch did not get to it
        #expect(intake.take(10) == ["y", "x"])
    }

    @Test("the same queue as a plain FIFO when there is one dropper: the spool's order before droppers took turns")
    func oneDropperIsArrivalOrder() {
        var intake = FairIntake<UInt32, String>()
        for name in ["a", "b", "a", "c"] { intake.add(name, from: 0) }
        #expect(intake.count == 3)
        #expect(intake.take(2) == ["a", "b"])
        intake.add("a", from: 0)
        intake.putBack(1)
        #expect(intake.take(10) == ["b", "c", "a"])
    }

    /// A small deterministic generator (xorshift), so a failure replays.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(bound))
        }
    }

    @Test("put back restores the queue exactly: taking n and putting back k leaves what taking n − k leaves")
    func putBackIsExact() {
        var random = Generator(state: 0x9E37_79B9_7F4A_7C15)
        for round in 0..<300 {
            var a = FairIntake<Int, Int>()
            var next = 0
            for _ in 0..<random.next(60) {
                a.add(next, from: random.next(6))
                next += 1
            }
            // Some history first, so the turns do not start at the first source.
            let first = random.next(20)
            _ = a.take(first)
            a.putBack(random.next(first + 1))
            var b = a
            let n = random.next(a.count + 2), k = random.next(n + 1)
            let taken = a.take(n)
            a.putBack(k)
            let kept = taken.count - min(k, taken.count)
            #expect(Array(taken.prefix(kept)) == b.take(kept), "round \(round)")
            #expect(a.count == b.count, "round \(round)")
            #expect(a.take(1000) == b.take(1000), "round \(round)")
        }
    }

    /// Session 9: a batch's deadline that cut after a take emptied a dropper's queue put its names
    /// back one at a time, each at the front of an array (quadratic: 100,000 names took 13.7 s against 1.3 s for their take, debug build).
    @Test("putting back a take that emptied a dropper's queue costs no more than the take, and keeps their order")
    func putBackOfEmptiedQueueIsLinear() {
        let count = 100_000
        var intake = FairIntake<UInt32, String>()
        for i in 0..<count { intake.add("a-\(i).jsonl", from: 1) }
        // Against the take of the same names on the same machine at the same moment, not a wall-clock bound.
        let clock = ContinuousClock()
        let started = clock.now
        let taken = intake.take(count)
        let took = clock.now - started
        intake.putBack(count - 1)
        let putBack = clock.now - started - took
        print("FairIntakeTests.putBackOfEmptiedQueueIsLinear: \(count) names taken in \(took), put back in \(putBack)")
        #expect(putBack < took * 4 + .milliseconds(200), "put back of \(count) names took \(putBack), their take \(took)")
        #expect(taken.count == count && intake.count == count - 1)
        #expect(intake.take(3) == ["a-1.jsonl", "a-2.jsonl", "a-3.jsonl"])
        #expect(intake.take(count) == (4..<count).map { "a-\($0).jsonl" })
    }

    /// Session 15: one source with items takes them in one piece (`takeAlone`), not a turn each.
    @Test("one dropper alone: takes, shares and put backs give exactly its queue's order, as one at a time did")
    func oneSourceTakesInOnePiece() {
        var random = Generator(state: 0x2545_F491_4F6C_DD1D)
        for round in 0..<300 {
            var intake = FairIntake<UInt32?, Int>()
            var model: [Int] = []  // the one dropper's queue, front first
            var next = 0
            for _ in 0..<20 {
                switch random.next(3) {
                case 0:
                    for _ in 0..<random.next(50) {
                        intake.add(next, from: 7)
                        model.append(next)
                        next += 1
                    }
                default:
                    let limit = random.next(40), share = random.next(40)
                    let taken = intake.take(limit, share: { $0 == 7 ? share : 0 })
                    let expected = Array(model.prefix(min(limit, share)))
                    #expect(taken == expected, "round \(round)")
                    model.removeFirst(expected.count)
                    let back = random.next(taken.count + 1)
                    intake.putBack(back)
                    model.insert(contentsOf: taken.suffix(back), at: 0)
                }
                #expect(intake.count == model.count && intake.sourceCount == (model.isEmpty ? 0 : 1), "round \(round)")
            }
            // Another dropper arriving later gets the next turn after this one's, as before.
            intake.add(-1, from: 8)
            let mixed = intake.take(3)
            #expect(mixed == (model.isEmpty ? [-1] : [model[0], -1] + model.dropFirst().prefix(1)), "round \(round)")
        }
    }

    @Test("many droppers with one file each: arrival order; the cost is the waiting names, none left once taken")
    func manySources() {
        var intake = FairIntake<UInt32, String>()
        for i in 0..<10_000 { intake.add("f\(i)", from: UInt32(i)) }
        #expect(intake.sourceCount == 10_000)
        var all: [String] = []
        while !intake.isEmpty {
            let names = intake.take(300)
            intake.putBack(100)
            all += names.prefix(names.count - min(100, names.count))
            if names.count <= 100 { all += intake.take(100) }
        }
        #expect(all == (0..<10_000).map { "f\($0)" })
        #expect(intake.sourceCount == 0 && intake.count == 0)
    }
}
