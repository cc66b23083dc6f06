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
    static let backlogOwner: UInt32 = 1001, otherOwner: UInt32 = 1002
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
        let large = 4, records = 30_000
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
}
