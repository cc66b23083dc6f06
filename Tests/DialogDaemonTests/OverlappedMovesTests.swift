import DialogStore
import Foundation
import Testing

/// Issue 17: in a flood a committed batch's files leave `new/` on a thread of their own while the
/// loop stores the next batch. Nothing may change for the files: each is stored, counted, audited
/// and moved exactly once, a refused one goes to `quarantine/` with its reason, and every move is
/// counted (the counts fail when a batch's moves are not settled).
@Suite("Overlapped moves after the commit", .serialized)
struct OverlappedMovesTests {
    @Test("a flood over many small batches: every file stored, audited and moved once, the bad ones quarantined")
    func floodOverManyBatches() throws {
        let dir = TestDirectory("overlapped-moves")
        // Small batches, so most of them commit while the one before is still moving its files.
        let daemon = DaemonProcess(directory: dir, settings: ["spool.batch_max_files": "8", "log.level": "info"])
        try daemon.start()
        let date = isoDate(-7200)
        var good = 0
        var bad = 0
        for i in 0..<400 {
            if i % 50 == 7 {
                daemon.drop("bad\(i).bin", "not a format dialogd reads \(i)\n")
                bad += 1
            } else {
                daemon.drop("f\(i).conv", "Date: \(date)\nEmployee: e\(i % 5)\nChannel: email\nDuration: 4m\n\nflood-\(i)\n")
                good += 1
            }
        }
        #expect(daemon.drained(120), "new/ not drained; log tail:\n\(daemon.log.suffix(2000))")
        #expect(daemon.stop() == 0)

        #expect(dir.list("spool/new").isEmpty)
        #expect(dir.list("spool/cur").count == good)
        #expect(dir.list("spool/quarantine").filter { $0.hasSuffix(".reason") }.count == bad)
        let store = try ConversationStore(path: daemon.databasePath)
        #expect(try store.conversationCount() == good)
        let texts = try storedTexts(store)
        #expect(Set(texts).count == good)
        let outcomes = try store.fileOutcomes()
        #expect(outcomes.count == good + bad, "one audit row per file")
        #expect(Set(outcomes.map(\.name)).count == good + bad, "no file audited twice")
        #expect(outcomes.allSatisfy { $0.duplicates == 0 })
        let log = daemon.log
        #expect(!log.contains("left new/ before it could be moved"), "a file was taken again while being moved")
        #expect(!log.contains("was replaced in new/"), "a file was taken again while being moved")
        #expect(log.contains("dialogd stopping: \(good) stored, 0 duplicate, \(bad) file(s) quarantined, 0 waiting"), "\(log.suffix(400))")
    }
}
