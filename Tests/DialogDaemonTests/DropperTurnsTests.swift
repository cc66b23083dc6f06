import DialogCore
import DialogStore
import Foundation
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Attack 5's last finding (issue 12): a dropper with a backlog of expensive files made another
/// dropper's one-line file wait 14.67 s (release), because files were taken in arrival order and
/// the whole backlog was ahead of it. Droppers now take turns by the owner of the file in `new/`.
/// Real daemon, spool and store; the files get two owners with chown, so the suite needs root
/// (CI runs as root; `FairIntakeTests` proves the order itself without it).
@Suite("Droppers take turns: one dropper's backlog does not hold another's file", .serialized,
       .enabled(if: getuid() == 0, "needs root to give the dropped files two owners (chown); FairIntakeTests proves the intake order without"))
struct DropperTurnsTests {
    static let backlogOwner: UInt32 = 1001, otherOwner: UInt32 = 1002, thirdOwner: UInt32 = 1003
    static let batchMaxFiles = 50

    static func conv(_ who: String, _ i: Int) -> String {
        "Date: \(isoDate(-600 - i))\nEmployee: \(who)\n\n\(who) \(i)\n"
    }

    /// Writes `name` into tmp/ as dropper `owner` would have.
    static func write(_ dir: TestDirectory, _ name: String, owner: UInt32, _ text: String) {
        dir.write("spool/tmp/\(name)", text)
        chown(dir.sub("spool/tmp/\(name)"), owner, 0)
        chmod(dir.sub("spool/tmp/\(name)"), 0o640)
    }

    static func publish(_ dir: TestDirectory, _ name: String) {
        rename(dir.sub("spool/tmp/\(name)"), dir.sub("spool/new/\(name)"))
    }

    /// The files in the order the store took them (`ingested_files` rows are written in their batch's order).
    static func intakeOrder(_ databasePath: String) throws -> [String] {
        try ConversationStore(path: databasePath).database.fetchAll("SELECT name FROM ingested_files ORDER BY id") { $0[0] as String }
    }

    @Test("2,000 files of one dropper, then one of another, both arrived while the loop was busy: the other's is in the first or second batch; each file once, the backlog in its order")
    func backlogDoesNotHoldAnother() throws {
        let dir = TestDirectory("dropper-turns")
        let daemon = try DaemonProcess(directory: dir, settings: ["spool.batch_max_files": "\(Self.batchMaxFiles)"]).start()
        defer { daemon.stop() }
        let backlog = 2000
        for i in 0..<backlog { Self.write(dir, "a-\(i).conv", owner: Self.backlogOwner, Self.conv("a", i)) }
        Self.write(dir, "b.conv", owner: Self.otherOwner, Self.conv("b", 0))
        // While the loop is held, every arrival queues up in inotify: the whole backlog ahead of b.conv,
        // as when a batch of the backlog is being stored.
        kill(daemon.pid, SIGSTOP)
        for i in 0..<backlog { Self.publish(dir, "a-\(i).conv") }
        Self.publish(dir, "b.conv")
        kill(daemon.pid, SIGCONT)
        #expect(daemon.drained(300), "left in new/: \(dir.list("spool/new").count)")
        #expect(daemon.stop() == 0)

        let order = try Self.intakeOrder(daemon.databasePath)
        #expect(order.count == backlog + 1 && Set(order).count == backlog + 1, "each file once: \(order.count)")
        let rank = order.firstIndex(of: "b.conv") ?? Int.max
        print("DropperTurnsTests.backlogDoesNotHoldAnother: b.conv was file \(rank + 1) of \(order.count) taken")
        #expect(rank < 2 * Self.batchMaxFiles, "b.conv waited for \(rank) files of the backlog")
        #expect(order.filter { $0.hasPrefix("a-") } == (0..<backlog).map { "a-\($0).conv" }, "the backlog keeps its arrival order")
        #expect(try ConversationStore(path: daemon.databasePath).conversationCount() == backlog + 1)
    }

    @Test("the start-up scan takes turns as well: a file of another dropper among 1,000 planted ones is in the first or second batch")
    func startupScanTakesTurns() throws {
        let dir = TestDirectory("dropper-turns-start")
        let backlog = 1000
        dir.makeDirectory("spool/new")
        for i in 0..<backlog {
            Self.write(dir, "a-\(i).conv", owner: Self.backlogOwner, Self.conv("a", i))
            Self.publish(dir, "a-\(i).conv")
        }
        // Several of the other dropper's: wherever the directory lists them, each is in an early batch.
        for i in 0..<3 {
            Self.write(dir, "b-\(i).conv", owner: Self.otherOwner, Self.conv("b", i))
            Self.publish(dir, "b-\(i).conv")
        }
        let daemon = try DaemonProcess(directory: dir, settings: ["spool.batch_max_files": "\(Self.batchMaxFiles)"]).start()
        defer { daemon.stop() }
        #expect(daemon.drained(300), "left in new/: \(dir.list("spool/new").count)")
        #expect(daemon.stop() == 0)
        let order = try Self.intakeOrder(daemon.databasePath)
        #expect(order.count == backlog + 3 && Set(order).count == backlog + 3)
        let ranks = (0..<3).map { order.firstIndex(of: "b-\($0).conv") ?? Int.max }
        #expect(ranks.allSatisfy { $0 < 2 * Self.batchMaxFiles }, "\(ranks)")
    }

    /// `count` `.jsonl` records of dropper `who`, one line each (over 64 KiB from ~700: streamed).
    static func jsonl(_ who: String, _ count: Int) -> String {
        let date = isoDate(-600)
        return (0..<count).map { "{\"id\": \"\(who)-\($0)\", \"date\": \"\(date)\", \"employee\": \"\(who)\", \"text\": \"\(who) text \($0)\"}\n" }.joined()
    }

    /// Attack 6, finding 1 (issue 12): one dropper's four large files took all four stream places,
    /// and another dropper's streamed file waited until one of them ended (780 s). A dropper now
    /// holds at most half the places, so the other's file starts within a turn and, being small, ends first.
    @Test("one dropper's four large streamed files, then another dropper's small streamed file: the small one is stored while all four are still streaming")
    func largeFilesLeaveAPlace() throws {
        let dir = TestDirectory("dropper-turns-streams")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        let large = 4, records = Self.streamingRecords
        for i in 0..<large { Self.write(dir, "a-\(i).jsonl", owner: Self.backlogOwner, Self.jsonl("a\(i)", records)) }
        let small = Self.jsonl("b", 1000)
        #expect(small.utf8.count > 64 * 1024, "b.jsonl must be large enough to be streamed")
        Self.write(dir, "b.jsonl", owner: Self.otherOwner, small)
        for i in 0..<large { Self.publish(dir, "a-\(i).jsonl") }
        // A's files are streaming (as many as it may hold) before b.jsonl arrives.
        #expect(waitUntil(60) { daemon.log.components(separatedBy: "spool: storing a-").count - 1 >= 2 }, "A's large files did not start")
        Self.publish(dir, "b.jsonl")
        #expect(daemon.drained(600), "left in new/: \(dir.list("spool/new"))")
        #expect(daemon.stop() == 0)

        let order = try Self.intakeOrder(daemon.databasePath)
        print("DropperTurnsTests.largeFilesLeaveAPlace: files ended in the order \(order)")
        #expect(order.count == large + 1 && Set(order).count == large + 1, "each file once: \(order)")
        #expect(order.first == "b.jsonl", "b.jsonl waited for a large file of A to end: \(order)")
        #expect(try ConversationStore(path: daemon.databasePath).conversationCount() == large * records + 1000)
    }

    /// The large files the daemon started, in the order it started them (its "spool: storing NAME (N bytes)" lines).
    static func started(_ log: String) -> [String] {
        log.split(separator: "\n").compactMap { line in
            guard let at = line.range(of: "spool: storing "), line.contains(" bytes) in slices") else { return nil }
            return line[at.upperBound...].components(separatedBy: " (").first
        }
    }

    /// Drops `owner`'s PREFIX-0.jsonl and PREFIX-1.jsonl of `records` records each and waits until
    /// both stream (the daemon has started `before` large files until then).
    static func twoStreaming(_ dir: TestDirectory, _ daemon: DaemonProcess, _ prefix: String, owner: UInt32, records: Int, before: Int = 0,
                             written: Bool = false) {
        if !written { writeTwo(dir, prefix, owner: owner, records: records) }
        for i in 0..<2 { Self.publish(dir, "\(prefix)-\(i).jsonl") }
        #expect(waitUntil(60) { Self.started(daemon.log).count >= before + 2 }, "\(prefix)'s large files did not start")
    }

    /// Records of a file that must still be streaming when the next dropper's file arrives: more
    /// than two slices' (`StreamedFileIngest.commitRecords`, 50,000), so it spans three commits
    /// however fast the machine. 30,000 ended inside one slice on a fast run (session 16), before
    /// B's files started, and C's file then found a free place instead of a parked one.
    static let streamingRecords = 2 * 50_000 + 10_000

    static func writeTwo(_ dir: TestDirectory, _ prefix: String, owner: UInt32, records: Int) {
        for i in 0..<2 { Self.write(dir, "\(prefix)-\(i).jsonl", owner: owner, Self.jsonl("\(prefix)\(i)", records)) }
    }

    /// Attack 7's set-up: droppers A and B stream two files of `records` records each (A's first);
    /// dropper C's c.jsonl of `third` records is written in tmp/, for the test to publish. Every
    /// file is written before the first is published: writing B's while A's streamed let A's end
    /// first on a fast machine (session 15), and then C's file found a free place, not a parked one.
    static func fourStreaming(_ name: String, records: Int, third: Int) throws -> (TestDirectory, DaemonProcess) {
        let dir = TestDirectory(name)
        Self.write(dir, "c.jsonl", owner: Self.thirdOwner, Self.jsonl("c", third))
        writeTwo(dir, "a", owner: Self.backlogOwner, records: records)
        writeTwo(dir, "b", owner: Self.otherOwner, records: records)
        let daemon = try DaemonProcess(directory: dir).start()
        twoStreaming(dir, daemon, "a", owner: Self.backlogOwner, records: records, written: true)
        twoStreaming(dir, daemon, "b", owner: Self.otherOwner, records: records, before: 2, written: true)
        return (dir, daemon)
    }

    /// Attack 7, first finding (issue 12): with droppers A and B holding two places each, dropper
    /// C's large file waited until one of their files ended (13.1–13.5 s). The share is now a
    /// reservation: B's newest stream parks at a commit boundary (its file stays open where it
    /// was) and C's file takes its place, so, being small, it ends first.
    @Test("attack 7: droppers A and B hold two stream places each with 110,000-record files; dropper C's large file is stored before any of their four")
    func shareIsAReservation() throws {
        let records = Self.streamingRecords
        let (dir, daemon) = try Self.fourStreaming("dropper-turns-reserved", records: records, third: 3000)
        defer { daemon.stop() }
        let dropped = Date()
        Self.publish(dir, "c.jsonl")
        #expect(waitUntil(600) { Self.started(daemon.log).contains("c.jsonl") }, "c.jsonl was not started")
        let start = Date().timeIntervalSince(dropped)
        #expect(waitUntil(600) { dir.list("spool/cur").contains("c.jsonl") }, "c.jsonl was not stored")
        let stored = Date().timeIntervalSince(dropped)
        #expect(daemon.drained(600), "left in new/: \(dir.list("spool/new"))")
        #expect(daemon.stop() == 0)

        print("DropperTurnsTests.shareIsAReservation: c.jsonl started \(start) s and in cur/ \(stored) s after it was dropped")
        let order = try Self.intakeOrder(daemon.databasePath)
        print("DropperTurnsTests.shareIsAReservation: files ended in the order \(order); started \(Self.started(daemon.log))")
        #expect(order.count == 5 && Set(order).count == 5, "each file once: \(order)")
        #expect(order.first == "c.jsonl", "c.jsonl waited for a large file of A or B to end: \(order)")
        #expect(daemon.log.contains("spool: parked "), "no stream was parked")
        #expect(try ConversationStore(path: daemon.databasePath).conversationCount() == 4 * records + 3000)
    }

    /// Attack 7, second finding (issue 12): A's large files met while its two places were busy
    /// were started after its later ones (a-med0, a-med1 after a-med2…a-med59): a batch opened the
    /// first it met for the free places whoever's they were, queued the rest, and then queued those
    /// first ones behind them. A large file now starts only if its dropper claims a place.
    @Test("attack 7: one dropper's eight large files dropped while its two places are busy start in the order they came")
    func ownLargeFilesStartInOrder() throws {
        let dir = TestDirectory("dropper-turns-own-order"), medium = 8
        for i in 0..<medium { Self.write(dir, "m-\(i).jsonl", owner: Self.backlogOwner, Self.jsonl("m\(i)", 1000)) }
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        Self.twoStreaming(dir, daemon, "a", owner: Self.backlogOwner, records: Self.streamingRecords)
        // All eight arrive together (one batch meets them), as in attack 7.
        kill(daemon.pid, SIGSTOP)
        for i in 0..<medium { Self.publish(dir, "m-\(i).jsonl") }
        kill(daemon.pid, SIGCONT)
        #expect(daemon.drained(600), "left in new/: \(dir.list("spool/new"))")
        #expect(daemon.stop() == 0)

        let started = Self.started(daemon.log)
        print("DropperTurnsTests.ownLargeFilesStartInOrder: started \(started)")
        #expect(started.filter { $0.hasPrefix("m-") } == (0..<medium).map { "m-\($0).jsonl" }, "A's files started out of their order")
        #expect(try ConversationStore(path: daemon.databasePath).conversationCount() == 2 * Self.streamingRecords + medium * 1000)
    }

    /// The names of `path` in the order the directory lists them (`readdir`, as the daemon's scan sees them).
    static func directoryOrder(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) { $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) } }
            if !name.hasPrefix(".") { names.append(name) }
        }
        return names
    }

    /// Session 9: after a restart a dropper's large files waiting in `new/` started in the order the
    /// directory lists them (a2 before a1). The start-up scan now queues them as they came (ctime, then name).
    @Test("at start, one dropper's large files waiting in new/ start in the order they came, not in the directory's order")
    func waitingLargeFilesStartInOrderAfterRestart() throws {
        let dir = TestDirectory("dropper-turns-restart-order"), count = 6
        dir.makeDirectory("spool/new")
        for i in 0..<count { Self.write(dir, "m-\(i).jsonl", owner: Self.backlogOwner, Self.jsonl("m\(i)", 1000)) }
        // They come in the reverse of the order the file system lists their names (ext4: hash
        // order, the same in tmp/ and new/), a few ms apart so their ctimes differ.
        let came = Array(Self.directoryOrder(dir.sub("spool/tmp")).reversed())
        for name in came {
            Self.publish(dir, name)
            usleep(20_000)
        }
        let listed = Self.directoryOrder(dir.sub("spool/new"))
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        #expect(daemon.drained(300), "left in new/: \(dir.list("spool/new"))")
        #expect(daemon.stop() == 0)

        let started = Self.started(daemon.log)
        print("DropperTurnsTests.waitingLargeFilesStartInOrderAfterRestart: came \(came), listed \(listed), started \(started)")
        #expect(came.count == count && Set(came).count == count)
        #expect(started == came, "the files did not start in the order they came (new/ lists them as \(listed))")
        #expect(try ConversationStore(path: daemon.databasePath).conversationCount() == count * 1000)
    }

    /// A parked stream has committed what it read: SIGTERM leaves its file in `new/`, and the next
    /// start goes on with it, every record once.
    @Test("SIGTERM while a stream is parked: its file stays in new/, and after the restart every record of the five files is stored once")
    func parkedAtExit() throws {
        let records = Self.streamingRecords
        let (dir, daemon) = try Self.fourStreaming("dropper-turns-parked-exit", records: records, third: records)
        defer { daemon.stop() }
        Self.publish(dir, "c.jsonl")
        #expect(waitUntil(120) { daemon.log.contains("spool: parked ") }, "no stream was parked")
        #expect(daemon.stop() == 0)
        let parked = daemon.log.components(separatedBy: "spool: parked ").last?.components(separatedBy: " ").first ?? "?"
        let resumed = daemon.log.contains("spool: storing \(parked) again")
        print("DropperTurnsTests.parkedAtExit: \(parked) parked at exit: \(!resumed); in new/: \(dir.list("spool/new").sorted())")
        #expect(daemon.log.contains("spool: \(parked) was being stored at exit; what was read is committed"))

        try daemon.start()
        #expect(daemon.drained(600), "left in new/: \(dir.list("spool/new"))")
        #expect(daemon.stop() == 0)
        let order = try Self.intakeOrder(daemon.databasePath)
        #expect(order.count == 5 && Set(order).count == 5, "each file once: \(order)")
        let store = try ConversationStore(path: daemon.databasePath)
        #expect(try store.conversationCount() == 5 * records)
        let counted = try store.database.fetchOne("SELECT sum(stored), sum(duplicates) FROM ingested_files") { [$0[0] as Int64, $0[1] as Int64] }
        #expect(counted == [Int64(5 * records), 0], "ingested_files counts every record once")
    }
}
