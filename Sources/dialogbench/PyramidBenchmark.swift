import DialogCore
import DialogStore
import Foundation

/// Issue 17's pyramid row, in process: `pyramid --window 30d` over N conversations (the `roi`
/// scenario's data) in every privacy mode, with employee labels computed per request (as before
/// the pseudonym cache) and kept per connection, measured interleaved in the same run so
/// machine load hits both alike.
enum PyramidBenchmark {
    static func run(_ n: Int, rounds: Int = 15) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dialogbench-pyramid-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { if ProcessInfo.processInfo.environment["DIALOGBENCH_KEEP"] == nil { try? FileManager.default.removeItem(atPath: dir) } else { print("kept \(dir)") } }
        let now = Int64(Date().timeIntervalSince1970)
        let all = RoiBenchmark.records(n, end: now)
        let store = try ConversationStore(path: dir + "/roi.db")
        try store.adopt(Valuation())
        for start in stride(from: 0, to: n, by: 1000) {
            try store.transaction { () throws in
                for i in start..<min(n, start + 1000) {
                    _ = try store.insert(CountedRecord(all[i], labels: nil, valuation: store.valuation), key: RecordKey.make(for: all[i]),
                                         sourceFile: "bench", line: 1, ingestedAt: 0)
                }
            }
        }
        let zone = TimeZone(identifier: "Europe/Berlin")!
        let query = RoiQuery(window: .d30)
        var readers: [(String, RoiReader)] = []
        for mode in [EmployeeFigures.pseudonymous, .named, .off] {
            var perRequest = try store.roiReader(timeZone: zone, employeeFigures: mode)
            perRequest.pseudonyms = nil
            readers.append(("\(mode.rawValue), labels per request", perRequest))
            readers.append(("\(mode.rawValue), labels kept", try store.roiReader(timeZone: zone, employeeFigures: mode)))
        }
        var times = Array(repeating: [Double](), count: readers.count)
        var kpiTimes: [Double] = []
        for _ in 0..<rounds {
            for (i, (_, reader)) in readers.enumerated() {
                times[i].append(try RoiBenchmark.time { _ = try reader.pyramid(query, now: now) })
            }
            kpiTimes.append(try RoiBenchmark.time { _ = try readers[0].1.kpis(query, now: now) })
        }
        func median(_ t: [Double]) -> String { String(format: "%.2f ms", t.sorted()[t.count / 2] * 1000) }
        // What the cache saves per request: one keyed SHA-256 per employee × channel cell.
        let labeler = EmployeeLabeler(mode: .pseudonymous, key: try store.pseudonymKey())
        let cells = (0..<40).flatMap { e in (0..<10).map { _ in "employee\(e)" } }
        let labelTime = RoiBenchmark.median(rounds) { for name in cells { _ = labeler.label(name) } }
        var text = "| pyramid --window 30d, \(n) conversations over 400 days (median of \(rounds), interleaved) | |\n|---|---|\n"
        for (i, (name, _)) in readers.enumerated() { text += "| \(name) | \(median(times[i])) |\n" }
        text += String(format: "| 400 employee × channel labels computed (what keeping them saves per request) | %.2f ms |\n", labelTime * 1000)
        return text + "| kpi --window 30d | \(median(kpiTimes)) |"
    }
}

