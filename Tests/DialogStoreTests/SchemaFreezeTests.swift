import DialogCore
import Foundation
import Testing
@testable import DialogStore

/// Released migrations are literal SQL that never changes, while the live code builds its
/// statements from `RoiSumColumn` and `AggregateTable`: these tests hold the two together.
@Suite("frozen migrations")
struct SchemaFreezeTests {
    /// SHA-256 of `schemaText` after the released migrations v1…vN on an empty file, one entry per
    /// release: v5's was taken from a database the code before the freeze created, each later one
    /// when its migration landed. Editing a released migration changes one of them.
    static let releasedSchemaSHA256: [Int: String] = [
        5: "65e722c0219766d9b482e63e59c867b23cc0cc6c4f7c0e74a4492eec94fd3ad5",
        6: "800e97cab9d0cb3102d2b623601c53a3263cfecbfad3d5efe303482426cedc78",
        7: "19bbc365bd24dff076cf074e02648198d1ee786a39538d5dadb13af7de55c0b8",
        8: "74c51b1e1248d4b0eb3f46306ece785fd7565e5e286387fae34f8846a2964c82",
        9: "78909fc9b146da85c40abbcaa43a90dbc5e6d7f1463126d5664db28e0339dcdc",
        10: "18b25b990c4e1b6778e531725b62f45fa5c29c44c93aaedd470e2586f3a5f217",
        11: "a9e37f4b01c040f287c0f57169ba6e87ae2f0f0035581413301cd61d51e4efc6",
        12: "ab031a295889ee547ec5a9000777303a72e5ea34997a10f70f0802b4219b8207",
    ]

    @Test("every released prefix of the migrations builds, from an empty file, exactly the schema it built when released",
          arguments: releasedSchemaSHA256.keys.sorted())
    func releasedMigrationsAreFrozen(version: Int) throws {
        try withTemporaryDirectory { dir in
            let db = try Database(path: dir + "/empty.db")
            try Migrator(Array(Schema.migrator.migrations.prefix(version))).migrate(db)
            let text = try Self.schemaText(db)
            let hash = SHA256.hexString(SHA256.hash(Array(text.utf8)))
            #expect(hash == Self.releasedSchemaSHA256[version], "v\(version): \(hash)\n\(text)")
        }
    }

    @Test("all migrations on an empty file build the tables and columns the live code reads and writes")
    func migrationsMatchTheLiveCode() throws {
        try withTemporaryDirectory { dir in
            let store = try ConversationStore(path: dir + "/fresh.db")
            #expect(try Self.mismatches(store.database) == [])
        }
    }

    @Test("the check fails for a sum the live table has and no migration added")
    func checkCatchesASumWithoutMigration() throws {
        try withTemporaryDirectory { dir in
            let store = try ConversationStore(path: dir + "/fresh.db")
            let found = try Self.mismatches(store.database, sums: RoiSumColumn.names + ["refund_cents"])
            #expect(found.count == AggregateTable.all.count, "\(found)")
            #expect(found.allSatisfy { $0.contains("refund_cents") }, "\(found)")
        }
    }

    @Test("a v1 store built with the frozen v1 SQL migrates to the same schema and, recomputed, the same figures")
    func versionOneStoreMigrates() throws {
        try withTemporaryDirectory { dir in
            var g = SeededGenerator(seed: 23)
            let records = (0..<40).map { RoiFixtures.randomRecord(&g, n: $0) }
            try Self.buildVersionOne(at: dir + "/v1.db", records)
            let old = try ConversationStore(path: dir + "/v1.db")
            let fresh = try ConversationStore(path: dir + "/fresh.db")
            #expect(try Self.schemaText(old.database) == Self.schemaText(fresh.database))
            #expect(try Self.mismatches(old.database) == [])
            #expect(try old.adopt(Valuation()) == true)
            try old.recompute()
            try fresh.adopt(Valuation())
            try RoiAggregateTests.ingest(records, into: fresh)
            for table in AggregateTable.all {
                let rows = "SELECT \(table.columns.joined(separator: ", ")) FROM \(table.name) ORDER BY " + table.primaryKey.joined(separator: ", ")
                let (a, b) = (try Self.dump(old.database, rows), try Self.dump(fresh.database, rows))
                #expect(a == b, "\(table.name)")
                #expect(a.count > 5, "\(table.name)")
            }
        }
    }

    /// A v1 database as dialogd 1 wrote it (the frozen v1 SQL), holding `records` unpriced.
    static func buildVersionOne(at path: String, _ records: [ConversationRecord]) throws {
        let v1 = try Database(path: path)
        try v1.execute(Schema.version1)
        try v1.execute("PRAGMA user_version = 1")
        for r in records {
            try v1.execute("""
                INSERT INTO conversations (key, date, utc_offset, employee, channel, department, outcome, duration_s,
                    value_cents, satisfaction, sentiment, response_time_s, source_file, source_line, ingested_at)
                VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'f', 1, 0)
                """, arguments: [RecordKey.make(for: r), r.date, r.employee, r.channel, r.department, r.outcome,
                                 r.durationSeconds, r.valueCents, r.satisfaction, r.sentiment, r.responseTimeSeconds])
        }
        try v1.close()
    }

    /// Every schema object's type, name, table and SQL, one per line, in a stable order.
    static func schemaText(_ db: Database) throws -> String {
        try db.fetchAll("SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name") { row in
            (0..<4).map { row[$0] as String }.joined(separator: "|")
        }.joined(separator: "\n")
    }

    /// How the database differs from what the live code expects: each aggregate table with its
    /// time, key and sum columns (types, NOT NULL, primary key order), and every conversation
    /// column the store binds. `sums` stands in for the live sum table.
    static func mismatches(_ db: Database, sums: [String] = RoiSumColumn.names) throws -> [String] {
        var found: [String] = []
        for table in AggregateTable.all {
            let want = [table.time] + table.keys + sums
            let types = [Self.integer] + table.keys.map { _ in "TEXT" } + sums.map { _ in Self.integer }
            let pk = want.map { column in table.primaryKey.firstIndex(of: column).map { $0 + 1 } ?? 0 }
            let have = try db.fetchAll("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?) ORDER BY cid", arguments: [table.name]) { row in
                (row[0] as String, row[1] as String, row[2] as Int64, row[3] as Int64)
            }
            let wanted = want.indices.map { "\(want[$0]) \(types[$0]) notnull=1 pk=\(pk[$0])" }
            let had = have.map { "\($0.0) \($0.1) notnull=\($0.2) pk=\($0.3)" }
            if wanted != had { found.append("\(table.name): want \(wanted), have \(had)") }
        }
        let conversations = try db.fetchAll("SELECT name FROM pragma_table_info('conversations') ORDER BY cid") { row in row[0] as String }
        if conversations != ["id"] + ConversationStore.recordColumns {
            found.append("conversations: want \(["id"] + ConversationStore.recordColumns), have \(conversations)")
        }
        return found
    }

    static let integer = "INTEGER"

    static func dump(_ database: Database, _ sql: String) throws -> [String] {
        try database.fetchAll(sql) { row in
            (0..<row.count).map { row.isNull($0) ? "NULL" : (row[$0] as String) }.joined(separator: "|")
        }
    }
}
