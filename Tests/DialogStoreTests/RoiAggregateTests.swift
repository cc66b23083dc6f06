import DialogCore
import Foundation
import Testing
@testable import DialogStore

@Suite("ROI aggregates")
struct RoiAggregateTests {
    static func ingest(_ records: [ConversationRecord], into store: ConversationStore) throws {
        try store.transaction { () throws in
            for r in records {
                _ = try store.insert(r, key: RecordKey.make(for: r), sourceFile: "f.jsonl", line: 1, ingestedAt: 0)
            }
        }
    }

    @Test("every window, grouping and filter from the aggregates equals a brute-force sum over the records",
          arguments: [1, 2, 3] as [UInt64])
    func aggregatesEqualBruteForce(seed: UInt64) throws {
        try withTemporaryDirectory { dir in
            var g = SeededGenerator(seed: seed)
            let records = (0..<700).map { RoiFixtures.randomSiteRecord(&g, n: $0) }
            let store = try ConversationStore(path: dir + "/d.db")
            #expect(store.homeSite == "local")
            try store.adopt(Valuation())
            try Self.ingest(records, into: store)
            let zone = RoiFixtures.berlin
            let reader = try store.roiReader(timeZone: zone, employeeFigures: .named)

            var queries: [(RoiQuery, Int64)] = []
            for spot in RoiFixtures.hotSpots {
                let since = spot - Int64.random(in: 0...3 * 86_400, using: &g)
                let until = spot + Int64.random(in: 0...3 * 86_400, using: &g)
                queries.append((RoiQuery(since: since, until: until), spot))
                for window in RoiQuery.Window.allCases {
                    queries.append((RoiQuery(window: window), spot + Int64.random(in: 0...86_400, using: &g)))
                }
            }
            // Long windows: many whole days from the daily rollups plus partial edge days.
            queries.append((RoiQuery(since: RoiFixtures.hotSpots.min()! - 5 * 86_400 + 1234, until: RoiFixtures.hotSpots.max()! + 5 * 86_400 - 77), 0))
            queries.append((RoiQuery(since: RoiFixtures.hotSpots[0] - 86_400 * 2 - 3600 * 5, until: RoiFixtures.hotSpots[1]), 0))
            var checked = 0
            for (base, now) in queries {
                for grouping in [nil] + RoiQuery.Grouping.allCases {
                    var query = base
                    query.groupBy = grouping
                    switch Int.random(in: 0..<7, using: &g) {
                    case 0: query.department = ["sales", "service", "unassigned", "legal"].randomElement(using: &g)
                    case 1: query.channel = ["twitter", "phone"].randomElement(using: &g)
                    case 2: query.employee = ["anna", "dana"].randomElement(using: &g)
                    case 3: query.outcome = ["resolved", "unclassified", "odd"].randomElement(using: &g)
                    case 4: query.channelGroup = ["social", "direct", "other"].randomElement(using: &g)
                    case 5: query.site = ["local", "north", "south", "west"].randomElement(using: &g)
                    default: break
                    }
                    let report = try reader.roi(query, now: now)
                    let hours = (report.window.since / 3600)..<(report.window.until / 3600)
                    let previous = report.previousWindow.map { ($0.since / 3600)..<($0.until / 3600) }
                    let want = RoiFixtures.expected(records, query, hours: hours, previous: previous, valuation: store.valuation, zone: zone)
                    // No orders here: attributed revenue is 0 wherever it is reported (issue 14).
                    let unfiltered = query.department == nil && query.channel == nil && query.employee == nil
                        && query.outcome == nil && query.channelGroup == nil && query.site == nil
                    var total = RoiFigures(want.total)
                    total.attributedCents = 0
                    if unfiltered { (total.orders, total.ordersCents, total.unattributedCents) = (0, 0, 0) }
                    #expect(report.total == total, "\(query) at \(now)")
                    #expect(report.previous == want.previous.map(RoiFigures.init), "\(query) at \(now)")
                    let rows = Dictionary(uniqueKeysWithValues: report.rows.map { ($0.key, $0.figures) })
                    let dimension = query.groupBy.map { !$0.isCalendar } ?? false
                    #expect(rows == want.rows.mapValues { sums in
                        var figures = RoiFigures(sums)
                        if dimension { figures.attributedCents = 0 }
                        return figures
                    }, "\(query) at \(now)")
                    #expect(report.rows.map(\.key) == report.rows.map(\.key).sorted())
                    checked += 1
                }
            }
            #expect(checked == (RoiFixtures.hotSpots.count * 7 + 2) * (RoiQuery.Grouping.allCases.count + 1))
            #expect(try store.conversationCount() == 700, "equal ids of three sites are three records")
        }
    }

    @Test("window arithmetic: named windows end with the current hour, explicit bounds widen to whole hours")
    func windows() throws {
        let now: Int64 = 1_774_746_000 + 1234 // 2026-03-29T01:20:34Z
        let day = RoiQuery(window: .h24).hours(now: now, stored: nil)
        let hourNow: Int64 = 1_774_746_000 / 3600
        let expectedDay: Range<Int64> = (hourNow - 23)..<(hourNow + 1)
        #expect(day == expectedDay)
        let explicit = RoiQuery(since: 3601, until: 7201).hours(now: now, stored: nil)
        let oneToThree: Range<Int64> = 1..<3
        #expect(explicit == oneToThree)
        let fiveToTen: Range<Int64> = 5..<10
        #expect(RoiQuery(window: .all).hours(now: now, stored: 5...9) == fiveToTen)
        #expect(RoiQuery(window: .all).hours(now: now, stored: nil).isEmpty)
    }

    @Test("recompute after a rate change equals a fresh ingest with the new rate; staleness is noticed")
    func recomputeEqualsFreshIngest() throws {
        try withTemporaryDirectory { dir in
            var g = SeededGenerator(seed: 42)
            let records = (0..<500).map { RoiFixtures.randomRecord(&g, n: $0) }
            var dearer = ValuationConfig()
            dearer.departments["service"]!.hourlyCostCents = 47_30
            dearer.outcomes["resolved"]!.valueCents = 12_00
            dearer.channels["twitter"]!.defaultDurationSeconds = 420
            dearer.costPerConversationCents = 0
            let newRates = Valuation(dearer)

            let old = try ConversationStore(path: dir + "/old.db")
            #expect(try old.adopt(Valuation()) == false)
            try Self.ingest(records, into: old)
            #expect(try old.valuationIsStale() == false)
            #expect(try old.adopt(newRates) == true)
            #expect(try old.recompute() == records.count)
            #expect(try old.valuationIsStale() == false)

            let fresh = try ConversationStore(path: dir + "/fresh.db")
            try fresh.adopt(newRates)
            try Self.ingest(records, into: fresh)

            for table in AggregateTable.all {
                let rows = "SELECT * FROM \(table.name) ORDER BY " + ([table.time] + table.keys).joined(separator: ", ")
                let (a, b) = (try dump(old.database, rows), try dump(fresh.database, rows))
                #expect(a == b, "\(table.name): \(zip(a, b).first { $0 != $1 }.map { "\($0) vs \($1)" } ?? "counts \(a.count) vs \(b.count)")")
                #expect(try dump(old.database, rows).count > 20, "\(table.name)")
            }
            let buckets = "SELECT * FROM roi_hourly ORDER BY hour, department, outcome, channel, employee"
            let priced = "SELECT key, department_final, outcome_final, duration_s_effective, cost_cents, value_cents_effective FROM conversations ORDER BY key"
            #expect(try dump(old.database, buckets) == dump(fresh.database, buckets))
            #expect(try dump(old.database, priced) == dump(fresh.database, priced))
            #expect(try dump(old.database, buckets).count > 100)
        }
    }

    @Test("a savepoint that rolls back undoes its records' buffered aggregates too; a failed transaction leaves none")
    func savepointUndoesAggregates() throws {
        try withTemporaryDirectory { dir in
            let store = try ConversationStore(path: dir + "/d.db")
            let kept = ConversationRecord(id: "kept", date: 1_774_746_000, employee: "a")
            let undone = ConversationRecord(id: "undone", date: 1_774_746_000, employee: "a")
            struct Refused: Error {}
            try store.transaction { () throws in
                _ = try store.insert(kept, key: "kept", sourceFile: "f", line: 1, ingestedAt: 0)
                _ = thrownError(Refused.self) {
                    try store.savepoint("file") {
                        _ = try store.insert(undone, key: "undone", sourceFile: "f", line: 1, ingestedAt: 0)
                        throw Refused()
                    }
                }
            }
            _ = thrownError(Refused.self) {
                try store.transaction { () throws in
                    _ = try store.insert(undone, key: "undone2", sourceFile: "f", line: 1, ingestedAt: 0)
                    throw Refused()
                }
            }
            for table in AggregateTable.all {
                let total = try store.database.scalar("SELECT sum(conversations) FROM \(table.name)", as: Int.self)
                // The dimension tables count each conversation three times: department, two pairs.
                let expected = ["roi_daily_dim": 3, "roi_weekly_dim": 3][table.name] ?? 1
                #expect(total == expected, "\(table.name)")
            }
            #expect(try store.conversationCount() == 1)
        }
    }

    @Test("an early flush of a large buffer inside a savepoint that rolls back leaves exact aggregates",
          arguments: [1, 7, 1000])
    func earlyFlushInsideSavepoint(limit: Int) throws {
        try withTemporaryDirectory { dir in
            let store = try ConversationStore(path: dir + "/d.db")
            store.maxBufferedBuckets = limit
            struct Refused: Error {}
            let kept = (0..<30).map { ConversationRecord(id: "k\($0)", date: 1_774_746_000 + Int64($0) * 3600, employee: "a") }
            let undone = (0..<40).map { ConversationRecord(id: "u\($0)", date: 1_774_746_000 + Int64($0) * 1800, employee: "b") }
            try store.transaction { () throws in
                for r in kept.prefix(15) { _ = try store.insert(r, key: r.id!, sourceFile: "f", line: 1, ingestedAt: 0) }
                _ = thrownError(Refused.self) {
                    try store.savepoint("file") {
                        for r in undone { _ = try store.insert(r, key: r.id!, sourceFile: "f", line: 1, ingestedAt: 0) }
                        throw Refused()
                    }
                }
                for r in kept.suffix(15) { _ = try store.insert(r, key: r.id!, sourceFile: "f", line: 1, ingestedAt: 0) }
            }
            let fresh = try ConversationStore(path: dir + "/fresh.db")
            try RoiAggregateTests.ingest(kept, into: fresh)
            for table in AggregateTable.all {
                let rows = "SELECT * FROM \(table.name) ORDER BY " + table.primaryKey.joined(separator: ", ")
                #expect(try dump(store.database, rows) == dump(fresh.database, rows), "\(table.name)")
            }
        }
    }

    @Test("labels spelled alike in different places (an employee named like a channel or a dimension, empty texts) count apart: every table equals its rebuild from the conversations",
          arguments: [20_000, 3])
    func alikeLabelsCountApart(bufferedBuckets: Int) throws {
        try withTemporaryDirectory { dir in
            let store = try ConversationStore(path: dir + "/d.db")
            store.maxBufferedBuckets = bufferedBuckets
            let names = ["department", "chat", "", "department/outcome", "sales", "resolved", "local"]
            var g = SeededGenerator(seed: 17)
            let records = (0..<400).map { n in
                var r = RoiFixtures.randomRecord(&g, n: n)
                r.employee = names[n % names.count]
                r.channel = names[(n / 7) % names.count]
                if n % 3 == 0 { r.department = names[(n / 3) % names.count] }
                if n % 4 == 0 { r.outcome = names[(n / 5) % names.count] }
                return r
            }
            try Self.ingest(records, into: store)
            let tables = try AggregateTable.all.map { table in
                try dump(store.database, "SELECT * FROM \(table.name) ORDER BY " + table.primaryKey.joined(separator: ", "))
            }
            try store.transaction { try store.rebuildAggregates() }
            for (table, rows) in zip(AggregateTable.all, tables) {
                let rebuilt = try dump(store.database, "SELECT * FROM \(table.name) ORDER BY " + table.primaryKey.joined(separator: ", "))
                #expect(rows == rebuilt, "\(table.name): \(zip(rows, rebuilt).first { $0 != $1 }.map { "\($0) vs \($1)" } ?? "counts \(rows.count) vs \(rebuilt.count)")")
                #expect(rows.count > 10, "\(table.name)")
            }
        }
    }

    @Test("a v1 database migrates to v2 unpriced, is reported stale, and recompute prices it like a fresh ingest")
    func migrationFromVersion1() throws {
        try withTemporaryDirectory { dir in
            var g = SeededGenerator(seed: 7)
            let records = (0..<50).map { RoiFixtures.randomRecord(&g, n: $0) }
            try SchemaFreezeTests.buildVersionOne(at: dir + "/old.db", records)
            let old = try ConversationStore(path: dir + "/old.db")
            #expect(try old.adopt(Valuation()) == true)
            #expect(try old.database.scalar("SELECT count(*) FROM roi_hourly", as: Int.self) == 0)
            try old.recompute()
            #expect(try old.valuationIsStale() == false)
            let fresh = try ConversationStore(path: dir + "/fresh.db")
            try fresh.adopt(Valuation())
            try Self.ingest(records, into: fresh)
            for table in AggregateTable.all {
                let rows = "SELECT * FROM \(table.name) ORDER BY " + table.primaryKey.joined(separator: ", ")
                let (a, b) = (try dump(old.database, rows), try dump(fresh.database, rows))
                #expect(a == b, "\(table.name): \(zip(a, b).first { $0 != $1 }.map { "\($0) vs \($1)" } ?? "counts \(a.count) vs \(b.count)")")
            }
        }
    }

    @Test("privacy: employee figures are refused when off, pseudonymous labels are stable and hide names")
    func privacy() throws {
        try withTemporaryDirectory { dir in
            let store = try ConversationStore(path: dir + "/d.db")
            let records = (0..<10).map { ConversationRecord(id: "p\($0)", date: 1_774_746_000 + Int64($0), employee: $0 % 2 == 0 ? "anna" : "ben") }
            try Self.ingest(records, into: store)
            let byEmployee = RoiQuery(window: .all, groupBy: .employee)
            let off = try store.roiReader(timeZone: .gmt, employeeFigures: .off)
            #expect(thrownError(RoiQueryError.self) { _ = try off.roi(byEmployee, now: 0) } == .figuresOff)
            let pseudo = try store.roiReader(timeZone: .gmt, employeeFigures: .pseudonymous)
            let keys = try pseudo.roi(byEmployee, now: 0).rows.map(\.key)
            #expect(keys.count == 2 && keys.allSatisfy { $0.hasPrefix("emp-") && $0.count == 14 })
            #expect(try store.roiReader(timeZone: .gmt, employeeFigures: .pseudonymous).roi(byEmployee, now: 0).rows.map(\.key) == keys)
            #expect(thrownError(RoiQueryError.self) { _ = try pseudo.roi(RoiQuery(employee: "anna"), now: 0) } == .filterNeedsNames)
        }
    }

    @Test("the JSON answer has docs/protocol.md's shape, roi null when cost is 0")
    func wireShape() throws {
        var sums = RoiSums()
        sums.conversations = 2
        sums.seconds = 89
        sums.valueCents = 500
        let report = RoiReport(window: TimeSpan(since: 0, until: 3600), rows: [RoiRow(key: "service", figures: RoiFigures(sums))],
                               total: RoiFigures(sums), previousWindow: nil, previous: nil)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(report), as: UTF8.self)
        #expect(json.contains(#"{"conversations":2,"cost_cents":0,"key":"service","minutes":1,"net_cents":500,"roi":null,"value_cents":500}"#))
        #expect(json.contains(#""window":{"since":0,"until":3600}"#))
        #expect(try JSONDecoder().decode(RoiReport.self, from: Data(json.utf8)) == report)
    }

    func dump(_ database: Database, _ sql: String) throws -> [String] {
        try database.fetchAll(sql) { row in
            (0..<row.count).map { row.isNull($0) ? "NULL" : (row[$0] as String) }.joined(separator: "|")
        }
    }
}
