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


extension PyramidBenchmark {
    /// The same with customers and orders (issue 14's scenario: N conversations from N/5
    /// customers, N/5 orders): what the order figures add to `pyramid`, and `kpi` with customer
    /// conversion, which reads the window's conversations and orders.
    static func withOrders(_ n: Int, rounds: Int = 9) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dialogbench-pyramid-orders-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { if ProcessInfo.processInfo.environment["DIALOGBENCH_KEEP"] == nil { try? FileManager.default.removeItem(atPath: dir) } else { print("kept \(dir)") } }
        let now = Int64(Date().timeIntervalSince1970)
        let customers = max(1, n / 5), m = max(1, n / 5)
        var g = SystemRandomNumberGenerator()
        var conversations = RoiBenchmark.records(n, end: now)
        let identity = CustomerIdentity(mode: .pseudonymous, key: String(repeating: "ab", count: 32))
        for i in conversations.indices { conversations[i].customer = identity.stored("c\(Int.random(in: 0..<customers, using: &g))@example.com") }
        let span: Int64 = 400 * 86_400
        let store = try ConversationStore(path: dir + "/orders.db")
        try store.adopt(Valuation())
        for start in stride(from: 0, to: n, by: 1000) {
            try store.transaction { () throws in
                for i in start..<min(n, start + 1000) {
                    _ = try store.insert(CountedRecord(conversations[i], labels: nil, valuation: store.valuation), key: "id:b\(i)", sourceFile: "bench", line: 1, ingestedAt: 0)
                }
            }
        }
        for start in stride(from: 0, to: m, by: 1000) {
            try store.transaction { () throws in
                for i in start..<min(m, start + 1000) {
                    let order = OrderRecord(id: "o\(i)", date: now - span + Int64(i) * span / Int64(m),
                                            customer: identity.stored("c\(Int.random(in: 0..<customers, using: &g))@example.com") ?? "",
                                            amountCents: Int64.random(in: -5_000...500_000, using: &g), currency: "EUR")
                    _ = try store.ingest(order, key: order.key, sourceFile: "bench.orders.csv", line: i + 2, ingestedAt: 0)
                }
            }
        }
        let reader = try store.roiReader(timeZone: TimeZone(identifier: "Europe/Berlin")!, employeeFigures: .pseudonymous)
        var off = try store.roiReader(timeZone: TimeZone(identifier: "Europe/Berlin")!, employeeFigures: .off)
        off.pseudonyms = nil
        let query = RoiQuery(window: .d30)
        var pyramid: [Double] = [], pyramidOff: [Double] = [], kpi: [Double] = []
        for _ in 0..<rounds {
            pyramid.append(try RoiBenchmark.time { _ = try reader.pyramid(query, now: now) })
            pyramidOff.append(try RoiBenchmark.time { _ = try off.pyramid(query, now: now) })
            kpi.append(try RoiBenchmark.time { _ = try reader.kpiResult(query, now: now) })
        }
        func median(_ t: [Double]) -> String { String(format: "%.2f ms", t.sorted()[t.count / 2] * 1000) }
        return """
            | \(n) conversations of \(customers) customers, \(m) orders, over 400 days (median of \(rounds)) | |
            |---|---|
            | pyramid --window 30d, pseudonymous, with order revenue | \(median(pyramid)) |
            | pyramid --window 30d, employee figures off, with order revenue | \(median(pyramidOff)) |
            | kpi --window 30d with customer conversion (overall and per department) | \(median(kpi)) |
            """
    }
}
