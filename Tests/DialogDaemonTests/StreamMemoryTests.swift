import DialogCore
import DialogStore
import Foundation
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Issue 12, outside attack 8: four droppers' large `.jsonl` files stored side by side took the
/// daemon to 63.5 MiB (release) and 64.1–68.0 MB (debug) against the 64 MiB promised for the whole
/// run (docs/spool.md). A stream itself holds little (its reader and, until now, its last stored
/// slice while it waited for its turn); what filled the margin was SQLite's page cache, 16 MiB
/// once the store outgrew it, now 4 MiB. Real daemon, spool and store; four owners by chown, so
/// the suite needs root (CI runs as root).
@Suite("Four large streams side by side: the daemon stays under 64 MiB", .serialized,
       .enabled(if: getuid() == 0, "needs root to give the dropped files four owners (chown)"))
struct StreamMemoryTests {
    static let records = 6000

    /// `count` records of dropper `who`, each with some 800 bytes of one long word (stored, cheap
    /// to classify), so four files outgrow the old page cache within seconds of a debug build.
    static func jsonl(_ who: String, _ count: Int) -> String {
        let departments = ["sales", "service", "marketing", "product"], outcomes = ["won", "resolved", "engaged", "idea"]
        var random = BulkText(state: UInt64(who.utf8.reduce(7) { $0 &* 31 &+ UInt64($1) }))
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
        var lines: [String] = []
        lines.reserveCapacity(count)
        for i in 0..<count {
            let bulk = String(decoding: (0..<800).map { _ in alphabet[random.next(alphabet.count)] }, as: UTF8.self)
            let day = 1 + i % 28, hour = i % 24
            lines.append(#"{"id": "\#(who)-\#(i)", "date": "2026-11-\#(day < 10 ? "0" : "")\#(day) \#(hour < 10 ? "0" : "")\#(hour):00", "employee": "emp\#(i % 7)", "#
                + #""channel": "chat", "department": "\#(departments[i % 4])", "outcome": "\#(outcomes[i % 4])", "text": "record \#(i) of \#(who) \#(bulk)"}"#)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test("four droppers' 6,000-record .jsonl files (23 MB) streamed side by side: VmHWM under 64 MiB and at most 20 MiB over the idle daemon's")
    func fourStreamsStayUnderLimit() throws {
        let dir = TestDirectory("stream-memory-four")
        let owners: [UInt32] = [1001, 1002, 1003, 1004]
        for (k, owner) in owners.enumerated() {
            DropperTurnsTests.write(dir, "u\(k).jsonl", owner: owner, Self.jsonl("u\(k)", Self.records))
        }
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        Thread.sleep(forTimeInterval: 0.3)
        let idle = try #require(peakResidentKiB(daemon.pid))
        for k in owners.indices { DropperTurnsTests.publish(dir, "u\(k).jsonl") }
        #expect(daemon.drained(600), "left in new/: \(dir.list("spool/new"))")
        let peak = try #require(peakResidentKiB(daemon.pid))
        #expect(daemon.stop() == 0)

        let log = daemon.log
        let started = DropperTurnsTests.started(log)
        print("StreamMemoryTests.fourStreamsStayUnderLimit: dialogd VmHWM idle \(idle) KiB, peak \(peak) KiB (+\(peak - idle) KiB); started \(started)")
        // Side by side: all four started before the first ended.
        let firstEnd = log.range(of: "batch: 1 large file")?.lowerBound
        let lastStart = started.last.flatMap { log.range(of: "spool: storing \($0)")?.lowerBound }
        #expect(started.count == 4 && firstEnd != nil && lastStart != nil && lastStart! < firstEnd!, "the four files were not stored side by side: \(started)")
        #expect(peak < residentLimitKiB, "peak RSS \(peak) KiB")
        // The streams, the page cache, the classifier's tables and the slices' aggregates together:
        // 11.8 MiB; with the 16 MiB page cache and a stored slice held per waiting stream, 25.1 MiB
        // (debug; the peak itself was 61.2 MiB, the margin release builds had left).
        #expect(peak - idle < 20 * 1024, "four streams added \(peak - idle) KiB to the idle daemon's \(idle) KiB")
        #expect(try ConversationStore(path: daemon.databasePath).conversationCount() == owners.count * Self.records)
    }
}

/// A small deterministic generator (xorshift) for the bulk text, so a failure replays.
private struct BulkText {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return Int(state % UInt64(bound))
    }
}
