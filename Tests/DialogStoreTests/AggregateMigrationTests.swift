import DialogCore
import Foundation
import Testing
@testable import DialogStore

@Suite("ROI aggregate migrations")
struct AggregateMigrationTests {
    @Test("a v2 database with the old aggregate tables migrates to exactly the tables a fresh ingest builds")
    func slimAggregatesFromVersion2() throws {
        try withTemporaryDirectory { dir in
            var g = SeededGenerator(seed: 11)
            let records = (0..<300).map { RoiFixtures.randomRecord(&g, n: $0) }
            let valuation = Valuation()
            do {
                let v2 = try Database(path: dir + "/old.db")
                try Migrator(Array(Schema.migrator.migrations.prefix(2))).migrate(v2)
                for r in records {
                    let p = valuation.price(r)
                    try v2.execute("""
                        INSERT INTO conversations (key, date, utc_offset, employee, channel, department, outcome, duration_s,
                            value_cents, satisfaction, sentiment, response_time_s, source_file, source_line, ingested_at,
                            department_final, outcome_final, duration_s_effective, cost_cents, value_cents_effective)
                        VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'f', 1, 0, ?, ?, ?, ?, ?)
                        """, arguments: [RecordKey.make(for: r), r.date, r.employee, r.channel, r.department, r.outcome,
                                         r.durationSeconds, r.valueCents, r.satisfaction, r.sentiment, r.responseTimeSeconds,
                                         p.department, p.outcome, p.durationSeconds, p.costCents, p.valueCents])
                }
                try Self.buildVersion2Aggregates(v2)
                try v2.close()
            }
            let old = try ConversationStore(path: dir + "/old.db")
            #expect(try Migrator.currentVersion(of: old.database) == Schema.migrator.latestVersion)
            #expect(try old.database.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'roi_hourly_dim'", as: Int.self) == 0)
            let fresh = try ConversationStore(path: dir + "/fresh.db")
            try fresh.adopt(valuation)
            try RoiAggregateTests.ingest(records, into: fresh)
            for table in AggregateTable.all {
                let rows = "SELECT * FROM \(table.name) ORDER BY " + table.primaryKey.joined(separator: ", ")
                let migrated = try dump(old.database, rows)
                #expect(migrated == (try dump(fresh.database, rows)), "\(table.name)")
                #expect(migrated.count > 20, "\(table.name)")
            }
        }
    }

    /// The aggregates as dialogd wrote them before the slimming migration: three single
    /// dimensions per hour and per day, plus the two department pairs per day.
    /// Frozen like the migrations: the sums v2 had, not today's `RoiSumColumn` list.
    static func buildVersion2Aggregates(_ db: Database) throws {
        let sums = """
            sum(conversations), sum(seconds), sum(cost_cents), sum(value_cents), sum(satisfaction_sum), sum(satisfaction_count),
            sum(satisfaction_high), sum(response_s_sum), sum(response_count), sum(positive), sum(neutral), sum(negative)
            """
        let day = "hour / 24 - (hour % 24 < 0)"
        try db.execute("""
            INSERT INTO roi_hourly
            SELECT date / 3600 - (date % 3600 < 0), coalesce(department_final, ''), coalesce(outcome_final, ''), channel, employee,
                count(*), sum(duration_s_effective), sum(cost_cents), sum(value_cents_effective),
                coalesce(sum(satisfaction), 0), count(satisfaction), count(CASE WHEN satisfaction >= 4 THEN 1 END),
                coalesce(sum(response_time_s), 0), count(response_time_s),
                count(CASE WHEN sentiment = 'positive' THEN 1 END), count(CASE WHEN sentiment = 'neutral' THEN 1 END),
                count(CASE WHEN sentiment = 'negative' THEN 1 END)
            FROM conversations GROUP BY 1, 2, 3, 4, 5
            """)
        for dimension in ["department", "outcome", "channel"] {
            try db.execute("INSERT INTO roi_hourly_dim SELECT hour, '\(dimension)', \(dimension), '', \(sums) FROM roi_hourly GROUP BY 1, 3")
        }
        try db.execute("INSERT INTO roi_daily_dim SELECT \(day), dim, a, b, \(sums) FROM roi_hourly_dim GROUP BY 1, 2, 3, 4")
        for other in ["outcome", "channel"] {
            try db.execute("""
                INSERT INTO roi_daily_dim SELECT \(day), 'department/\(other)', department, \(other), \(sums)
                FROM roi_hourly GROUP BY 1, 3, 4
                """)
        }
        try db.execute("INSERT INTO roi_daily_activity SELECT \(day), employee, channel, \(sums) FROM roi_hourly GROUP BY 1, 2, 3")
    }

    func dump(_ database: Database, _ sql: String) throws -> [String] {
        try database.fetchAll(sql) { row in
            (0..<row.count).map { row.isNull($0) ? "NULL" : (row[$0] as String) }.joined(separator: "|")
        }
    }
}
