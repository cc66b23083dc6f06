import DialogCore
import DialogStore
import Foundation

/// Issue 3's speed scenario, in process: N conversations over 400 days; ingest throughput
/// with pricing and aggregates against plain inserts; `roi 365d by department` and
/// `pyramid 30d` query times (median of repeated runs on a warm connection).
enum RoiBenchmark {
    static func records(_ n: Int, end: Int64) -> [ConversationRecord] {
        var g = SystemRandomNumberGenerator()
        let departments = ["sales", "marketing", "service", "product"]
        let outcomes = ["won", "lead", "lost", "engaged", "advocacy", "resolved", "escalated", "unresolved", "idea", "bug", "complaint", "none"]
        let channels = ["email", "twitter", "phone", "chat", "xing", "linkedin", "facebook", "instagram", "whatsapp", "unknown"]
        let span: Int64 = 400 * 86_400
        return (0..<n).map { i in
            ConversationRecord(
                id: "b\(i)", date: end - span + Int64(i) * span / Int64(n), employee: "employee\(Int.random(in: 0..<40, using: &g))",
                channel: channels.randomElement(using: &g)!, department: departments.randomElement(using: &g),
                outcome: outcomes.randomElement(using: &g), durationSeconds: Int64.random(in: 60...3600, using: &g),
                valueCents: Bool.random(using: &g) ? Int64.random(in: 0...100_000, using: &g) : nil,
                satisfaction: Int.random(in: 1...5, using: &g), sentiment: ["positive", "neutral", "negative"].randomElement(using: &g),
                responseTimeSeconds: Int64.random(in: 60...86_400, using: &g))
        }
    }

    static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    static func median(_ runs: Int, _ body: () throws -> Void) rethrows -> Double {
        var times: [Double] = []
        for _ in 0..<runs { times.append(try time(body)) }
        return times.sorted()[runs / 2]
    }

    static func run(_ n: Int) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dialogbench-roi-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { if ProcessInfo.processInfo.environment["DIALOGBENCH_KEEP"] == nil { try? FileManager.default.removeItem(atPath: dir) } else { print("kept \(dir)") } }
        let now = Int64(Date().timeIntervalSince1970)
        let all = records(n, end: now)
        let keys = all.map { RecordKey.make(for: $0) }

        // Baseline: the v1 insert (no pricing, no aggregates) into the same schema.
        let plain = try ConversationStore(path: dir + "/plain.db")
        let plainInsert = try plain.database.prepare("""
            INSERT INTO conversations (key, external_id, date, utc_offset, employee, channel, department, outcome,
                duration_s, value_cents, satisfaction, sentiment, response_time_s, source_file, source_line, ingested_at)
            VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'bench', 1, 0) ON CONFLICT(key) DO NOTHING
            """)
        let plainSeconds = try time {
            for start in stride(from: 0, to: n, by: 1000) {
                try plain.transaction { () throws in
                    for i in start..<min(n, start + 1000) {
                        let r = all[i]
                        try plainInsert.bind(arguments: [keys[i], r.id, r.date, r.employee, r.channel, r.department, r.outcome,
                                                         r.durationSeconds, r.valueCents, r.satisfaction, r.sentiment, r.responseTimeSeconds])
                        try plainInsert.execute()
                    }
                }
            }
        }

        let store = try ConversationStore(path: dir + "/roi.db")
        try store.adopt(Valuation())
        let roiSeconds = try time {
            for start in stride(from: 0, to: n, by: 1000) {
                try store.transaction { () throws in
                    for i in start..<min(n, start + 1000) {
                        _ = try store.insert(CountedRecord(all[i], labels: nil, valuation: store.valuation), key: keys[i], sourceFile: "bench", line: 1, ingestedAt: 0)
                    }
                }
            }
        }
        let buckets = try store.database.scalar("SELECT count(*) FROM roi_hourly", as: Int.self) ?? 0
        let reader = try store.roiReader(timeZone: TimeZone(identifier: "Europe/Berlin")!, employeeFigures: .pseudonymous)
        let roiQuery = RoiQuery(window: .d365, groupBy: .department)
        let pyramidQuery = RoiQuery(window: .d30)
        let roiMs = try median(9) { _ = try reader.roi(roiQuery, now: now) } * 1000
        let monthMs = try median(9) { _ = try reader.roi(RoiQuery(window: .d365, groupBy: .month), now: now) } * 1000
        // Outcome and channel have no hourly rows of their own: these read roi_hourly at the edges
        // (by channel) or for the whole window (a calendar grouping filtered by channel).
        let channelMs = try median(9) { _ = try reader.roi(RoiQuery(window: .d365, groupBy: .channel), now: now) } * 1000
        let monthPhoneMs = try median(3) {
            var query = RoiQuery(window: .d365, groupBy: .month)
            query.channel = "phone"
            _ = try reader.roi(query, now: now)
        } * 1000
        // Every aggregate table is keyed by site (issue 19): by site costs what by department costs.
        let siteMs = try median(9) { _ = try reader.roi(RoiQuery(window: .d365, groupBy: .site), now: now) } * 1000
        let oneSiteMs = try median(9) { _ = try reader.roi(RoiQuery(window: .d365, groupBy: .department, site: store.site), now: now) } * 1000
        let pyramidMs = try median(9) { _ = try reader.pyramid(pyramidQuery, now: now) } * 1000
        let kpiMs = try median(9) { _ = try reader.kpis(pyramidQuery, now: now) } * 1000
        let offReader = try store.roiReader(timeZone: TimeZone(identifier: "Europe/Berlin")!, employeeFigures: .off)
        let pyramidOffMs = try median(9) { _ = try offReader.pyramid(pyramidQuery, now: now) } * 1000
        let recomputeSeconds = try time { try store.recompute(Repricing(store.valuation)) }

        let plainRate = Double(n) / plainSeconds
        let roiRate = Double(n) / roiSeconds
        return String(format: """
            | conversations | %d over 400 days (%d hourly buckets) |
            |---|---|
            | ingest, plain insert (1,000 per transaction) | %.0f /s |
            | ingest, priced + aggregates | %.0f /s (%.0f %% of plain) |
            | roi --window 365d --by department | %.2f ms |
            | roi --window 365d --by month | %.2f ms |
            | roi --window 365d --by channel | %.2f ms |
            | roi --window 365d --by month --channel phone | %.2f ms |
            | roi --window 365d --by site | %.2f ms |
            | roi --window 365d --site S --by department | %.2f ms |
            | pyramid --window 30d (pseudonymous employees) | %.2f ms |
            | pyramid --window 30d (employee_figures = off) | %.2f ms |
            | kpi --window 30d | %.2f ms |
            | recompute | %.2f s |
            """, n, buckets, plainRate, roiRate, 100 * roiRate / plainRate, roiMs, monthMs, channelMs, monthPhoneMs, siteMs, oneSiteMs, pyramidMs, pyramidOffMs, kpiMs, recomputeSeconds)
    }
}
