import DialogCore
import DialogStore
import Foundation
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// A full or read-only disk under the store or the spool (docs/reliability.md): the daemon stops
/// taking files, keeps them in new/, says why (status, log, STATUS=), retries with back-off and
/// resumes by itself — nothing lost, nothing counted twice. Real filesystems, mounted by the
/// test: a small tmpfs filled to the last byte, and a read-only bind remount.
/// Serialized: concurrent mount(8) calls on this machine were seen to fail a remount (exit 32).
@Suite("Disk full and read-only", .serialized, .enabled(if: SmallFilesystem.available, "\(SmallFilesystem.availability.why)"))
struct DiskFaultTests {
    static func conv(_ i: Int, tag: String, padding: Int = 0) -> String {
        "ID: \(tag)-\(i)\nDate: \(isoDate(-3600))\nEmployee: e\(i % 5)\nChannel: email\nDuration: 10m\n\n\(tag) \(i) "
            + String(repeating: "lorem ipsum ", count: padding / 12) + "\n"
    }

    /// Waits for `status` to satisfy `condition`; returns the last status seen.
    static func status(of daemon: DaemonProcess, within seconds: Double, _ condition: (StatusResult) -> Bool) -> StatusResult? {
        var last: StatusResult?
        _ = waitUntil(seconds, every: 200_000) {
            last = try? daemon.ctlJSON(StatusResult.self, "status")
            return last.map(condition) ?? false
        }
        return last
    }

    /// Stored texts are exactly `expected`, once each, and the database is sound.
    static func expectStoredOnce(_ daemon: DaemonProcess, ids expected: Set<String>) throws {
        let store = try ConversationStore(path: daemon.databasePath)
        let ids = try store.database.fetchAll("SELECT external_id FROM conversations", arguments: []) { row in row[0] as String }
        #expect(ids.count == expected.count, "stored \(ids.count), expected \(expected.count)")
        #expect(Set(ids) == expected)
        #expect(try store.integrityCheck() == "ok")
    }

    @Test("the store's disk fills up: files wait in new/, status, log and STATUS= say why; it resumes when space returns")
    func storeDiskFull() throws {
        let dir = TestDirectory("storefull")
        let fs = try SmallFilesystem(at: dir.sub("lib"), kib: 2048)
        defer { fs.unmount() }
        let notify = SdNotifyTests.NotifySocket(path: dir.sub("notify.sock"))
        let daemon = try DaemonProcess(directory: dir, settings: ["log.level": "info"]).start(environment: ["NOTIFY_SOCKET": notify.path])
        defer { daemon.stop() }
        for i in 0..<5 { daemon.drop("before-\(i).conv", Self.conv(i, tag: "before")) }
        #expect(daemon.drained())

        fs.fill()
        #expect(fs.freeBytes < 4096)
        // 150 files of ~8 KiB: the WAL must grow by far more than is left.
        let count = 150
        for i in 0..<count { daemon.drop("full-\(i).conv", Self.conv(i, tag: "full", padding: 8000)) }
        let paused = Self.status(of: daemon, within: 20) { $0.ingestPaused }
        #expect(paused?.ingestPaused == true, "never paused; log:\n\(daemon.log.suffix(3000))")
        #expect(paused?.lastError?.contains("full") == true, "last error: \(paused?.lastError ?? "none")")
        #expect(dir.list("spool/new").count == count, "every file waits in new/")
        #expect(daemon.log.contains("ingest paused: batch of"))
        let notices = notify.collect(5) { $0.contains { $0.hasPrefix("STATUS=ingest paused") } }
        #expect(notices.contains { $0.hasPrefix("STATUS=ingest paused") && $0.contains("full") }, "\(notices)")
        // Back-off: a second failed try comes later than the first, not in a busy loop.
        #expect(waitUntil(10) { daemon.log.contains("retrying in 2 s") }, "no back-off; log:\n\(daemon.log.suffix(2000))")
        #expect(dir.list("spool/new").count == count)

        fs.free()
        let resumed = Self.status(of: daemon, within: 90) { !$0.ingestPaused && $0.backlog["new"] == 0 && $0.waiting == 0 }
        #expect(resumed?.ingestPaused == false)
        #expect(resumed?.lastError == nil)
        #expect(daemon.drained(5), "left in new/: \(dir.list("spool/new").count)")
        #expect(daemon.log.contains("ingest resumed"))
        #expect(resumed?.recordsStored == 5 + count, "nothing counted twice: \(resumed.map { "\($0.recordsStored) stored, \($0.recordsDuplicate) duplicate" } ?? "-")")
        #expect(resumed?.recordsDuplicate == 0)
        let after = notify.collect(5) { $0.contains { $0.hasPrefix("STATUS=\(5 + count) stored") } }
        #expect(after.contains { $0.hasPrefix("STATUS=\(5 + count) stored") }, "\(after)")
        #expect(daemon.stop() == 0)
        #expect(dir.list("spool/cur").count == 5 + count)
        try Self.expectStoredOnce(daemon, ids: Set((0..<5).map { "before-\($0)" } + (0..<count).map { "full-\($0)" }))
    }

    @Test("the spool's disk fills up: a stored file whose reason cannot be written waits in new/; nothing is stored or counted twice")
    func spoolDiskFull() throws {
        let dir = TestDirectory("spoolfull")
        let fs = try SmallFilesystem(at: dir.sub("spool"), kib: 1024)
        defer { fs.unmount() }
        let daemon = try DaemonProcess(directory: dir, settings: ["log.level": "info"]).start()
        defer { daemon.stop() }
        let date = isoDate(-3600)
        // Everything is written before the disk fills; arrivals are renames, which need no space.
        kill(daemon.pid, SIGSTOP)
        for i in 0..<20 { daemon.drop("good-\(i).conv", Self.conv(i, tag: "good")) }
        daemon.drop("bad.conv", "Date: gestern\nEmployee: a\n\nno date\n")
        daemon.drop("mixed.jsonl", "{\"id\": \"mixed-1\", \"date\": \"\(date)\", \"employee\": \"a\"}\n{\"date\": \"never\", \"employee\": \"b\"}\n")
        for i in 0..<10 { dir.write("spool/tmp/later-\(i).conv", Self.conv(i, tag: "later")) }
        fs.fill()
        kill(daemon.pid, SIGCONT)

        let paused = Self.status(of: daemon, within: 20) { $0.ingestPaused }
        #expect(paused?.ingestPaused == true, "never paused; log:\n\(daemon.log.suffix(3000))")
        #expect(paused?.lastError?.contains("No space left") == true, "last error: \(paused?.lastError ?? "none")")
        #expect(daemon.log.contains("stored file(s) still in new/"))
        #expect(Set(dir.list("spool/new")).isSuperset(of: ["bad.conv", "mixed.jsonl"]))
        // Paused means no new files are taken: arrivals wait in new/.
        for i in 0..<10 { rename(dir.sub("spool/tmp/later-\(i).conv"), dir.sub("spool/new/later-\(i).conv")) }
        #expect(waitUntil(4) { daemon.log.contains("retrying in 2 s") })
        #expect(dir.list("spool/new").filter { $0.hasPrefix("later-") }.count == 10)

        fs.free()
        let resumed = Self.status(of: daemon, within: 60) { !$0.ingestPaused && $0.backlog["new"] == 0 && $0.waiting == 0 }
        #expect(resumed?.ingestPaused == false)
        #expect(daemon.log.contains("ingest resumed"))
        #expect(resumed?.recordsStored == 31, "good 20 + mixed 1 + later 10")
        #expect(resumed?.recordsDuplicate == 0, "a stored file is moved on retry, not read again")
        #expect(resumed?.filesQuarantined == 1)
        #expect(resumed?.filesArchived == 31)
        #expect(daemon.stop() == 0)
        #expect(dir.list("spool/quarantine") == ["bad.conv", "bad.conv.reason", "mixed.jsonl.rejects.jsonl"])
        #expect(dir.read("spool/quarantine/bad.conv.reason")?.contains("date") == true)
        #expect(dir.read("spool/quarantine/mixed.jsonl.rejects.jsonl")?.contains("\"line\":2") == true)
        let outcomes = try ConversationStore(path: daemon.databasePath).fileOutcomes()
        #expect(outcomes.count == 32, "one audit row per file")
        #expect(Set(outcomes.map(\.name)).count == 32)
        try Self.expectStoredOnce(daemon, ids: Set((0..<20).map { "good-\($0)" } + (0..<10).map { "later-\($0)" } + ["mixed-1"]))
    }

    @Test("the spool turns read-only: stored files wait in new/, the daemon says EROFS, and it resumes when writable again")
    func spoolReadOnly() throws {
        let dir = TestDirectory("spoolro")
        try FileManager.default.createDirectory(atPath: dir.sub("spool"), withIntermediateDirectories: true)
        try SmallFilesystem.bindOntoItself(dir.sub("spool"))
        defer { SmallFilesystem.unmountLazily(dir.sub("spool")) }
        let daemon = try DaemonProcess(directory: dir, settings: ["log.level": "info"]).start()
        defer { daemon.stop() }
        kill(daemon.pid, SIGSTOP)
        for i in 0..<30 { daemon.drop("ro-\(i).conv", Self.conv(i, tag: "ro")) }
        daemon.drop("bad.conv", "Employee: a\n\nno date at all\n")
        try SmallFilesystem.setReadOnly(dir.sub("spool"), true)
        kill(daemon.pid, SIGCONT)

        let paused = Self.status(of: daemon, within: 20) { $0.ingestPaused }
        #expect(paused?.ingestPaused == true, "never paused; log:\n\(daemon.log.suffix(3000))")
        #expect(paused?.lastError?.contains("Read-only file system") == true, "last error: \(paused?.lastError ?? "none")")
        #expect(dir.list("spool/new").count == 31)
        #expect(waitUntil(4) { daemon.log.contains("retrying in 2 s") })

        try SmallFilesystem.setReadOnly(dir.sub("spool"), false)
        let resumed = Self.status(of: daemon, within: 60) { !$0.ingestPaused && $0.backlog["new"] == 0 && $0.waiting == 0 }
        #expect(resumed?.ingestPaused == false)
        #expect(resumed?.recordsStored == 30)
        #expect(resumed?.recordsDuplicate == 0)
        #expect(resumed?.filesArchived == 30)
        #expect(resumed?.filesQuarantined == 1)
        #expect(daemon.stop() == 0)
        #expect(dir.list("spool/quarantine") == ["bad.conv", "bad.conv.reason"])
        #expect(try ConversationStore(path: daemon.databasePath).fileOutcomes().count == 31)
        try Self.expectStoredOnce(daemon, ids: Set((0..<30).map { "ro-\($0)" }))
    }

    @Test("the store's disk fails and turns read-only under the open database: nothing leaves new/; after repair and restart, all is stored once",
          .enabled(if: SmallFilesystem.ext4Available, "needs mkfs.ext4, loop devices and /sys/fs/ext4"))
    func storeDiskReadOnly() throws {
        let dir = TestDirectory("storero")
        let image = dir.sub("lib.img")
        let fs = try SmallFilesystem.ext4(at: dir.sub("lib"), image: image, mib: 16)
        defer { fs.unmount() }
        let daemon = try DaemonProcess(directory: dir, settings: ["log.level": "info"]).start()
        for i in 0..<5 { daemon.drop("before-\(i).conv", Self.conv(i, tag: "before")) }
        #expect(daemon.drained())

        try fs.failExt4()
        for i in 0..<40 { daemon.drop("ro-\(i).conv", Self.conv(i, tag: "ro")) }
        let paused = Self.status(of: daemon, within: 20) { $0.ingestPaused }
        #expect(paused?.ingestPaused == true, "never paused; log:\n\(daemon.log.suffix(3000))")
        #expect(paused?.lastError?.hasPrefix("store: ") == true, "last error: \(paused?.lastError ?? "none")")
        #expect(dir.list("spool/new").count == 40)
        #expect(daemon.stop() == 0, "SIGTERM still ends it cleanly")
        #expect(dir.list("spool/new").count == 40)

        // What an administrator does: unmount, fsck, mount, start again.
        try fs.repairAndRemount(image: image)
        try daemon.start()
        #expect(daemon.drained(30), "left in new/: \(dir.list("spool/new").count); log:\n\(daemon.log.suffix(2000))")
        let status = try daemon.ctlJSON(StatusResult.self, "status")
        #expect(status.recordsStored == 40 && status.recordsDuplicate == 0)
        #expect(daemon.stop() == 0)
        try Self.expectStoredOnce(daemon, ids: Set((0..<5).map { "before-\($0)" } + (0..<40).map { "ro-\($0)" }))
    }
}
