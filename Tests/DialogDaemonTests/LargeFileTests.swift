import DialogCore
import DialogStore
import Foundation
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// A large `.jsonl`/`.csv` is stored over several loop turns in slices that each commit (docs/spool.md
/// "Large streamed files"): a crash or SIGTERM half-way keeps the committed slices and the restart
/// goes on counting from there (every record once, counts exact); a refusal half-way keeps the
/// records before it, and the model learned exactly what is stored.
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

    /// Conversations in the store, read beside the running daemon (its committed slices only).
    static func committed(_ daemon: DaemonProcess) -> Int {
        ((try? ConversationStore(readingOnly: daemon.databasePath).conversationCount()) ?? 0)
    }

    /// The daemon is SIGKILLed (or stopped with SIGTERM) after some slices of the file committed
    /// and before its end: after the restart every record is there once, the restart counts only
    /// what it stored (nothing as a duplicate), and the file has one line in `ingested_files`
    /// that counts every record once.
    @Test("SIGKILL or SIGTERM half-way through a 60,000-record .jsonl, after slices committed: after restart every record once, counts exact",
          arguments: [true, false])
    func stoppedMidFile(kill: Bool) throws {
        let dir = TestDirectory(kill ? "large-crash" : "large-term")
        let daemon = DaemonProcess(directory: dir, settings: ["log.level": "info"])
        try daemon.start()
        daemon.drop("small.conv", "Date: \(isoDate(-600))\nEmployee: b\n\nbefore the big one\n")
        #expect(daemon.drained())
        daemon.drop("big.jsonl", Self.lines(60_000, prefix: "big"))
        #expect(waitUntil(30) { daemon.log.contains("storing big.jsonl") }, "the large file was not started")
        // Some slices are committed, the file is not done.
        #expect(waitUntil(60) { Self.committed(daemon) > 1 }, "no slice committed while the file was stored")
        if kill { daemon.crash() } else { #expect(daemon.stop() == 0) }
        let before = Self.committed(daemon) - 1
        try #require(dir.list("spool/new").contains("big.jsonl"), "the file was stored whole before the stop; the test proves nothing")
        try #require(before > 0 && before < 60_000, "\(before) records committed before the stop")

        try daemon.start()
        #expect(daemon.drained(180), "new/ not drained; log tail:\n\(daemon.log.suffix(2000))")
        #expect(daemon.log.contains("going on after what an earlier run committed"))
        let status = try daemon.ctlJSON(StatusResult.self, "status")
        // This run counts what it stored; what the first run committed is not counted again.
        #expect(status.recordsStored == 60_000 - before)
        #expect(status.recordsDuplicate == 0)
        #expect(status.filesArchived == 1 && status.filesQuarantined == 0)
        #expect(daemon.stop() == 0)
        let store = try ConversationStore(path: daemon.databasePath)
        #expect(try store.conversationCount() == 60_001)
        let row = try store.database.fetchOne("SELECT count(*), sum(stored), sum(duplicates) FROM ingested_files WHERE name = 'big.jsonl'") {
            [$0[0] as Int64, $0[1] as Int64? ?? -1, $0[2] as Int64? ?? -1]
        }
        #expect(row == [1, 60_000, 0])
        // Its progress row went with its `ingested_files` line.
        #expect(try store.meta("stream-progress:big.jsonl") == nil)
        #expect(try store.integrityCheck() == "ok")
        #expect(dir.list("spool/cur").sorted() == ["big.jsonl", "small.conv"])
    }

    /// A NUL byte near the end refuses the file after its earlier slices committed: the records
    /// before the refusal stay stored (per record, as a log shipper stores them), the model
    /// learned exactly those, and the reason says where it stopped and what is stored. (Before
    /// slices committed, the whole file was rolled back and the model reloaded from the store.)
    @Test("a large .jsonl refused near its end keeps the records before it; the model learned what is stored")
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
        let reason = dir.read("spool/quarantine/zoo.jsonl.reason") ?? ""
        #expect(reason.contains("NUL"))
        #expect(reason.contains("line 20001"), "the reason does not say where it stopped: \(reason)")
        // The records before the NUL's block are stored: the file's last block holds a few of them.
        let stored = try ConversationStore(path: daemon.databasePath).conversationCount() - 36
        #expect(stored > 19_000 && stored <= 20_000)
        #expect(reason.contains("; \(stored) of its records read before that are stored (\(stored) new, 0 already stored)"), "reason: \(reason)")
        let r = try daemon.ctlJSON(ClassifyResult.self, "classify", "zebra giraffe okapi")
        #expect(r.department.label == "zoo", "the model did not learn the stored records: \(r.department)")
        let status = try daemon.ctlJSON(StatusResult.self, "status")
        #expect(status.conversations == 36 + stored && status.recordsStored == 36 + stored)
        #expect(daemon.stop() == 0)
        let store = try ConversationStore(path: daemon.databasePath)
        let row = try store.database.fetchOne("SELECT stored FROM ingested_files WHERE name = 'zoo.jsonl'") { $0[0] as Int64 }
        #expect(row == Int64(stored))
    }

    /// A `.json` array over 64 KiB is streamed like a `.jsonl`: an array broken at its end
    /// refuses it after its elements went in. They stay stored and the model learned them —
    /// it learned exactly what the store holds (before, both were undone).
    @Test("a large .json broken at its end keeps its elements; the model learned what is stored")
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
        let reason = dir.read("spool/quarantine/zoo.json.reason") ?? ""
        #expect(reason.contains("; 2000 of its records read before that are stored (2000 new, 0 already stored)"), "reason: \(reason)")
        let r = try daemon.ctlJSON(ClassifyResult.self, "classify", "zebra giraffe okapi")
        #expect(r.department.label == "zoo", "the model did not learn the stored records: \(r.department)")
        #expect(daemon.stop() == 0)
        #expect(try ConversationStore(path: daemon.databasePath).conversationCount() == 2_036)
    }

    /// An admin command sent while the file is stored runs between two of its slices (it no
    /// longer waits for the whole file): `recompute` prices what is committed then, and the
    /// figures after the file equal those a `recompute` of the whole store gives.
    @Test("recompute sent while a large file is stored runs between its slices; the figures stay right")
    func adminRunsBetweenSlices() throws {
        let dir = TestDirectory("large-admin")
        let daemon = DaemonProcess(directory: dir, settings: ["log.level": "info"])
        try daemon.start()
        daemon.drop("big.jsonl", Self.lines(40_000, prefix: "adm"))
        #expect(waitUntil(30) { daemon.log.contains("storing big.jsonl") })
        let status = try daemon.ctlJSON(StatusResult.self, "status")
        #expect(status.conversations < 40_000, "status sees records of the open slice")
        let result = try daemon.ctlJSON(RecomputeResult.self, "recompute")
        let stillStoring = dir.list("spool/new").contains("big.jsonl")
        // It ran between slices: it priced what was committed then.
        #expect(result.conversations <= 40_000)
        #expect(daemon.drained(120))
        let roi = try daemon.ctl("--json", "roi", "--window", "30d", "--by", "department").stdout
        let again = try daemon.ctlJSON(RecomputeResult.self, "recompute")
        #expect(again.conversations == 40_000)
        #expect(try daemon.ctl("--json", "roi", "--window", "30d", "--by", "department").stdout == roi,
                "the figures kept by the slices differ from a recompute of the same store")
        #expect(daemon.stop() == 0)
        try #require(stillStoring && result.conversations < 40_000, "recompute ran after the file was done; the test proves nothing")
    }
}
