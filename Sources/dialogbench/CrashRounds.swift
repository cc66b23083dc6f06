import DialogStore
import Foundation
import Synchronization
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// `dialogbench crash`: rounds of flood + SIGKILL at a random moment + restart. After each round
/// the exactly-once invariant must hold: records stored + records quarantined = records dropped,
/// no record stored twice, `integrity_check` ok, `new/` drained (docs/reliability.md).
enum CrashRounds {
    /// One round's files; every record carries a unique text `rec-N`.
    struct Flood {
        var files: [(name: String, text: String)] = []
        var good: [String] = []
        var quarantined = 0
        var records: Int { good.count + quarantined }
    }

    /// Mostly single `.conv` files (half with an `id`), with `.jsonl`, `.csv` and `.json` arrays
    /// that each carry one bad record, and whole files without a date (quarantined).
    static func flood(round: Int, files: Int, date: String, counter: inout Int) -> Flood {
        var flood = Flood()
        func token() -> String { defer { counter += 1 }; return "rec-\(counter)" }
        for i in 0..<files {
            let name = "r\(round)-\(i)"
            switch i % 20 {
            case 5:
                let t = token()
                flood.quarantined += 1
                flood.files.append(("\(name).conv", "Employee: e\(i % 7)\nChannel: email\n\n\(t) has no date\n"))
            case 10, 15:
                var lines: [String] = []
                for line in 0..<5 {
                    let t = token()
                    if line == 2 {
                        flood.quarantined += 1
                        lines.append("{\"date\": \"never\", \"employee\": \"j\", \"text\": \"\(t)\"}")
                    } else {
                        flood.good.append(t)
                        lines.append("{\"date\": \"\(date)\", \"employee\": \"j\(i % 5)\", \"duration\": \"3m\", \"text\": \"\(t)\"}")
                    }
                }
                flood.files.append(("\(name).jsonl", lines.joined(separator: "\n") + "\n"))
            case 12:
                var rows = ["date;employee;duration;text"]
                for row in 0..<4 {
                    let t = token()
                    if row == 1 {
                        flood.quarantined += 1
                        rows.append("30.02.2026 10:00;k;4;\(t)")
                    } else {
                        flood.good.append(t)
                        rows.append("\(date);k\(i % 3);4;\(t)")
                    }
                }
                flood.files.append(("\(name).csv", rows.joined(separator: "\n") + "\n"))
            case 17:
                let ts = (0..<3).map { _ in token() }
                flood.good += ts
                let objects = ts.map { "{\"id\": \"\($0)\", \"date\": \"\(date)\", \"employee\": \"a\", \"text\": \"\($0)\"}" }
                flood.files.append(("\(name).json", "[" + objects.joined(separator: ",\n") + "]"))
            default:
                let t = token()
                flood.good.append(t)
                let id = i.isMultiple(of: 2) ? "ID: \(t)\n" : ""
                flood.files.append(("\(name).conv", "\(id)Date: \(date)\nEmployee: e\(i % 7)\nChannel: email\nDauer: \(i % 50 + 1)m\n\n\(t)\n"))
            }
        }
        return flood
    }

    struct Check {
        var stored = 0
        var distinct = 0
        var quarantined = 0
        var missing = 0
        var integrity = ""
    }

    /// Reads the store (a second, read-only connection) and counts the quarantine's records.
    static func check(_ daemon: BenchDaemon, expected: Set<String>) throws -> Check {
        var check = Check()
        let db = try Database(path: daemon.root + "/lib/dialogd.db", flags: .readOnly)
        let texts = try db.fetchAll("SELECT text FROM conversations") { row in row[0] as String }
        check.stored = texts.count
        let stored = Set(texts.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        check.distinct = stored.count
        check.missing = expected.subtracting(stored).count
        check.integrity = try db.fetchAll("PRAGMA integrity_check") { row in row[0] as String }.joined(separator: "; ")
        let quarantine = daemon.spool + "/quarantine"
        for name in try FileManager.default.contentsOfDirectory(atPath: quarantine) where !name.hasPrefix(".") {
            if name.hasSuffix(".reason") {
                check.quarantined += 1
            } else if name.hasSuffix(".rejects.jsonl") {
                let text = try String(contentsOfFile: quarantine + "/" + name, encoding: .utf8)
                check.quarantined += text.split(separator: "\n").count
            }
        }
        return check
    }

    static func run(rounds: Int, files: Int) throws -> (report: String, ok: Bool) {
        let daemon = try BenchDaemon(settings: "rescan_seconds = 2")
        defer { daemon.stop() }
        try daemon.start()
        let date = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-3600))
        var counter = 0
        var expected = Set<String>()
        var dropped = 0
        var failures = 0
        var lines = [
            "| round | files | records dropped (total) | stored | quarantined | in new/ at kill | kill | result |",
            "|---|---|---|---|---|---|---|---|",
        ]
        var generator = SystemRandomNumberGenerator()
        for round in 1...rounds {
            let flood = flood(round: round, files: files, date: date, counter: &counter)
            for (name, text) in flood.files {
                try text.write(toFile: "\(daemon.spool)/tmp/\(name)", atomically: false, encoding: .utf8)
            }
            expected.formUnion(flood.good)
            dropped += flood.records
            // A writer renames the flood into new/ while the daemon works; the kill comes at a
            // random moment of it (or of the recovery after a restart, every third round).
            let renamer = Renamer(spool: daemon.spool, names: flood.files.map(\.name))
            let delay = UInt32.random(in: 0...250_000, using: &generator)
            usleep(delay)
            var moment = "after \(delay / 1000) ms of the flood"
            if round % 3 == 0 {
                daemon.crash()
                try daemon.start(waitForReady: false)
                let restartDelay = UInt32.random(in: 0...60_000, using: &generator)
                usleep(restartDelay)
                moment = "\(restartDelay / 1000) ms into a restart"
            }
            daemon.crash()
            let waiting = daemon.entries("new")
            renamer.wait()
            try daemon.start()
            try waitDrained(daemon)
            let c = try check(daemon, expected: expected)
            let ok = c.stored == c.distinct && c.missing == 0 && c.stored == expected.count
                && c.stored + c.quarantined == dropped && c.integrity == "ok" && daemon.entries("new") == 0
            if !ok { failures += 1 }
            lines.append("| \(round) | \(flood.files.count) | \(dropped) | \(c.stored) (\(c.distinct) distinct, \(c.missing) missing) | \(c.quarantined) | \(waiting) | \(moment) | \(ok ? "ok" : "**FAILED** (integrity: \(c.integrity))") |")
        }
        lines.append("")
        lines.append("\(rounds - failures) of \(rounds) rounds kept the invariant (stored + quarantined = dropped, no duplicates, integrity ok, new/ drained).")
        return (lines.joined(separator: "\n"), failures == 0)
    }

    /// Waits until new/ is empty and stays so past one rescan (files renamed while the daemon
    /// was dead are found by the start-up scan; the rescan catches any straggler).
    static func waitDrained(_ daemon: BenchDaemon) throws {
        let deadline = Date().addingTimeInterval(120)
        var emptySince: Date?
        while true {
            guard Date() < deadline, daemon.process.isRunning else {
                throw BenchError("not drained: new/ \(daemon.entries("new")); log: \(daemon.log.suffix(1000))")
            }
            if daemon.entries("new") == 0 {
                if let since = emptySince, Date().timeIntervalSince(since) > 0.5 { return }
                emptySince = emptySince ?? Date()
            } else {
                emptySince = nil
            }
            usleep(20_000)
        }
    }
}

/// Renames files from tmp/ into new/ on a thread of its own, as a busy writer would.
final class Renamer: Sendable {
    private let done = Atomic<Bool>(false)

    init(spool: String, names: [String]) {
        let thread = Thread { [self] in
            for name in names { rename("\(spool)/tmp/\(name)", "\(spool)/new/\(name)") }
            self.done.store(true, ordering: .sequentiallyConsistent)
        }
        thread.start()
    }

    func wait() {
        while !done.load(ordering: .sequentiallyConsistent) { usleep(1000) }
    }
}
