import DialogStore
import Foundation
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// inotify is only a wake-up: when its kernel queue overflows, the daemon rescans new/ and
/// loses nothing.
@Suite("inotify overflow")
struct OverflowTests {
    @Test("files dropped while the daemon is stopped overflow the inotify queue and are all found by the rescan")
    func overflowRescan() throws {
        let queueLimit = Int((try? String(contentsOfFile: "/proc/sys/fs/inotify/max_queued_events", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 16384
        try #require(queueLimit <= 50_000, "max_queued_events is \(queueLimit); too large to overflow in a test")
        let dir = TestDirectory("overflow")
        // No timer rescan during the test: only the overflow path can find the files.
        let daemon = try DaemonProcess(directory: dir, settings: ["spool.rescan_seconds": "3600", "log.level": "info"]).start()
        kill(daemon.pid, SIGSTOP)
        let count = queueLimit + 500
        let date = isoDate(-60)
        for i in 0..<count {
            daemon.drop("o\(i).conv", "Date: \(date)\nEmployee: e\n\noverflow \(i)\n")
        }
        kill(daemon.pid, SIGCONT)
        #expect(daemon.drained(120), "left: \(dir.list("spool/new").count)")
        #expect(daemon.stop() == 0)
        #expect(daemon.log.contains("inotify queue overflowed; rescanning new/"))
        #expect(try ConversationStore(path: daemon.databasePath).conversationCount() == count)
    }
}
