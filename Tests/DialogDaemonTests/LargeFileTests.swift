import DialogCore
import DialogStore
import Foundation
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// A large `.jsonl`/`.csv` is stored over several loop turns in one transaction (docs/spool.md
/// "large files"): a crash half-way stores it again whole, a refusal half-way leaves nothing of
/// it in the store or the model.
@Suite("Large streamed files over loop turns", .serialized)
struct LargeFileTests {
    static func lines(_ count: Int, prefix: String, extra: String = "") -> String {
        let date = isoDate(-600)
        var text = ""
        text.reserveCapacity(count * 100)
        for i in 0..<count {
            text += "{\"id\": \"\(prefix)-\(i)\", \"date\": \"\(date)\", \"employee\": \"e\", \"text\": \"\(prefix) text \(i)\"\(extra)}\n"
        }
        return text
    }

    /// The daemon is SIGKILLed while the file is half stored (its transaction open): after the
    /// restart every record is there once, counted once as stored and never as a duplicate, and
    /// the file has one line in `ingested_files`.
    @Test("SIGKILL half-way through a 30,000-record .jsonl: after restart every record once, counts exact")
    func sigkillMidFile() throws {
        let dir = TestDirectory("large-crash")
        let daemon = DaemonProcess(directory: dir, settings: ["log.level": "info"])
        try daemon.start()
        daemon.drop("small.conv", "Date: \(isoDate(-600))\nEmployee: b\n\nbefore the big one\n")
        #expect(daemon.drained())
        daemon.drop("big.jsonl", Self.lines(30_000, prefix: "big"))
        #expect(waitUntil(30) { daemon.log.contains("storing big.jsonl") }, "the large file was not started")
        usleep(300_000)
        #expect(dir.list("spool/new").contains("big.jsonl"), "the file was stored before the kill; the test proves nothing")
        daemon.crash()
        // Nothing of the file is committed: its transaction was open.
        #expect(try ConversationStore(path: daemon.databasePath).conversationCount() == 1)

        try daemon.start()
        #expect(daemon.drained(180), "new/ not drained; log tail:\n\(daemon.log.suffix(2000))")
        let status = try daemon.ctlJSON(StatusResult.self, "status")
        #expect(status.recordsStored == 30_000)
        #expect(status.recordsDuplicate == 0)
        #expect(status.filesArchived == 1 && status.filesQuarantined == 0)
        #expect(daemon.stop() == 0)
        let store = try ConversationStore(path: daemon.databasePath)
        #expect(try store.conversationCount() == 30_001)
        let row = try store.database.fetchOne("SELECT count(*), sum(stored), sum(duplicates) FROM ingested_files WHERE name = 'big.jsonl'") {
            [$0[0] as Int64, $0[1] as Int64? ?? -1, $0[2] as Int64? ?? -1]
        }
        #expect(row == [1, 30_000, 0])
        #expect(try store.integrityCheck() == "ok")
        #expect(dir.list("spool/cur").sorted() == ["big.jsonl", "small.conv"])
    }

    /// A NUL byte near the end refuses the file as a whole after thousands of its records went
    /// in: they are rolled back, and the model forgets what they taught it (it is reloaded from
    /// the store) — before, the model kept a department no stored record has.
    @Test("a large .jsonl refused near its end leaves no record and nothing learned")
    func refusedHalfWay() throws {
        let dir = TestDirectory("large-refused")
        let daemon = DaemonProcess(directory: dir, settings: ["log.level": "info", "department.zoo.hourly_cost": "45.00",
                                                              "department.sales.hourly_cost": "45.00", "department.service.hourly_cost": "45.00"])
        try daemon.start()
        var train = ""
        for round in 0..<3 {
            for (i, t) in ClassificationCommandTests.sales.enumerated() { train += ClassificationCommandTests.record(id: "s\(round)-\(i)", text: t, department: "sales") }
            for (i, t) in ClassificationCommandTests.service.enumerated() { train += ClassificationCommandTests.record(id: "v\(round)-\(i)", text: t, department: "service") }
        }
        daemon.drop("train.jsonl", train)
        #expect(daemon.drained())
        var text = ""
        for i in 0..<20_000 { text += ClassificationCommandTests.record(id: "z-\(i)", text: "zebra giraffe okapi \(i)", department: "zoo") }
        daemon.drop("zoo.jsonl", text + "{\"id\": \"nul\", \"text\": \"\u{0}\"}\n")
        #expect(waitUntil(120) { dir.list("spool/quarantine").contains("zoo.jsonl") }, "not quarantined; log tail:\n\(daemon.log.suffix(2000))")
        #expect((dir.read("spool/quarantine/zoo.jsonl.reason") ?? "").contains("NUL"))
        let r = try daemon.ctlJSON(ClassifyResult.self, "classify", "zebra giraffe okapi")
        #expect(r.department.label != "zoo", "the model learned records of a refused file: \(r.department)")
        let status = try daemon.ctlJSON(StatusResult.self, "status")
        #expect(status.conversations == 36 && status.recordsStored == 36)
        #expect(daemon.stop() == 0)
        #expect(try ConversationStore(path: daemon.databasePath).conversationCount() == 36)
    }

    /// A `.json` over 64 KiB is inserted record by record in a savepoint; an array broken at
    /// its end refuses it after its records went in. The savepoint undid them, and the model
    /// must forget them too (before, it unlearned only amends).
    @Test("a large .json broken at its end leaves nothing learned")
    func refusedJSONHalfWay() throws {
        let dir = TestDirectory("large-json-refused")
        let daemon = DaemonProcess(directory: dir, settings: ["log.level": "info", "department.zoo.hourly_cost": "45.00",
                                                              "department.sales.hourly_cost": "45.00", "department.service.hourly_cost": "45.00"])
        try daemon.start()
        var train = ""
        for round in 0..<3 {
            for (i, t) in ClassificationCommandTests.sales.enumerated() { train += ClassificationCommandTests.record(id: "s\(round)-\(i)", text: t, department: "sales") }
            for (i, t) in ClassificationCommandTests.service.enumerated() { train += ClassificationCommandTests.record(id: "v\(round)-\(i)", text: t, department: "service") }
        }
        daemon.drop("train.jsonl", train)
        #expect(daemon.drained())
        let records = (0..<2_000).map { ClassificationCommandTests.record(id: "j-\($0)", text: "zebra giraffe okapi \($0)", department: "zoo") }
        daemon.drop("zoo.json", "[" + records.joined(separator: ",") + ",")
        #expect(waitUntil(120) { dir.list("spool/quarantine").contains("zoo.json") }, "not quarantined; log tail:\n\(daemon.log.suffix(2000))")
        let r = try daemon.ctlJSON(ClassifyResult.self, "classify", "zebra giraffe okapi")
        #expect(r.department.label != "zoo", "the model learned records of a refused file: \(r.department)")
        #expect(daemon.stop() == 0)
        #expect(try ConversationStore(path: daemon.databasePath).conversationCount() == 36)
    }

    /// An admin command sent while the file's transaction is open waits for its end and then
    /// runs (its writes neither join nor roll back with the file); `status` is answered meanwhile.
    @Test("recompute sent while a large file is stored waits for its commit, then runs")
    func adminWaitsForTheFile() throws {
        let dir = TestDirectory("large-admin")
        let daemon = DaemonProcess(directory: dir, settings: ["log.level": "info"])
        try daemon.start()
        daemon.drop("big.jsonl", Self.lines(20_000, prefix: "adm"))
        #expect(waitUntil(30) { daemon.log.contains("storing big.jsonl") })
        #expect(dir.list("spool/new").contains("big.jsonl"), "the file was stored before recompute was sent; the test proves nothing")
        let status = try daemon.ctlJSON(StatusResult.self, "status")
        #expect(status.conversations == 0, "status sees the open transaction's records")
        let result = try daemon.ctlJSON(RecomputeResult.self, "recompute")
        // It ran after the commit: it priced the whole file.
        #expect(result.conversations == 20_000)
        #expect(daemon.drained(120))
        #expect(daemon.stop() == 0)
    }
}
