import DialogCore
import Foundation
import Testing
@testable import DialogStore

/// The weekly rollups (migration v9, issue 17's read side): each weekly table is its daily
/// table summed per week after every kind of change, and a window read through whole weeks
/// with its end days added or taken off gives the cells a brute-force sum over the records gives.
@Suite("weekly aggregates")
struct WeeklyAggregateTests {
    /// Rows with a figure of `table.weekly`, and the same from its daily table summed per week.
    static func weeklyAndSummedDaily(_ store: ConversationStore, _ daily: AggregateTable) throws -> (weekly: [String], summed: [String]) {
        guard let weekly = daily.weekly else { return ([], []) }
        let keys = daily.keys.joined(separator: ", ")
        let nonzero = RoiSumColumn.names.map { "\($0) != 0" }.joined(separator: " OR ")
        let order = weekly.primaryKey.joined(separator: ", ")
        let have = try SchemaFreezeTests.dump(store.database, "SELECT \(weekly.columns.joined(separator: ", ")) FROM \(weekly.name) WHERE \(nonzero) ORDER BY \(order)")
        let summed = try SchemaFreezeTests.dump(store.database, """
            SELECT * FROM (SELECT day / 7 - (day % 7 < 0) AS week, \(keys), \(RoiSumColumn.names.map { "sum(\($0)) AS \($0)" }.joined(separator: ", "))
                FROM \(daily.name) GROUP BY \((["week"] + daily.keys).joined(separator: ", "))) WHERE \(nonzero) ORDER BY \(order)
            """)
        return (have, summed)
    }

    /// Expects both weekly tables to equal their daily tables summed per week, and to hold rows.
    static func expectWeeklyEqualsDaily(_ store: ConversationStore, _ context: String) throws {
        for daily in [AggregateTable.dailyDimension, .dailyActivity] {
            let (weekly, summed) = try weeklyAndSummedDaily(store, daily)
            #expect(weekly == summed, "\(context): \(daily.weekly?.name ?? "")")
            #expect(weekly.count > 10, "\(context): \(daily.weekly?.name ?? "")")
        }
    }

    @Test("each weekly table equals its daily table summed per week after ingest, amends, relabels, orders, forget, text_days, recompute and an attribution change",
          arguments: [1, 2] as [UInt64])
    func weeklyEqualsDaily(seed: UInt64) throws {
        try withTemporaryDirectory { dir in
            var g = SeededGenerator(seed: seed)
            let store = try ConversationStore(path: dir + "/w.db")
            try store.adopt(Valuation())
            if seed == 2 { (store.maxBufferedBuckets, store.maxOpenBufferedBuckets) = (5, 3) }
            var stored: [ConversationRecord] = []
            for batch in 0..<12 {
                try store.transaction {
                    for n in (batch * 40)..<(batch * 40 + 40) {
                        let r = AttributedAggregateTests.conversation(&g, n: n)
                        if case .stored = try store.ingest(r, key: RecordKey.make(for: r), sourceFile: "f", line: 1, ingestedAt: 0) { stored.append(r) }
                        if n % 4 == 0 {
                            let o = AttributedAggregateTests.order(&g, n: n)
                            _ = try store.ingest(o, key: o.key, sourceFile: "o.orders.csv", line: 2, ingestedAt: 0)
                        }
                    }
                    // An amend moves a record to another day (often another week) and department.
                    var r = stored[Int.random(in: 0..<stored.count, using: &g)]
                    r.department = ["sales", "service", nil][Int.random(in: 0..<3, using: &g)]
                    r.date += Int64.random(in: -5 * 86_400...5 * 86_400, using: &g)
                    if r.shipped == nil {
                        r.amends = r.id
                        _ = try store.ingest(r, key: RecordKey.make(for: r), sourceFile: "f", line: 1, ingestedAt: 0)
                    }
                }
            }
            try Self.expectWeeklyEqualsDaily(store, "ingested")
            // A review relabels one touch of an order: its figures and its share move.
            let id = try store.database.scalar("SELECT conversation_id FROM order_shares ORDER BY conversation_id LIMIT 1", as: Int64.self)
            if let id, let conversation = try store.conversation(rowID: id), let before = try store.countedForReview(conversation) {
                try store.transaction {
                    let after = store.valuation.relabeled(before.record, counted: before.priced, to: [.outcome: "won", .department: "marketing"])
                    try store.storeReview(rowID: id, changes: [.outcome: "won", .department: "marketing"], from: before, to: after)
                }
            }
            try Self.expectWeeklyEqualsDaily(store, "relabeled")
            _ = try store.forget(customerForms: [AttributedAggregateTests.customers[0]])
            try Self.expectWeeklyEqualsDaily(store, "forgotten")
            _ = try store.removeTexts(before: RoiFixtures.hotSpots.max()!)
            try Self.expectWeeklyEqualsDaily(store, "texts removed")
            store.attribution = AttributionConfig(modelName: "last_touch", lookbackSeconds: 2 * 86_400)
            try store.transaction { _ = try store.reattributeAll() }
            try Self.expectWeeklyEqualsDaily(store, "attribution changed")
            var dearer = ValuationConfig()
            dearer.departments["service"]!.hourlyCostCents = 47_30
            try store.adopt(Valuation(dearer))
            try store.recompute()
            try Self.expectWeeklyEqualsDaily(store, "recomputed")
        }
    }

    @Test("migration v9 fills the weekly tables of a v8 store from its daily rows: the rows a fresh ingest keeps")
    func migrationBackfills() throws {
        try withTemporaryDirectory { dir in
            var g = SeededGenerator(seed: 9)
            let fresh = try ConversationStore(path: dir + "/fresh.db")
            try fresh.adopt(Valuation())
            try fresh.transaction {
                for n in 0..<300 {
                    let r = AttributedAggregateTests.conversation(&g, n: n)
                    _ = try fresh.ingest(r, key: RecordKey.make(for: r), sourceFile: "f", line: 1, ingestedAt: 0)
                    if n % 3 == 0 {
                        let o = AttributedAggregateTests.order(&g, n: n)
                        _ = try fresh.ingest(o, key: o.key, sourceFile: "o.orders.csv", line: 2, ingestedAt: 0)
                    }
                }
            }
            let v8 = try Database(path: dir + "/v8.db")
            try Migrator(Array(Schema.migrator.migrations.prefix(Int(Schema.attributedAggregatesVersion)))).migrate(v8)
            try v8.execute("ATTACH DATABASE '\(dir)/fresh.db' AS fresh")
            for table in ["meta", "conversations", "orders", "order_shares", "roi_orders_hourly", "roi_orders_daily"]
                + AggregateTable.all.filter({ $0.time != "week" }).map(\.name) {
                try v8.execute("DELETE FROM main.\(table)")
                try v8.execute("INSERT INTO main.\(table) SELECT * FROM fresh.\(table)")
            }
            try v8.execute("DETACH DATABASE fresh")
            try v8.close()
            let migrated = try ConversationStore(path: dir + "/v8.db")
            #expect(try Migrator.currentVersion(of: migrated.database) == Schema.migrator.latestVersion)
            let want = try AttributedAggregateTests.aggregateDump(fresh)
            #expect((want["roi_weekly_activity"]?.count ?? 0) > 20)
            #expect(try AttributedAggregateTests.aggregateDump(migrated) == want)
        }
    }

    /// What `cells` must give for `columns` over `hours`: the records' sums per group, groups
    /// without conversations left out.
    static func bruteForce(_ records: [ConversationRecord], _ store: ConversationStore, _ columns: [String], _ hours: Range<Int64>,
                           site: String?) -> [[String]: RoiSums] {
        var want: [[String]: RoiSums] = [:]
        for r in records where hours.contains(RoiFixtures.hour(r.date)) && (site == nil || RoiFixtures.site(r) == site) {
            let p = store.valuation.price(r)
            let values = ["department": p.department ?? "", "outcome": p.outcome ?? "", "channel": r.channel,
                          "employee": r.employee, "site": RoiFixtures.site(r)]
            want[columns.map { values[$0] ?? "?" }, default: RoiSums()] += RoiSums(record: r, priced: p)
        }
        return want
    }

    @Test("windows of 1 hour to 70 days, any hour of any weekday: the cells of the pyramid's groupings, read together or alone, through weeks or days, equal a brute-force sum",
          arguments: [1, 2, 3] as [UInt64])
    func windowsThroughWeeks(seed: UInt64) throws {
        try withTemporaryDirectory { dir in
            var g = SeededGenerator(seed: seed)
            // Records on every day of a 120-day span, so every week and day row is there.
            let start = RoiFixtures.hotSpots[0] - 60 * 86_400
            let records = (0..<1_500).map { n -> ConversationRecord in
                var r = RoiFixtures.randomSiteRecord(&g, n: n)
                r.date = start + Int64.random(in: 0..<(120 * 86_400), using: &g)
                return r
            }
            let store = try ConversationStore(path: dir + "/w.db")
            try store.adopt(Valuation())
            try RoiAggregateTests.ingest(records, into: store)
            let reader = try store.roiReader(timeZone: RoiFixtures.berlin, employeeFigures: .named)
            let groupings = [["department", "outcome"], ["department", "channel"], ["employee", "channel"], ["department"], []]
            for _ in 0..<60 {
                let first = start / 3600 + Int64.random(in: -48...(100 * 24), using: &g)
                let hours = first..<(first + Int64.random(in: 1...(70 * 24), using: &g))
                var filters = RoiReader.Filters()
                filters.site = Bool.random(using: &g) ? nil : ["local", "north"][Int.random(in: 0..<2, using: &g)]
                let together = try reader.cells(hours: hours, filters: filters, byEach: groupings)
                for (grouping, cells) in zip(groupings, together) {
                    let want = Self.bruteForce(records, store, grouping, hours, site: filters.site)
                    let alone = try reader.cells(hours: hours, filters: filters, by: grouping)
                    let have = Dictionary(cells.map { ($0.keys, $0.sums) }, uniquingKeysWith: +)
                    #expect(have == want, "\(grouping) over \(hours) (\(hours.count / 24) days), site \(filters.site ?? "any")")
                    #expect(Dictionary(alone.map { ($0.keys, $0.sums) }, uniquingKeysWith: +) == want, "alone: \(grouping) over \(hours)")
                    #expect(have.count == cells.count, "one cell per key")
                }
            }
        }
    }
}
