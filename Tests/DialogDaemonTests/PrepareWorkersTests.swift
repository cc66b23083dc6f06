@testable import DialogDaemon
import Foundation
import Synchronization
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// The prepare threads (issue 17): `Prefetch` and `ParallelThreads` run on a few long-lived
/// threads, not one new thread per piece of work (a 100k-record `.jsonl` made 1,273 threads).
@Suite("Prepare workers")
struct PrepareWorkersTests {
    @Test("300 prefetches and 100 parallel calls run on no more threads than there are cores")
    func fixedThreads() {
        let seen = ThreadsSeen()
        let caller = threadID()
        for round in 0..<300 {
            let prefetch = Prefetch { () -> Int in
                seen.note(threadID())
                return round * 2
            }
            #expect(prefetch.wait() == round * 2)
            #expect(prefetch.wait() == nil, "taken once")
        }
        for _ in 0..<100 {
            ParallelThreads.perform(iterations: 8) { _ in
                seen.note(threadID())
                usleep(50)
            }
        }
        let others = seen.tids.subtracting([caller])
        // Kernel thread ids are not reused soon: a thread per piece of work shows as hundreds of ids.
        #expect(others.count <= ParallelThreads.width, "\(others.count) threads for 300 prefetches and 100 parallel calls")
    }

    @Test("work that waits for work it started finishes while every worker is busy")
    func nestedWaits() {
        // Each outer job starts an inner one and waits for it: with all workers taken by outer
        // jobs, the inner ones run on their waiters.
        let outers = (0..<16).map { n in
            Prefetch { () -> Int in
                let inner = Prefetch { () -> Int in
                    usleep(200)
                    return n * 10
                }
                return (inner.wait() ?? -1) + 1
            }
        }
        #expect(outers.map { $0.wait() } == (0..<16).map { Optional($0 * 10 + 1) })
    }

    @Test("a parallel call returns with every index done when no worker is free to help")
    func parallelWithBusyWorkers() {
        let release = Flag()
        // Occupy every worker until the parallel call below has returned.
        let blockers = (0..<ParallelThreads.width).map { _ in
            Prefetch { () -> Bool in
                while !release.isSet { usleep(500) }
                return true
            }
        }
        usleep(20_000)
        let counts = Counts(50)
        ParallelThreads.perform(iterations: 50) { index in counts.add(at: index) }
        #expect(counts.values == Array(repeating: 1, count: 50))
        release.set()
        #expect(blockers.allSatisfy { $0.wait() == true })
    }
}

private final class Flag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }
}

private final class Counts: Sendable {
    private let counts: Mutex<[Int]>
    init(_ n: Int) { counts = Mutex(Array(repeating: 0, count: n)) }
    func add(at index: Int) { counts.withLock { $0[index] += 1 } }
    var values: [Int] { counts.withLock { $0 } }
}

/// The kernel's id of the calling thread (`/proc/thread-self` names `PID/task/TID`).
private func threadID() -> pid_t {
    var buffer = [CChar](repeating: 0, count: 64)
    let n = readlink("/proc/thread-self", &buffer, buffer.count - 1)
    guard n > 0 else { return -1 }
    return pid_t(String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self).split(separator: "/").last ?? "") ?? -1
}

private final class ThreadsSeen: Sendable {
    private let seen = Mutex<Set<pid_t>>([])
    func note(_ tid: pid_t) { seen.withLock { _ = $0.insert(tid) } }
    var tids: Set<pid_t> { seen.withLock { $0 } }
}
