@testable import DialogDaemon
import Foundation
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// The spool's building blocks on a real directory: the file reader's refusals, the
/// janitor's retention, collision-free moves and the pending queue.
@Suite("Spool parts")
struct SpoolPartsTests {
    @Test("the janitor removes stale tmp/ entries and expired originals, and nothing else")
    func janitorRetention() throws {
        let dir = TestDirectory("janitor")
        let spool = try SpoolDirectory(path: dir.sub("spool"))
        dir.write("spool/tmp/abandoned.conv", "x")
        dir.write("spool/tmp/.writer-temp", "x")
        dir.write("spool/tmp/fresh.conv", "x")
        dir.write("spool/cur/archived.conv", "x")
        mkdir(dir.sub("spool/cur/a-directory"), 0o755)
        let now = Int64(Date().timeIntervalSince1970)
        for name in ["abandoned.conv", ".writer-temp"] {
            var times = [timespec(tv_sec: Int(now - 37 * 3600), tv_nsec: 0), timespec(tv_sec: Int(now - 37 * 3600), tv_nsec: 0)]
            #expect(utimensat(AT_FDCWD, dir.sub("spool/tmp/\(name)"), &times, 0) == 0)
        }
        let janitor = SpoolJanitor(tmpMaxAgeHours: 36, archiveDays: 30)
        let today = janitor.sweep(spool, now: now, log: Logger(level: .error))
        #expect(today.tmp == 2 && today.cur == 0)
        #expect(dir.list("spool/tmp") == ["fresh.conv"])
        #expect(dir.list("spool/cur") == ["a-directory", "archived.conv"])
        // 31 days on, the original's ingest time (its ctime) is past archive_days.
        let later = janitor.sweep(spool, now: now + 31 * 86_400, log: Logger(level: .error))
        #expect(later.cur == 1)
        #expect(dir.list("spool/cur") == ["a-directory"], "a directory planted in cur/ is left for the admin")
    }

    @Test("a reason or rejects file a crash left without its file is reused, not doubled; a real one is not overwritten")
    func quarantineNameAfterCrash() throws {
        let dir = TestDirectory("qname")
        let spool = try SpoolDirectory(path: dir.sub("spool"))
        let reason = Array("bad.conv: no date\n".utf8)
        #expect(spool.quarantineName(for: "bad.conv", companion: ".reason", content: reason) == "bad.conv")
        // The crash came after the reason file, before the move: same content, no file beside it.
        dir.write("spool/quarantine/bad.conv.reason", reason)
        #expect(spool.quarantineName(for: "bad.conv", companion: ".reason", content: reason) == "bad.conv")
        // Another file of that name with another problem gets a name of its own.
        #expect(spool.quarantineName(for: "bad.conv", companion: ".reason", content: Array("bad.conv: other\n".utf8)) == "bad.conv.1")
        // Once the first one is really quarantined, a second drop never overwrites it.
        dir.write("spool/quarantine/bad.conv", "Employee: a\n\nx\n")
        #expect(spool.quarantineName(for: "bad.conv", companion: ".reason", content: reason) == "bad.conv.1")
        let rejects = Array("{\"line\":2}\n".utf8)
        dir.write("spool/quarantine/m.jsonl.rejects.jsonl", rejects)
        #expect(spool.quarantineName(for: "m.jsonl", companion: ".rejects.jsonl", content: rejects) == "m.jsonl")
        #expect(spool.quarantineName(for: "m.jsonl", companion: ".rejects.jsonl", content: Array("{\"line\":3}\n".utf8)) == "m.jsonl.1")
    }

    @Test("the reader refuses what the protocol forbids, before reading a byte")
    func readerRefusals() throws {
        let dir = TestDirectory("reader")
        let spool = try SpoolDirectory(path: dir.sub("spool"))
        dir.write("spool/new/ok.conv", "hello")
        dir.write("outside.conv", "secret")
        symlink(dir.sub("outside.conv"), dir.sub("spool/new/link.conv"))
        link(dir.sub("outside.conv"), dir.sub("spool/new/hard.conv"))
        mkfifo(dir.sub("spool/new/pipe.conv"), 0o644)
        dir.write("spool/new/big.conv", String(repeating: "x", count: 101))
        let fd = spool.fd(.new)
        func outcome(_ name: String) -> String {
            switch SpoolFileReader.open(name, directory: fd) {
            case .file(let file):
                switch file.readAll(limit: 100, limitName: "spool.max_file_bytes") {
                case .bytes(let bytes): return "bytes:\(bytes.count)"
                case .refused(let reason), .busy(let reason): return reason
                }
            case .vanished: return "vanished"
            case .refused(let reason), .busy(let reason): return reason
            }
        }
        #expect(outcome("ok.conv") == "bytes:5")
        #expect(outcome("missing.conv") == "vanished")
        #expect(outcome("link.conv").contains("symbolic link"))
        #expect(outcome("hard.conv").contains("2 hard links"))
        #expect(outcome("pipe.conv").contains("FIFO"))
        #expect(outcome("big.conv").contains("101 bytes; the limit is 100"))
    }

    @Test("moves never overwrite: a second NAME is archived as NAME.1, then NAME.2")
    func collisionFreeMoves() throws {
        let dir = TestDirectory("moves")
        let spool = try SpoolDirectory(path: dir.sub("spool"))
        for round in 0..<3 {
            dir.write("spool/new/a.conv", "round \(round)")
            _ = try spool.move("a.conv", from: .new, to: .cur)
        }
        #expect(dir.list("spool/cur") == ["a.conv", "a.conv.1", "a.conv.2"])
        #expect(dir.read("spool/cur/a.conv") == "round 0")
        #expect(dir.read("spool/cur/a.conv.2") == "round 2")
    }

    @Test("pending files keep arrival order, hold each name once, and can be put back")
    func pendingQueue() {
        var pending = PendingFiles()
        pending.add(contentsOf: ["a", "b", "a", "c"])
        #expect(pending.count == 3)
        let first = pending.take(2)
        #expect(first.map(\.name) == ["a", "b"])
        pending.add("a") // arrived again after being taken: new work
        pending.putBack(1) // "b" was not done
        #expect(pending.take(10).map(\.name) == ["b", "c", "a"])
        #expect(pending.isEmpty)
    }

    /// Session 15: a listing this large is looked at on all cores (`ParallelThreads.map`).
    @Test("a large listing of new/ is queued in the order the files came (ctime, then name), each with its size; a name gone is last")
    func largeListingLookedAtInOrder() throws {
        let dir = TestDirectory("pending-large-listing")
        let spool = try SpoolDirectory(path: dir.sub("spool"))
        let names = (0..<3000).map { "f\($0).conv" }
        for (i, name) in names.enumerated() { dir.write("spool/new/\(name)", String(repeating: "x", count: i % 7 + 1)) }
        var pending = PendingFiles(look: { [spool] in spool.look(at: $0, in: .new) })
        pending.add(listed: names.reversed() + ["gone.conv"])
        let looked = names.map { (name: $0, seen: spool.look(at: $0, in: .new)) }
        let expected = looked.sorted { a, b in
            a.seen?.came != b.seen?.came ? (a.seen?.came ?? .init(seconds: 0, nanoseconds: 0)) < (b.seen?.came ?? .init(seconds: 0, nanoseconds: 0)) : a.name < b.name
        }.map { QueuedName(name: $0.name, size: $0.seen?.size) }
        #expect(expected.count == 3000 && expected.allSatisfy { $0.size != nil })
        // The name gone has no owner: a dropper of its own, whose turn comes second.
        let taken = pending.take(5000)
        let others = taken.filter { $0.name != "gone.conv" }
        let firstDifference = zip(others, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(others.count == expected.count && firstDifference == nil, "first difference at \(String(describing: firstDifference))")
        #expect(taken.count == 3001 && taken[1] == QueuedName(name: "gone.conv"))
    }

    @Test("pending files are taken in turns between droppers, as the owner of each entry in new/ says")
    func pendingTurnsByOwner() throws {
        let dir = TestDirectory("pending-owners")
        let spool = try SpoolDirectory(path: dir.sub("spool"))
        // The owner the queue reads is the directory entry's: stand-ins here, chown needs root.
        let owners = ["a1": UInt32(1001), "a2": 1001, "a3": 1001, "b1": 1002]
        for name in owners.keys.sorted() { dir.write("spool/new/\(name)", "x") }
        var pending = PendingFiles(look: { name in spool.look(at: name, in: .new).map { .init(owner: owners[name] ?? 0, size: $0.size) } })
        pending.add(contentsOf: ["a1", "a2", "a3", "b1", "vanished"])
        #expect(pending.take(3) == [.init(name: "a1", size: 1), .init(name: "b1", size: 1), .init(name: "vanished")], "one look: owner and size")
        #expect(pending.take(3).map(\.name) == ["a2", "a3"])
        #expect(spool.owner(of: "a1", in: .new) == getuid())
        #expect(spool.owner(of: "vanished", in: .new) == nil)
    }

    /// Opens `name` in `new/` as the spool does.
    static func taken(_ name: String, _ spool: SpoolDirectory) throws -> SpoolFile {
        guard case .file(let file) = SpoolFileReader.open(name, directory: spool.fd(.new)) else {
            throw SpoolTestError.notOpened(name)
        }
        return file
    }

    enum SpoolTestError: Error { case notOpened(String) }

    @Test("a spool file is its bytes when taken: read that far only, and refused as changed once appended, cut or rewritten")
    func readsTakenSizeOnly() throws {
        let dir = TestDirectory("taken")
        let spool = try SpoolDirectory(path: dir.sub("spool"))
        var buffer = [UInt8](repeating: 0, count: 4096)
        func fill(_ cursor: inout SpoolFileCursor) -> Int { buffer.withUnsafeMutableBytes { cursor.fill($0) } }
        func writer(_ name: String) -> Int32 { open(dir.sub("spool/new/\(name)"), O_WRONLY | O_APPEND) }

        // Unchanged: exactly its size, then the end.
        dir.write("spool/new/same.jsonl", String(repeating: "x", count: 10_000))
        var same = SpoolFileCursor(try Self.taken("same.jsonl", spool))
        let counts: [Int] = [fill(&same), fill(&same), fill(&same), fill(&same)]
        #expect(counts == [4096, 4096, 1808, 0])
        #expect(same.problem == nil)

        // Appended after it was taken: the next read fails, as a refusal naming both sizes.
        dir.write("spool/new/grows.jsonl", String(repeating: "x", count: 10_000))
        var grows = SpoolFileCursor(try Self.taken("grows.jsonl", spool))
        #expect(fill(&grows) == 4096)
        let fd = writer("grows.jsonl")
        #expect(write(fd, "more\n", 5) == 5)
        #expect(fill(&grows) == -1)
        #expect(grows.problem?.busy == false)
        #expect(grows.problem?.text.hasPrefix("changed while being read: it was 10000 bytes when taken and is 10005 bytes now") == true,
                "\(grows.problem?.text ?? "no problem")")
        #expect(grows.offset == 4096)

        close(fd)

        // The whole-file read: an unchanged file whole; one appended to after it was taken refused.
        let small = try Self.taken("same.jsonl", spool)
        if case .bytes(let bytes) = small.readAll(limit: 1 << 20, limitName: "spool.max_file_bytes") { #expect(bytes.count == 10_000) } else {
            Issue.record("an unchanged file was not read whole")
        }
        dir.write("spool/new/late.conv", "Employee: a\n\nhello\n")
        let late = try Self.taken("late.conv", spool)
        let lateWriter = writer("late.conv")
        #expect(write(lateWriter, "appended\n", 9) == 9)
        close(lateWriter)
        switch late.readAll(limit: 1 << 20, limitName: "spool.max_file_bytes") {
        case .refused(let reason): #expect(reason.contains("changed while being read"), "\(reason)")
        default: Issue.record("a file appended to after it was taken was not refused")
        }

        // Cut short after it was taken: refused too.
        dir.write("spool/new/cut.jsonl", String(repeating: "x", count: 10_000))
        var cut = SpoolFileCursor(try Self.taken("cut.jsonl", spool))
        #expect(fill(&cut) == 4096)
        #expect(truncate(dir.sub("spool/new/cut.jsonl"), 5000) == 0)
        #expect(fill(&cut) == -1)
        #expect(cut.problem?.text.contains("is 5000 bytes now") == true)

        // Rewritten in place, same size: its modification time gives it away.
        dir.write("spool/new/rewritten.jsonl", String(repeating: "x", count: 10_000))
        var rewritten = SpoolFileCursor(try Self.taken("rewritten.jsonl", spool))
        #expect(fill(&rewritten) == 4096)
        var times = [timespec(tv_sec: 1_000_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000_000, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, dir.sub("spool/new/rewritten.jsonl"), &times, 0) == 0)
        #expect(fill(&rewritten) == -1)
        #expect(rewritten.problem?.text.contains("was written to") == true)
    }

    @Test("ParallelThreads calls every index once, on several threads, and returns after the last")
    func parallelThreadsCoverEveryIndex() {
        let count = 1_000
        let slots = UnsafeMutableBufferPointer<Int>.allocate(capacity: count)
        slots.initialize(repeating: 0)
        defer { slots.deallocate() }
        let box = SlotBox(slots: slots)
        ParallelThreads.perform(iterations: count) { index in
            box.slots[index] += index + 1
            box.threads[index] = UInt(pthread_self())
            usleep(100)
        }
        #expect(Array(slots) == (1...count).map { $0 })
        #expect(ParallelThreads.width < 2 || Set(box.threads).count > 1, "all on one thread")
        ParallelThreads.perform(iterations: 0) { _ in Issue.record("called for no iterations") }
    }
}

/// Distinct slots per index, written by one iteration each and read after `perform` returned.
private final class SlotBox: @unchecked Sendable {
    let slots: UnsafeMutableBufferPointer<Int>
    let threads: UnsafeMutableBufferPointer<UInt>
    init(slots: UnsafeMutableBufferPointer<Int>) {
        self.slots = slots
        threads = .allocate(capacity: slots.count)
        threads.initialize(repeating: 0)
    }
    deinit { threads.deallocate() }
}
