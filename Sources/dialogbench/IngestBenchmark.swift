import DialogDaemon
import DialogStore
import DialogSystem
import Foundation
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Ingest scenarios of issue 2: many small files, and one large JSONL file, end to end through
/// the real daemon (rename into new/ → stored, archived and fsynced).
enum IngestBenchmark {
    struct Result {
        var scenario: String
        var records: Int
        var seconds: Double
        var peakRSSKiB: Int
        var idleCPUPercent: Double
        var stored: Int
        /// The daemon's CPU time (user + system, all threads) and bytes written while ingesting:
        /// steadier than wall time on a shared machine, and they show where a change saves.
        var busyCPUSeconds: Double
        var writtenMiB: Double

        var row: String {
            let rate = Double(records) / seconds
            return String(
                format: "| %@ | %d | %.2f s | %.0f /s | %.2f s | %.0f MiB | %.1f MiB | %.1f %% | %d |",
                scenario, records, seconds, rate, busyCPUSeconds, writtenMiB, Double(peakRSSKiB) / 1024, idleCPUPercent, stored
            )
        }
    }

    static let header = """
        | scenario | records | time | throughput | daemon CPU | written | peak RSS | idle CPU (3 s) | stored |
        |---|---|---|---|---|---|---|---|---|
        """

    /// Spread over the last `days` days, all within the plausibility window.
    static func date(_ i: Int, days: Int) -> String {
        let seconds = Date().timeIntervalSince1970 - Double(i % days) * 86_400 - Double(i % 86_400)
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }

    /// `load`, when given, is started on the daemon's socket just before the drop and stopped
    /// when the flood is drained. `preDropped`: the files are in `new/` before dialogd starts
    /// (it made its spool and store, then stopped), measured from its start to drained — as the
    /// Python peer's files are there before it starts; otherwise from the first rename into `new/`.
    static func files(_ n: Int, days: Int, preDropped: Bool = false, load: ((String) throws -> QueryLoad)? = nil) throws -> Result {
        let daemon = try BenchDaemon(settings: "")
        defer { daemon.stop() }
        try daemon.start()
        if preDropped { daemon.terminate() }
        let channels = ["email", "twitter", "phone", "chat", "xing"]
        for i in 0..<n {
            let text = """
                Date: \(date(i, days: days))
                Employee: employee\(i % 40)
                Channel: \(channels[i % channels.count])
                Duration: \(i % 55 + 5)m
                Outcome: resolved
                Value: \(i % 300),50 €

                Conversation number \(i) about an order that did not arrive in time.

                """
            guard FileManager.default.createFile(atPath: "\(daemon.spool)/tmp/f\(i).conv", contents: Data(text.utf8)) else {
                throw BenchError("cannot write spool/tmp/f\(i).conv")
            }
        }
        sync() // the setup's writeback must not run during the measurement
        let queries = try load?(daemon.root + "/run/dialogd.sock")
        defer { queries?.stop() }
        let arrivals = try? SpoolWatcher(directory: daemon.spool + "/cur")
        func drop() throws {
            for i in 0..<n {
                guard rename("\(daemon.spool)/tmp/f\(i).conv", "\(daemon.spool)/new/f\(i).conv") == 0 else {
                    throw BenchError("rename failed: \(SystemError.reason(errno))")
                }
            }
        }
        let mark: Mark
        let timeline: ArrivalTimeline?
        if preDropped {
            try drop()
            sync()
            timeline = ArrivalTimeline.made()
            mark = Mark(startOf: daemon)
            try daemon.start(waitForReady: false)
        } else {
            timeline = ArrivalTimeline.made()
            mark = Mark(daemon)
            try drop()
        }
        try waitDrained(daemon, archived: n, arrivals: arrivals, timeline: timeline)
        let scenario = preDropped ? "\(n) pre-dropped single-record .conv files, \(days) days (start to drained)" : "\(n) single-record .conv files, \(days) days"
        return try finish(daemon, scenario: scenario, records: n, since: mark)
    }

    /// `settings` of `[spool]`: by default the limits of issue 2's runs; "" is the shipped defaults.
    static func jsonl(_ n: Int, days: Int, settings: String = "max_file_bytes = 1G\nbatch_max_ms = 60000") throws -> Result {
        let daemon = try BenchDaemon(settings: settings)
        defer { daemon.stop() }
        try daemon.start()
        var text = ""
        text.reserveCapacity(n * 200)
        let channels = ["email", "twitter", "phone", "chat", "xing"]
        for i in 0..<n {
            text += "{\"date\": \"\(date(i, days: days))\", \"employee\": \"employee\(i % 40)\", \"channel\": \"\(channels[i % 5])\", \"duration\": \"\(i % 55 + 5)m\", \"outcome\": \"resolved\", \"value\": \"\(i % 300).50 EUR\", \"text\": \"Conversation number \(i) about an order that did not arrive.\"}\n"
        }
        try text.write(toFile: "\(daemon.spool)/tmp/bulk.jsonl", atomically: false, encoding: .utf8)
        sync() // the setup's writeback must not run during the measurement
        let arrivals = try? SpoolWatcher(directory: daemon.spool + "/cur")
        let timeline = ArrivalTimeline.made()
        let mark = Mark(daemon)
        guard rename("\(daemon.spool)/tmp/bulk.jsonl", "\(daemon.spool)/new/bulk.jsonl") == 0 else {
            throw BenchError("rename failed")
        }
        try waitDrained(daemon, archived: 1, arrivals: arrivals, timeline: timeline)
        return try finish(daemon, scenario: "one .jsonl file of \(n) records, \(days) days\(settings.isEmpty ? ", default settings" : "")", records: n, since: mark)
    }

    /// Returns once `new/` is empty and `archived` files are in `cur/`. `arrivals` (inotify on
    /// `cur/`, watched before the drop) counts the moves, so the two directories are listed only
    /// when the count is reached: listing a 40,000-entry `new/` every 50 ms took 5–13 ms of CPU
    /// each time and the directory's lock beside the daemon being measured (issue 17, session 9).
    /// Without a watch, or once its queue overflowed, it lists them every 50 ms as before.
    /// `timeline`: `DIALOGBENCH_TIMELINE`'s, made at the measurement's start.
    static func waitDrained(_ daemon: BenchDaemon, archived: Int, arrivals: SpoolWatcher? = nil, timeline: ArrivalTimeline? = nil) throws {
        let deadline = Date().addingTimeInterval(600)
        var counting = arrivals != nil
        var moved = 0
        var timeline = arrivals != nil ? timeline : nil
        while true {
            if counting, let arrivals {
                let events = arrivals.drain()
                moved += events.names.count
                if events.overflowed { counting = false }
                timeline?.poll(arrived: events.names.count, total: moved, overflowed: events.overflowed)
            }
            if !counting || moved >= archived, daemon.entries("new") == 0, daemon.entries("cur") >= archived {
                timeline?.finish()
                return
            }
            guard Date() < deadline, daemon.process.isRunning else {
                throw BenchError("not drained: new/ \(daemon.entries("new")), cur/ \(daemon.entries("cur")); log: \(daemon.log.suffix(1000))")
            }
            usleep(counting && moved < archived ? 10_000 : 50_000)
        }
    }

    /// The start of a measurement: wall clock, daemon CPU ticks and bytes written.
    struct Mark {
        var date = Date()
        var cpuTicks: Int
        var writtenBytes: Int
        init(_ daemon: BenchDaemon) {
            cpuTicks = daemon.cpuTicks
            writtenBytes = daemon.writtenBytes
        }

        /// Right before `daemon` starts: a new process has used nothing yet.
        init(startOf daemon: BenchDaemon) {
            cpuTicks = 0
            writtenBytes = 0
        }
    }

    /// Time, CPU and bytes since `mark`, peak RSS, then three idle seconds of CPU, then the
    /// stored count from the database.
    static func finish(_ daemon: BenchDaemon, scenario: String, records: Int, since mark: Mark) throws -> Result {
        let seconds = Date().timeIntervalSince(mark.date)
        let busyTicks = daemon.cpuTicks - mark.cpuTicks
        let written = daemon.writtenBytes - mark.writtenBytes
        let peak = daemon.peakRSSKiB
        let before = daemon.cpuTicks
        sleep(3)
        let idleTicks = daemon.cpuTicks - before
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        kill(daemon.process.processIdentifier, SIGTERM)
        daemon.process.waitUntilExit()
        let stored = try ConversationStore(path: daemon.root + "/lib/dialogd.db").conversationCount()
        return Result(
            scenario: scenario, records: records, seconds: seconds, peakRSSKiB: peak,
            idleCPUPercent: Double(idleTicks) / ticksPerSecond / 3 * 100, stored: stored,
            busyCPUSeconds: Double(busyTicks) / ticksPerSecond, writtenMiB: Double(written) / 1_048_576
        )
    }
}
