@testable import DialogDaemon
import DialogCore
import DialogStore
import Foundation
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// A large streamed file's progress row (`meta` key `stream-progress:NAME`, docs/spool.md "Large
/// streamed files"): its counts are one value (`RecordCounts`) shared with the file's result,
/// and a row written by the current release resumes with the same counts.
@Suite("Stream progress rows", .serialized)
struct StreamProgressTests {
    static func lines(_ range: Range<Int>) -> String {
        let date = isoDate(-600)
        return range.map { "{\"id\": \"big-\($0)\", \"date\": \"\(date)\", \"employee\": \"e\", \"text\": \"big text \($0)\"}\n" }.joined()
    }

    /// A row in today's format: device inode size mtime(s ns) ctime(s ns) records, then the counts
    /// stored duplicates orders orderDuplicates amended updated outdated conflicting unknownAmends ordersAmended.
    static func row(for path: String, records: Int, counts: [Int]) -> String {
        var st = stat()
        _ = stat(path, &st)
        let identity: [Int64] = [Int64(bitPattern: UInt64(st.st_dev)), Int64(bitPattern: UInt64(st.st_ino)), Int64(st.st_size),
                                 Int64(st.st_mtim.tv_sec), Int64(st.st_mtim.tv_nsec), Int64(st.st_ctim.tv_sec), Int64(st.st_ctim.tv_nsec)]
        return (identity.map(String.init) + [String(records)] + counts.map(String.init)).joined(separator: " ")
    }

    @Test("every counter of RecordCounts is in the list a progress row and a commit's delta are made from")
    func countsListComplete() {
        var counts = RecordCounts()
        for (i, counter) in RecordCounts.all.enumerated() { counts[keyPath: counter] = i + 1 }
        let values = Mirror(reflecting: counts).children.compactMap { $0.value as? Int }
        #expect(values.count == Mirror(reflecting: counts).children.count, "a counter that is not an Int")
        #expect(values.sorted() == Array(1...RecordCounts.all.count), "a counter is missing from RecordCounts.all: \(values)")
        #expect(counts - counts == RecordCounts())
        #expect(RecordCounts(encoded: counts.encoded) == counts)
    }

    @Test("a progress row in today's format loads with its counts and is written back the same")
    func todaysRowRoundTrips() throws {
        let dir = TestDirectory("progress-row")
        dir.write("new/big.jsonl", Self.lines(0..<10))
        let store = try ConversationStore(path: dir.sub("store.db"))
        let text = Self.row(for: dir.sub("new/big.jsonl"), records: 1200, counts: [1100, 90, 3, 1, 4, 5, 6, 7, 8, 2, 3, 1])
        try store.setMeta("stream-progress:big.jsonl", text)
        let directory = open(dir.sub("new"), O_RDONLY | O_DIRECTORY)
        defer { close(directory) }
        guard case .file(let file) = SpoolFileReader.open("big.jsonl", directory: directory) else {
            Issue.record("cannot open the file")
            return
        }
        let progress = try #require(try StreamProgress.load("big.jsonl", matching: file, from: store))
        #expect(progress.records == 1200)
        var expected = RecordCounts()
        (expected.stored, expected.duplicates, expected.orders, expected.orderDuplicates, expected.amended) = (1100, 90, 3, 1, 4)
        (expected.updated, expected.outdated, expected.conflicting, expected.unknownAmends, expected.ordersAmended) = (5, 6, 7, 8, 2)
        (expected.creditNotesMismatched, expected.creditNotesExceeding) = (3, 1)
        #expect(progress.counts == expected)
        try store.removeMeta("stream-progress:big.jsonl")
        try progress.save("big.jsonl", into: store)
        #expect(try store.meta("stream-progress:big.jsonl") == text)
        // A row of another file (another size) is not this file's progress.
        try store.setMeta("stream-progress:big.jsonl", text.replacingOccurrences(of: " \(file.size) ", with: " \(file.size + 1) "))
        #expect(try StreamProgress.load("big.jsonl", matching: file, from: store) == nil)
    }

    /// The daemon finds a row written by the current release for the file in `new/` (as a crash
    /// leaves it): it goes on after the records the row counts, and the file's `ingested_files`
    /// line carries the row's counts plus what this run stored.
    @Test("a progress row in today's format for a file in new/: the restart resumes with the same counts")
    func daemonResumesFromTodaysRow() throws {
        let dir = TestDirectory("progress-resume")
        let daemon = DaemonProcess(directory: dir, settings: ["log.level": "info"])
        try daemon.start()
        // The records an earlier run committed before its crash.
        daemon.drop("head.jsonl", Self.lines(0..<700))
        #expect(daemon.drained())
        #expect(daemon.stop() == 0)
        dir.write("spool/new/big.jsonl", Self.lines(0..<2000))
        let store = try ConversationStore(path: daemon.databasePath)
        try store.setMeta("stream-progress:big.jsonl", Self.row(for: dir.sub("spool/new/big.jsonl"), records: 700, counts: [700, 5, 0, 0, 0, 0, 0, 0, 0, 0]))

        try daemon.start()
        #expect(daemon.drained(120), "new/ not drained; log tail:\n\(daemon.log.suffix(2000))")
        #expect(daemon.log.contains("storing big.jsonl"))
        #expect(daemon.log.contains("going on after what an earlier run committed"))
        let status = try daemon.ctlJSON(StatusResult.self, "status")
        #expect(status.recordsStored == 1300 && status.recordsDuplicate == 0)
        #expect(daemon.stop() == 0)
        let line = try store.database.fetchOne("SELECT stored, duplicates FROM ingested_files WHERE name = 'big.jsonl'") { [$0[0] as Int64, $0[1] as Int64] }
        #expect(line == [2000, 5])
        #expect(try store.meta("stream-progress:big.jsonl") == nil)
    }

    /// A crash leaves a large file's progress row; the file may then leave `new/` (taken back,
    /// moved by hand) or another file may take its name. Such a row can never be read again:
    /// the start removes it, and keeps the row of a file still in `new/` as it was, which resumes.
    @Test("at start, progress rows of files gone from new/ or replaced go; the row of a file still there stays and resumes")
    func staleRowsRemovedAtStart() throws {
        let dir = TestDirectory("progress-stale")
        let daemon = DaemonProcess(directory: dir, settings: ["log.level": "info"])
        try daemon.start()
        daemon.drop("head.jsonl", Self.lines(0..<700))
        #expect(daemon.drained())
        #expect(daemon.stop() == 0)
        let store = try ConversationStore(path: daemon.databasePath)
        dir.write("spool/new/big.jsonl", Self.lines(0..<2000))
        try store.setMeta("stream-progress:big.jsonl", Self.row(for: dir.sub("spool/new/big.jsonl"), records: 700, counts: [700, 0, 0, 0, 0, 0, 0, 0, 0, 0]))
        // Gone: its file was in new/ when the row was written, and was taken back before the restart.
        dir.write("spool/new/gone.jsonl", Self.lines(0..<1500))
        try store.setMeta("stream-progress:gone.jsonl", Self.row(for: dir.sub("spool/new/gone.jsonl"), records: 300, counts: [300, 0, 0, 0, 0, 0, 0, 0, 0, 0]))
        unlink(dir.sub("spool/new/gone.jsonl"))
        // Replaced: another (small) file holds its name now.
        try store.setMeta("stream-progress:swapped.jsonl", Self.row(for: dir.sub("spool/new/big.jsonl"), records: 10, counts: [10, 0, 0, 0, 0, 0, 0, 0, 0, 0]))
        dir.write("spool/new/swapped.jsonl", Self.lines(5000..<5001))

        try daemon.start()
        #expect(daemon.drained(120), "new/ not drained; log tail:\n\(daemon.log.suffix(2000))")
        #expect(daemon.log.contains("going on after what an earlier run committed"), "the row of the file still in new/ did not resume")
        #expect(daemon.log.contains("removed the progress of 2 large file(s) no longer in new/"), "log tail:\n\(daemon.log.suffix(2000))")
        #expect(daemon.stop() == 0)
        #expect(try store.metaRows(prefix: "stream-progress:").map(\.key) == [])
        let line = try store.database.fetchOne("SELECT stored, duplicates FROM ingested_files WHERE name = 'big.jsonl'") { [$0[0] as Int64, $0[1] as Int64] }
        #expect(line == [2000, 0])
    }

    /// A start that finds only rows of files in `new/` as they were removes none (and says nothing).
    @Test("the start keeps every progress row whose file is in new/ as it was")
    func currentRowsKept() throws {
        let dir = TestDirectory("progress-kept")
        dir.makeDirectory("spool/new")
        dir.write("spool/new/kept.jsonl", Self.lines(0..<10))
        let store = try ConversationStore(path: dir.sub("store.db"))
        let row = Self.row(for: dir.sub("spool/new/kept.jsonl"), records: 4, counts: [4, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        try store.setMeta("stream-progress:kept.jsonl", row)
        // A name starting with a combining mark: ":" + U+0301 is one Character (the attack of session 19).
        let marked = "\u{301}big.jsonl"
        dir.write("spool/new/" + marked, Self.lines(0..<10))
        let markedRow = Self.row(for: dir.sub("spool/new/" + marked), records: 4, counts: [4, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        try store.setMeta("stream-progress:" + marked, markedRow)
        try store.setMeta("stream-progress:broken.jsonl", "not a row")
        try store.setMeta("stream-progressive", "another key")
        let spool = try SpoolDirectory(path: dir.sub("spool"))
        #expect(try StreamProgress.removeStale(from: store, spool: spool) == ["broken.jsonl"])
        #expect(try store.meta("stream-progress:kept.jsonl") == row)
        #expect(try store.meta("stream-progress:" + marked) == markedRow)
        #expect(try store.meta("stream-progressive") == "another key")
    }
}
