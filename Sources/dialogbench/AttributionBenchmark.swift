import DialogCore
import DialogStore
import Foundation

/// Issue 14's speed scenario, in process: N conversations over 400 days from C customers and
/// M orders of the same customers, through the store's ingest (attribution kept per changed
/// customer before each commit); ingest rates, and `roi --window 365d --by department` with
/// attributed revenue (median of repeated runs on a warm connection).
enum AttributionBenchmark {
    static func run(_ n: Int, orders m: Int) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dialogbench-attr-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let now = Int64(Date().timeIntervalSince1970)
        let customers = max(1, n / 5)
        var g = SystemRandomNumberGenerator()
        var conversations = RoiBenchmark.records(n, end: now)
        let identity = CustomerIdentity(mode: .pseudonymous, key: String(repeating: "ab", count: 32))
        for i in conversations.indices { conversations[i].customer = identity.stored("c\(Int.random(in: 0..<customers, using: &g))@example.com") }
        let span: Int64 = 400 * 86_400
        let orders = (0..<m).map { i in
            OrderRecord(id: "o\(i)", date: now - span + Int64(i) * span / Int64(max(1, m)),
                        customer: identity.stored("c\(Int.random(in: 0..<customers, using: &g))@example.com") ?? "",
                        amountCents: Int64.random(in: -5_000...500_000, using: &g), currency: "EUR")
        }
        let store = try ConversationStore(path: dir + "/attr.db")
        try store.adopt(Valuation())
        let conversationSeconds = try RoiBenchmark.time {
            for start in stride(from: 0, to: n, by: 1000) {
                try store.transaction { () throws in
                    for i in start..<min(n, start + 1000) {
                        _ = try store.insert(CountedRecord(conversations[i], labels: nil, valuation: store.valuation), key: "id:b\(i)", sourceFile: "bench", line: 1, ingestedAt: 0)
                    }
                }
            }
        }
        let orderSeconds = try RoiBenchmark.time {
            for start in stride(from: 0, to: m, by: 1000) {
                try store.transaction { () throws in
                    for i in start..<min(m, start + 1000) {
                        _ = try store.ingest(orders[i], key: orders[i].key, sourceFile: "bench.orders.csv", line: i + 2, ingestedAt: 0)
                    }
                }
            }
        }
        let shares = try store.database.scalar("SELECT count(*) FROM order_shares", as: Int.self) ?? 0
        let reader = try store.roiReader(timeZone: TimeZone(identifier: "Europe/Berlin")!, employeeFigures: .pseudonymous)
        let year = RoiQuery(window: .d365, groupBy: .department), month = RoiQuery(window: .d30, groupBy: .department)
        let roiMs = try RoiBenchmark.median(9) { () throws in _ = try reader.roi(year, now: now) } * 1000
        let roi30Ms = try RoiBenchmark.median(9) { () throws in _ = try reader.roi(month, now: now) } * 1000
        // The figures, not only their speed: by department, rows + unattributed = the orders' amount.
        let report = try reader.roi(year, now: now)
        let credited = report.rows.reduce(Int64(0)) { $0 + ($1.figures.attributedCents ?? 0) }
        let balanced = credited + (report.total.unattributedCents ?? 0) == report.total.ordersCents
        let reattributeSeconds = try RoiBenchmark.time {
            _ = try store.transaction { () throws -> Int in try store.reattributeAll() }
        }
        // One customer with `[attribution] max_orders` orders over 80 days, then conversations
        // dated before all of them: each arrival attributes every one of those orders again.
        let heavy = identity.stored("heavy@example.com") ?? ""
        let cap = store.attribution.maxOrders
        try store.transaction { () throws in
            for i in 0..<cap {
                let order = OrderRecord(id: "h\(i)", date: now - 80 * 86_400 + Int64(i) * 80 * 86_400 / Int64(cap), customer: heavy,
                                        amountCents: 10_00, currency: "EUR")
                _ = try store.ingest(order, key: order.key, sourceFile: "heavy.orders.csv", line: i + 2, ingestedAt: 0)
            }
        }
        let arrivals = try (0..<5).map { k in
            var record = conversations[0]
            (record.customer, record.date) = (heavy, now - 85 * 86_400 + Int64(k))
            return try RoiBenchmark.time {
                try store.transaction { () throws in
                    _ = try store.insert(CountedRecord(record, labels: nil, valuation: store.valuation), key: "id:heavy\(k)", sourceFile: "bench", line: 1, ingestedAt: 0)
                }
            } * 1000
        }
        return String(format: """
            | conversations, customers, orders | %d, %d, %d over 400 days (%d order shares) |
            |---|---|
            | ingest conversations with customers (1,000 per transaction) | %.0f /s |
            | ingest orders, attributed before each commit (1,000 per transaction) | %.0f /s |
            | roi --window 365d --by department, with attributed revenue | %.2f ms |
            | roi --window 30d --by department, with attributed revenue | %.2f ms |
            | 365d by department: rows' attributed + unattributed = orders_cents (%d orders) | \(balanced ? "yes, to the cent" : "NO") |
            | re-attribute every order (recompute after a model change) | %.2f s |
            | one conversation of a customer with %d orders in its span (touches 1…5) | \(arrivals.map { String(format: "%.0f", $0) }.joined(separator: ", ")) ms |
            """, n, customers, m, shares, Double(n) / conversationSeconds, Double(m) / orderSeconds, roiMs, roi30Ms,
            report.total.orders ?? 0, reattributeSeconds, cap)
    }
}
