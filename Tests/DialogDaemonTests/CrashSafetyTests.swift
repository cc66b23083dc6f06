import DialogStore
import Foundation
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// docs/spool.md "exactly once": SIGKILL at any moment loses nothing and counts nothing twice.
@Suite("Crash safety")
struct CrashSafetyTests {
    /// 2,050 records in 1,260 files of every format; each record's text is unique (`rec-N`).
    static func flood(date: String) -> (files: [(String, String)], records: Int) {
        var files: [(String, String)] = []
        var n = 0
        func next() -> Int { defer { n += 1 }; return n }
        for i in 0..<1000 {
            let r = next()
            let id = i.isMultiple(of: 2) ? "ID: crash-\(r)\n" : ""
            files.append(("c\(i).conv", "\(id)Date: \(date)\nEmployee: e\(i % 7)\nChannel: email\nDauer: \(i % 50 + 1)m\n\nrec-\(r)\n"))
        }
        for i in 0..<100 {
            let lines = (0..<5).map { _ -> String in
                let r = next()
                return "{\"date\": \"\(date)\", \"employee\": \"j\(i % 5)\", \"duration\": \"3m\", \"text\": \"rec-\(r)\"}"
            }
            files.append(("j\(i).jsonl", lines.joined(separator: "\n") + "\n"))
        }
        for i in 0..<60 {
            let rows = (0..<5).map { _ in "\(date);k\(i % 3);4;rec-\(next())" }
            files.append(("s\(i).csv", "date;employee;duration;text\n" + rows.joined(separator: "\n") + "\n"))
        }
        for i in 0..<50 {
            let objects = (0..<4).map { _ in "{\"id\": \"arr-\(n)\", \"date\": \"\(date)\", \"employee\": \"a\", \"text\": \"rec-\(next())\"}" }
            files.append(("a\(i).json", "[" + objects.joined(separator: ",\n") + "]"))
        }
        for i in 0..<50 {
            files.append(("o\(i).json", "{\"date\": \"\(date)\", \"employee\": \"o\", \"value\": \"12,50 €\", \"text\": \"rec-\(next())\"}"))
        }
        return (files, n)
    }

    @Test("a flood of 2,050 records survives SIGKILL at several moments: every record stored exactly once")
    func sigkillDuringFlood() throws {
        let dir = TestDirectory("crash")
        let daemon = DaemonProcess(directory: dir, settings: ["spool.batch_max_files": "64", "log.level": "info"])
        let (files, total) = Self.flood(date: isoDate(-7200))
        #expect(total >= 2000)
        // Some files are already waiting before the first start (start-up scan).
        let waves = [files[0..<60], files[60..<360], files[360..<660], files[660..<960], files[960...]]
        try FileManager.default.createDirectory(atPath: dir.sub("spool/tmp"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir.sub("spool/new"), withIntermediateDirectories: true)
        for (name, text) in waves[0] { daemon.drop(name, text) }

        var kills = 0
        var waitingAtKill: [Int] = []
        let delaysMicroseconds: [UInt32] = [0, 3_000, 10_000, 25_000]
        for (round, wave) in waves.dropFirst().enumerated() {
            for (name, text) in wave { daemon.drop(name, text) }
            if round == 0 {
                // During start-up: opening the store, the recovery scan.
                try daemon.start(waitForReady: false)
                usleep(20_000)
            } else {
                // Mid-stream: the daemon is ready and working through the wave.
                try daemon.start()
                usleep(delaysMicroseconds[round])
            }
            daemon.crash()
            kills += 1
            waitingAtKill.append(dir.list("spool/new").count)
        }
        #expect(kills == 4)
        // The kills must have hit a daemon with work in hand, or this test proves nothing.
        #expect(waitingAtKill.filter { $0 > 0 }.count >= 3, "files waiting at each kill: \(waitingAtKill)")
        try daemon.start()
        #expect(daemon.drained(60), "new/ not drained; log tail:\n\(daemon.log.suffix(2000))")
        #expect(daemon.stop() == 0)

        #expect(dir.list("spool/new").isEmpty)
        #expect(dir.list("spool/quarantine").isEmpty, "\(dir.list("spool/quarantine").prefix(5))")
        #expect(dir.list("spool/cur").count == files.count)
        let store = try ConversationStore(path: daemon.databasePath)
        #expect(try store.conversationCount() == total)
        let texts = try storedTexts(store)
        #expect(texts.count == total)
        #expect(Set(texts) == Set((0..<total).map { "rec-\($0)" }))
        #expect(try store.integrityCheck() == "ok")
    }
}
