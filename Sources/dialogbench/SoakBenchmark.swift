import Foundation
import Synchronization
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// `dialogbench soak`: the daemon runs for M minutes under mixed ingest (single files, JSONL
/// batches, some bad files) and queries (persistent and one-shot connections, every read
/// command, some malformed requests). RSS and open fds are sampled every 5 s; both must be
/// flat: after a warm-up (the first half), the median of the last third of the rest is
/// compared with its first third.
enum SoakBenchmark {
    struct Sample {
        var seconds: Int
        var rssKiB: Int
        var fds: Int
        var conversations: Int
    }

    /// Allowed growth from the first to the last third (after warm-up): RSS 10 % (at least
    /// 4 MiB, allocator noise), open fds 2 (a query connection caught open or not).
    static let rssTolerance = 0.10
    static let rssSlackKiB = 4096
    static let fdSlack = 2

    static func run(minutes: Int) throws -> (report: String, flat: Bool) {
        let daemon = try BenchDaemon(settings: "")
        defer { daemon.stop() }
        try daemon.start()
        let socket = daemon.root + "/run/dialogd.sock"
        let writer = SoakWriter(spool: daemon.spool)
        let readers = try (0..<3).map { _ in try SoakReader(path: socket, persistent: true) } + [try SoakReader(path: socket, persistent: false)]
        let pid = daemon.process.processIdentifier
        var samples: [Sample] = []
        let start = Date()
        let total = minutes * 60
        while true {
            let elapsed = Int(Date().timeIntervalSince(start))
            samples.append(Sample(seconds: elapsed, rssKiB: daemon.rssKiB, fds: openDescriptors(pid), conversations: writer.records.load(ordering: .relaxed)))
            guard elapsed < total, daemon.process.isRunning else { break }
            sleep(5)
        }
        writer.stop()
        readers.forEach { $0.stop() }
        guard daemon.process.isRunning else { throw BenchError("dialogd died during the soak: \(daemon.log.suffix(2000))") }
        let served = readers.reduce(0) { $0 + $1.served.load(ordering: .relaxed) }
        let failed = readers.reduce(0) { $0 + $1.failed.load(ordering: .relaxed) }
        return report(samples, minutes: minutes, files: writer.files.load(ordering: .relaxed), records: writer.records.load(ordering: .relaxed),
                      served: served, failed: failed, peakKiB: max(daemon.peakRSSKiB, samples.map(\.rssKiB).max() ?? 0))
    }

    static func openDescriptors(_ pid: Int32) -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []).count
    }

    static func median(_ values: [Int]) -> Int { values.sorted()[values.count / 2] }

    static func report(_ samples: [Sample], minutes: Int, files: Int, records: Int, served: Int, failed: Int, peakKiB: Int) -> (report: String, flat: Bool) {
        // Warm-up: the first half. SQLite's page cache (16 MiB) fills as the database grows,
        // which under this load takes about five minutes; a leak keeps growing after that.
        let warm = samples.filter { $0.seconds >= max(60, minutes * 30) }
        let third = max(warm.count / 3, 1)
        let first = Array(warm.prefix(third)), last = Array(warm.suffix(third))
        let rssFirst = median(first.map(\.rssKiB)), rssLast = median(last.map(\.rssKiB))
        let fdFirst = median(first.map(\.fds)), fdLast = median(last.map(\.fds))
        let rssFlat = rssLast <= max(Int(Double(rssFirst) * (1 + rssTolerance)), rssFirst + rssSlackKiB)
        let fdFlat = fdLast <= fdFirst + fdSlack
        var lines = ["| time | RSS | open fds | records dropped so far |", "|---|---|---|---|"]
        for sample in samples where sample.seconds % 60 < 5 || sample.seconds == samples.last?.seconds {
            lines.append(String(format: "| %d:%02d | %.1f MiB | %d | %d |", sample.seconds / 60, sample.seconds % 60, Double(sample.rssKiB) / 1024, sample.fds, sample.conversations))
        }
        lines.append("")
        lines.append("\(minutes) min: \(files) files (\(records) records) dropped, \(served) queries answered (\(failed) refused as intended: malformed), peak RSS \(String(format: "%.1f", Double(peakKiB) / 1024)) MiB.")
        lines.append(String(format: "After the warm-up (first half): RSS median first third %.1f MiB → last third %.1f MiB: %@. Open fds median %d → %d: %@.",
                            Double(rssFirst) / 1024, Double(rssLast) / 1024, rssFlat ? "flat" : "GROWING", fdFirst, fdLast, fdFlat ? "flat" : "GROWING"))
        return (lines.joined(separator: "\n"), rssFlat && fdFlat)
    }
}

/// Drops files the writers' way (tmp/, then rename): 20 single `.conv` files every 100 ms,
/// a JSONL file of 200 records every 5 s, one bad file every 2 s.
final class SoakWriter: Sendable {
    let files = Atomic<Int>(0)
    let records = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)

    init(spool: String) {
        let thread = Thread { [self] in
            var n = 0
            var tick = 0
            let formatter = ISO8601DateFormatter()
            while !self.stopping.load(ordering: .relaxed) {
                let date = formatter.string(from: Date().addingTimeInterval(-Double(tick % 86_400)))
                for _ in 0..<20 {
                    n += 1
                    self.drop(spool, "s\(n).conv", "Date: \(date)\nEmployee: e\(n % 40)\nChannel: email\nDuration: \(n % 55 + 5)m\nOutcome: resolved\nValue: \(n % 300),50 €\n\nSoak conversation \(n).\n", records: 1)
                }
                if tick % 50 == 0 {
                    n += 1
                    let lines = (0..<200).map { "{\"date\": \"\(date)\", \"employee\": \"j\($0 % 9)\", \"duration\": \"4m\", \"outcome\": \"lead\", \"text\": \"bulk \(n)-\($0)\"}" }
                    self.drop(spool, "b\(n).jsonl", lines.joined(separator: "\n") + "\n", records: 200)
                }
                if tick % 20 == 0 {
                    n += 1
                    self.drop(spool, "bad\(n).conv", "Employee: nobody\n\nno date \(n)\n", records: 1)
                }
                tick += 1
                usleep(100_000)
            }
            self.finished.store(true, ordering: .sequentiallyConsistent)
        }
        thread.start()
    }

    private func drop(_ spool: String, _ name: String, _ text: String, records: Int) {
        guard FileManager.default.createFile(atPath: "\(spool)/tmp/\(name)", contents: Data(text.utf8)),
              rename("\(spool)/tmp/\(name)", "\(spool)/new/\(name)") == 0 else { return }
        files.add(1, ordering: .relaxed)
        self.records.add(records, ordering: .relaxed)
    }

    func stop() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        while !finished.load(ordering: .sequentiallyConsistent) { usleep(1000) }
    }
}

/// Asks every read command in turn, a malformed line now and then; on one connection, or on a
/// new connection per request (so a leaked descriptor would show).
final class SoakReader: Sendable {
    static let requests = [
        #"{"command":"status"}"#, #"{"command":"roi","args":{"window":"30d","by":"department"}}"#,
        #"{"command":"roi","args":{"window":"365d","by":"month"}}"#, #"{"command":"kpi","args":{"window":"7d"}}"#,
        #"{"command":"pyramid","args":{"window":"90d"}}"#, #"{"command":"list","args":{"limit":50}}"#,
        #"{"command":"metrics"}"#, #"{"command":"quarantine"}"#, #"{"command":"show","args":{"key":"1"}}"#,
        #"{"command":"no-such-command"}"#, #"not json at all"#,
    ]
    let served = Atomic<Int>(0)
    let failed = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)

    init(path: String, persistent: Bool) throws {
        let first = try BenchClient(path: path)
        let thread = Thread { [self] in
            var client: BenchClient? = first
            var i = 0
            while !self.stopping.load(ordering: .relaxed) {
                let request = Self.requests[i % Self.requests.count]
                i += 1
                do {
                    let connection = try client ?? BenchClient(path: path)
                    try connection.request(request)
                    client = persistent ? connection : nil
                    self.served.add(1, ordering: .relaxed)
                    if request.contains("no-such") || request.hasPrefix("not") { self.failed.add(1, ordering: .relaxed) }
                } catch {
                    client = nil
                }
                usleep(persistent ? 20_000 : 50_000)
            }
            self.finished.store(true, ordering: .sequentiallyConsistent)
        }
        thread.start()
    }

    func stop() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        while !finished.load(ordering: .sequentiallyConsistent) { usleep(1000) }
    }
}
