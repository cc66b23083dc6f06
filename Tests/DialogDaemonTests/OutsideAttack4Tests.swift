import DialogCore
import DialogStore
import Foundation
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Findings of the fourth outside test (issue 12), played as a dropper on the real binary with
/// only the README and docs/ to go by, aimed at large streamed files stored in slices
/// (docs/spool.md "Large streamed files"). Each is disabled while it is open, so the suite stays green.
@Suite("Outside attack 4", .serialized)
struct OutsideAttack4Tests {
    /// `count` one-letter words (a simple LCG picks the letters), about `2 × count` bytes.
    static func oneLetterWords(_ count: Int, seed: UInt64) -> String {
        var state = seed
        var bytes = [UInt8]()
        bytes.reserveCapacity(count * 2)
        for _ in 0..<count {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            bytes.append(UInt8(ascii: "a") + UInt8((state >> 33) % 26))
            bytes.append(UInt8(ascii: " "))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A record of the same length as `line`, padded with blanks, with id `EVIL`.
    static func evilLine(like line: String) throws -> String {
        var evil = #"{"id": "EVIL", "date": "\#(isoDate(-600))", "employee": "evil", "text": "t"}"#
        try #require(evil.utf8.count < line.utf8.count)
        evil = String(evil.dropLast()) + String(repeating: " ", count: line.utf8.count - evil.utf8.count) + "}"
        return evil
    }

    /// docs/spool.md: "Every stored record is a whole, valid record of the file as it was when
    /// taken: dialogd looks at the file (`fstat`) after every read as well as before". The owner
    /// writes the file through a shared mapping (`mmap(MAP_SHARED)`), touching every page before
    /// the rename; later writes to those pages, already dirty and writable, take no page fault,
    /// so the kernel updates neither mtime nor ctime (and the size stays): after the daemon
    /// took the file, the dropper overwrites its last line (not read yet) with another record of
    /// the same length. The daemon reads the page cache, stores `EVIL` — a record the file did
    /// not hold when taken — instead of the last original, and archives the file in `cur/` as
    /// ingested. Debug build, 60,000 lines (6 MB): EVIL stored, `mm-59999` not, `cur/` holds it,
    /// `quarantine/` empty; the file's size, mtime and ctime after the write equal those after the rename
    /// (the test itself, debug build: EVIL stored, the stat fields unchanged).
    @Test("a large file rewritten through a shared mapping after it was taken is refused, not stored with the new bytes",
          .disabled("accepted limit (docs/spool.md, Large streamed files): writes through an already dirty shared mapping change no fstat field; only the owner's own records change"))
    func rewriteThroughSharedMapping() throws {
        let dir = TestDirectory("attack4-mmap")
        let daemon = try DaemonProcess(directory: dir, settings: ["log.level": "info"]).start()
        defer { if daemon.isRunning { daemon.crash() } }
        let text = Array(LargeFileTests.lines(60_000, prefix: "mm").utf8)
        let lastLine = String(decoding: text.dropLast().split(separator: UInt8(ascii: "\n")).last ?? [], as: UTF8.self)
        let evil = Array(try Self.evilLine(like: lastLine).utf8)
        let tmp = dir.sub("spool/tmp/mm.jsonl")
        let fd = open(tmp, O_CREAT | O_RDWR | O_TRUNC, 0o644)
        try #require(fd >= 0)
        defer { close(fd) }
        try #require(ftruncate(fd, off_t(text.count)) == 0)
        let mapped = mmap(nil, text.count, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
        try #require(mapped != nil && mapped != MAP_FAILED)
        let map = mapped!
        defer { munmap(map, text.count) }
        // The whole file is written through the mapping: every page is dirty and writable from now on.
        _ = text.withUnsafeBytes { memcpy(map, $0.baseAddress!, text.count) }
        try #require(rename(tmp, dir.sub("spool/new/mm.jsonl")) == 0)
        var taken = stat()
        fstat(fd, &taken)
        #expect(waitUntil(60, every: 2_000) { daemon.log.contains("storing mm.jsonl") }, "log tail:\n\(daemon.log.suffix(1000))")
        _ = evil.withUnsafeBytes { memcpy(map + (text.count - evil.count - 1), $0.baseAddress!, evil.count) }
        var after = stat()
        fstat(fd, &after)
        let stillReading = dir.list("spool/new").contains("mm.jsonl")
        #expect(waitUntil(300) { !dir.list("spool/new").contains("mm.jsonl") })
        Thread.sleep(forTimeInterval: 1)
        #expect(daemon.stop() == 0)
        try #require(stillReading, "the daemon finished the file before it was written to; the test proves nothing")
        print("OutsideAttack4Tests.rewriteThroughSharedMapping: size/mtime/ctime unchanged by the write: \(taken.st_size == after.st_size && taken.st_mtim.tv_sec == after.st_mtim.tv_sec && taken.st_mtim.tv_nsec == after.st_mtim.tv_nsec && taken.st_ctim.tv_sec == after.st_ctim.tv_sec && taken.st_ctim.tv_nsec == after.st_ctim.tv_nsec)")
        let store = try ConversationStore(path: daemon.databasePath)
        let evilStored = try store.database.fetchOne("SELECT count(*) FROM conversations WHERE external_id = 'EVIL'") { $0[0] as Int64 } ?? -1
        #expect(evilStored == 0, "a line written after the file was taken was stored; cur/: \(dir.list("spool/cur")), quarantine/: \(dir.list("spool/quarantine"))")
    }

    /// A batch ends at the first large file it meets, and the waiting files are taken in arrival
    /// order, so every large file ahead of a small one costs the small one a turn of its own
    /// (its open, first read, commit, `ingested_files` line, moves and the WAL checkpoint after
    /// a large file) — "nobody's file waits behind a large one" holds for one large file, not
    /// for many. Large files cost the dropper nothing: a sparse 70,000-byte `.jsonl` of NULs is
    /// refused at its first read, and 1,000 of them take 36 KiB of disk. Release build, 2 shared
    /// cores: behind 1,000 of them a one-line `.conv` waited 35.0 s (the same 1,000 at 60,000
    /// bytes, read as small files in batches: 0.1 s); 500 copies of one 72 KB `.jsonl` (all
    /// duplicates after the first, the store does not grow): 21.6 s; debug build, 200 distinct 93 KB
    /// files: 26.6 s; this test (400 sparse files, debug build): 18.6 s with 399 ahead. With four large files in progress each one ahead costs a whole slice (up to a
    /// second) of another: four 1 MB-record `.jsonl` files held the next `.conv` 4.4 s (release).
    @Test("many large files dropped at once do not hold another dropper's small file")
    func manyLargeFilesAhead() throws {
        let dir = TestDirectory("attack4-many")
        let daemon = try DaemonProcess(directory: dir, settings: ["log.level": "info"]).start()
        defer { if daemon.isRunning { daemon.crash() } }
        let count = 400
        for i in 0..<count {
            let path = dir.sub("spool/tmp/sparse-\(i).jsonl")
            let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o644)
            try #require(fd >= 0)
            #expect(ftruncate(fd, 70_000) == 0)
            close(fd)
        }
        for i in 0..<count {
            #expect(rename(dir.sub("spool/tmp/sparse-\(i).jsonl"), dir.sub("spool/new/sparse-\(i).jsonl")) == 0)
        }
        daemon.drop("behind.conv", "Date: \(isoDate(-600))\nEmployee: b\n\nbehind many large files\n")
        let dropped = Date()
        let ahead = dir.list("spool/new").filter { $0.hasPrefix("sparse-") }.count
        #expect(waitUntil(900) { !dir.list("spool/new").contains("behind.conv") })
        let waited = Date().timeIntervalSince(dropped)
        let left = dir.list("spool/new").filter { $0.hasPrefix("sparse-") }.count
        print("OutsideAttack4Tests.manyLargeFilesAhead: behind.conv waited \(waited) s; \(ahead) large files ahead when dropped, \(left) left when it was stored")
        try #require(ahead > count / 2, "the large files were done before behind.conv came; the test proves nothing")
        #expect(waited < 5, "behind.conv waited \(waited) s behind \(ahead) large files (\(left) still waiting when it was stored)")
        #expect(daemon.drained(900))
        #expect(daemon.stop() == 0)
    }

    /// A `.conv` is read whole up to `max_file_bytes` (4 MiB) and its one record is parsed,
    /// tokenized, classified and learned on the loop: 4 MiB of one-letter words (two million
    /// tokens) took the daemon to a peak of 131.6 MiB RSS and `status` waited 0.81 s (release);
    /// debug build: 134 MiB, `status` 8.6 s (in this test: 134.4 MiB, 16.6 s). docs/spool.md: "the daemon's whole run stays under 64 MiB RSS".
    @Test("a 4 MiB .conv of one-letter words keeps the daemon under 64 MiB and status under a second")
    func oneLetterWordsConv() throws {
        let dir = TestDirectory("attack4-words-conv")
        let daemon = try DaemonProcess(directory: dir, settings: ["log.level": "info"]).start()
        defer { if daemon.isRunning { daemon.crash() } }
        let head = "Date: \(isoDate(-600))\nEmployee: e\nId: words\n\n"
        let text = head + Self.oneLetterWords((4 << 20) / 2 - 1_000, seed: 1) + "\n"
        daemon.drop("words.conv", text)
        let client = try RawControlClient(path: daemon.socketPath, receiveTimeoutSeconds: 120)
        guard let worst = OutsideAttackTests.slowestStatus(client, whileWaiting: "words.conv", in: dir) else { return }
        let peak = try #require(peakResidentKiB(daemon.pid))
        print("OutsideAttack4Tests.oneLetterWordsConv: \(text.utf8.count) bytes, slowest status \(worst) s, peak RSS \(peak) KiB")
        #expect(peak < residentLimitKiB, "peak RSS \(peak) KiB")
        #expect(worst < 1, "status took \(worst) s while the .conv was stored")
        #expect(daemon.stop() == 0)
        #expect(try ConversationStore(path: daemon.databasePath).conversationCount() == 1)
    }

    /// The same in the streamed path, side by side: four `.jsonl` files of five 1 MB records each
    /// (one-letter words, half a million tokens a record; under `max_record_bytes`). Release build:
    /// peak RSS 94 MiB (one such file with one record: 59 MiB, three: 68 MiB), `status` 0.20 s;
    /// debug build: 97.8 MiB, `status` 2.33 s (a record is inserted and learned whole, whatever the
    /// 20 ms step), and one-line `.conv` files dropped meanwhile waited 6.6–8.8 s; this test, debug: 99.2 MiB, 3.9 s.
    @Test("four .jsonl files of 1 MB records of one-letter words keep the daemon under 64 MiB and status under a second")
    func oneLetterWordsStreamed() throws {
        let dir = TestDirectory("attack4-words-jsonl")
        let daemon = try DaemonProcess(directory: dir, settings: ["log.level": "info"]).start()
        defer { if daemon.isRunning { daemon.crash() } }
        let date = isoDate(-600)
        for file in 0..<4 {
            var text = ""
            for i in 0..<5 {
                text += #"{"id": "w\#(file)-\#(i)", "date": "\#(date)", "employee": "e", "text": "\#(Self.oneLetterWords(499_900, seed: UInt64(file * 10 + i)))"}"# + "\n"
            }
            dir.write("spool/tmp/words-\(file).jsonl", Array(text.utf8))
        }
        for file in 0..<4 {
            #expect(rename(dir.sub("spool/tmp/words-\(file).jsonl"), dir.sub("spool/new/words-\(file).jsonl")) == 0)
        }
        let client = try RawControlClient(path: daemon.socketPath, receiveTimeoutSeconds: 120)
        var worst = 0.0
        for file in 0..<4 {
            guard let slowest = OutsideAttackTests.slowestStatus(client, whileWaiting: "words-\(file).jsonl", in: dir) else { return }
            worst = max(worst, slowest)
        }
        let peak = try #require(peakResidentKiB(daemon.pid))
        print("OutsideAttack4Tests.oneLetterWordsStreamed: slowest status \(worst) s, peak RSS \(peak) KiB")
        #expect(peak < residentLimitKiB, "peak RSS \(peak) KiB")
        #expect(worst < 1, "status took \(worst) s while the files were stored")
        #expect(daemon.stop() == 0)
        #expect(try ConversationStore(path: daemon.databasePath).conversationCount() == 20)
    }

    /// docs/spool.md: after a crash or SIGTERM half-way "when the file is the same (device, inode,
    /// size, mtime) the records committed before are read again as the no-ops they are and not
    /// counted again … A file that is not the same is read as a new file". The owner may set the
    /// mtime back (`futimens`); only the ctime shows the change, and the progress row does not
    /// keep it. Between the two runs the dropper rewrites the file's first line (committed) with
    /// another record of the same length: the restart takes it for the same file, stores the new
    /// record and adds its count to the earlier run's, so the file's `ingested_files` line counts
    /// one record more than the file holds (debug build, 200,000 lines: stored 200,001; the
    /// restart's `records_stored` 172,280 after 27,721 committed, `records_duplicate` 0; this test, 60,000 lines: 60,001).
    @Test("a file rewritten in new/ between two runs with its mtime set back is counted as the file it is now")
    func rewrittenBetweenRuns() throws {
        let dir = TestDirectory("attack4-resume")
        let daemon = try DaemonProcess(directory: dir, settings: ["log.level": "info"]).start()
        defer { if daemon.isRunning { daemon.crash() } }
        let count = 60_000
        let text = LargeFileTests.lines(count, prefix: "rs")
        daemon.drop("big.jsonl", text)
        #expect(waitUntil(120) { LargeFileTests.committed(daemon) > 0 })
        #expect(daemon.stop() == 0)
        let path = dir.sub("spool/new/big.jsonl")
        try #require(FileManager.default.fileExists(atPath: path), "the file was stored whole before the stop; the test proves nothing")
        let firstLine = String(text.prefix { $0 != "\n" })
        let evil = Array(try Self.evilLine(like: firstLine).utf8)
        let fd = open(path, O_WRONLY)
        try #require(fd >= 0)
        var before = stat()
        fstat(fd, &before)
        #expect(evil.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) } == evil.count)
        var times = [timespec(tv_sec: before.st_atim.tv_sec, tv_nsec: before.st_atim.tv_nsec),
                     timespec(tv_sec: before.st_mtim.tv_sec, tv_nsec: before.st_mtim.tv_nsec)]
        #expect(futimens(fd, &times) == 0)
        close(fd)
        try daemon.start()
        #expect(waitUntil(300) { !dir.list("spool/new").contains("big.jsonl") })
        Thread.sleep(forTimeInterval: 1)
        #expect(daemon.stop() == 0)
        let store = try ConversationStore(path: daemon.databasePath)
        let rows = try store.database.fetchAll("SELECT stored, duplicates FROM ingested_files WHERE name = 'big.jsonl'") { [$0[0] as Int64, $0[1] as Int64] }
        print("OutsideAttack4Tests.rewrittenBetweenRuns: ingested_files \(rows), conversations \(try store.conversationCount())")
        #expect(rows.count == 1)
        #expect(rows.first.map { $0[0] + $0[1] } == Int64(count), "the file holds \(count) records; its ingested_files line counts \(rows)")
    }
    /// A `.jsonl` whose only line is longer than `max_record_bytes` (one 1.1 MB record) is
    /// quarantined with `expected a non-empty file, found "only whitespace"; nothing of it was
    /// stored`: the reason is wrong (the file holds a record) and no `NAME.rejects.jsonl` names the
    /// line (`records_rejected` stays 0). With one good line before or after it the
    /// same line is listed as "expected a record of at most 1048576 bytes" (release build).
    @Test("a .jsonl of one line over max_record_bytes is refused for that line, not as only whitespace")
    func onlyAnOverlongLine() throws {
        let dir = TestDirectory("attack4-overlong")
        let daemon = try DaemonProcess(directory: dir, settings: ["log.level": "info"]).start()
        defer { if daemon.isRunning { daemon.crash() } }
        let line = #"{"id": "long", "date": "\#(isoDate(-600))", "employee": "e", "text": "\#(String(repeating: "x", count: 1_100_000))"}"# + "\n"
        daemon.drop("long.jsonl", line)
        #expect(daemon.drained(60))
        Thread.sleep(forTimeInterval: 1)
        #expect(daemon.stop() == 0)
        let reason = dir.read("spool/quarantine/long.jsonl.reason") ?? ""
        let rejects = dir.read("spool/quarantine/long.jsonl.rejects.jsonl") ?? ""
        print("OutsideAttack4Tests.onlyAnOverlongLine: reason \(reason.debugDescription), rejects \(rejects.prefix(200).debugDescription)")
        #expect(!reason.contains("only whitespace"), "reason: \(reason)")
        #expect((reason + rejects).contains("max_record_bytes"), "reason: \(reason), rejects: \(rejects.prefix(300))")
    }
}
