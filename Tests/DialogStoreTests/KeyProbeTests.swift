import DialogCore
import Foundation
import Testing
@testable import DialogStore

/// v10 (issue 17): conversations' keys are found through a compact, non-unique probe index
/// instead of `UNIQUE(key)`, and exactly-once still holds: on a real SQLite file.
@Suite("Key probe index: compact key lookups, exactly once")
struct KeyProbeTests {
    /// Every statement that finds a conversation by its key, as the store runs it.
    static let keyLookups = [
        ConversationStore.existsSQL,
        ConversationStore.sameContentSQL,
        "SELECT coalesce(site_revision, revision) FROM conversations WHERE " + Schema.conversationKeyMatch("?1", probe: "?2"),
        "SELECT \(ConversationStore.selectColumns) FROM conversations WHERE " + Schema.conversationKeyMatch("?1", probe: "?2"),
    ]

    static func plan(_ db: Database, _ sql: String) throws -> String {
        // Parameters left unbound (NULL): the plan does not depend on them.
        try db.prepare("EXPLAIN QUERY PLAN " + sql).fetchAll { row in row[3] as String }.joined(separator: "; ")
    }

    @Test("no UNIQUE index on conversations' keys; every key lookup searches the probe index, none scans the table")
    func lookupsUseTheProbeIndex() throws {
        try withTemporaryDirectory { dir in
            let store = try ConversationStore(path: dir + "/d.db")
            let indexes = try store.database.fetchAll(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'conversations' ORDER BY name") { row in row[0] as String }
            #expect(indexes == ["conversations_customer_date", "conversations_date", "conversations_key_probe", "conversations_revision"])
            for sql in Self.keyLookups {
                let plan = try Self.plan(store.database, sql)
                #expect(plan.contains("USING INDEX conversations_key_probe"), "\(plan) for \(sql)")
            }
            // The trap the `+` avoids: `key = ?1` beside the probe makes SQLite scan.
            let naive = try Self.plan(store.database, "SELECT 1 FROM conversations WHERE " + Schema.keyProbeSQL("key") + " = " + Schema.keyProbeSQL("?1") + " AND key = ?1")
            #expect(!naive.contains("conversations_key_probe"), "\(naive)")
        }
    }

    @Test("keys that share a probe (same last 12 hex digits) are two records, each stored once; ids are probed whole")
    func keysSharingAProbeStayApart() throws {
        try withTemporaryDirectory { dir in
            let store = try ConversationStore(path: dir + "/d.db")
            var g = SeededGenerator(seed: 17)
            let tail = "0123456789ab"
            let keys = ["sha256:" + String(repeating: "a", count: 52) + tail, "sha256:" + String(repeating: "b", count: 52) + tail,
                        "site:east/sha256:" + String(repeating: "a", count: 52) + tail, "id:x" + tail, "id:y" + tail]
            let probes = try keys.map { key in
                try store.database.scalar("SELECT " + Schema.keyProbeSQL("?1"), arguments: [key], as: String.self) ?? ""
            }
            #expect(probes == [tail, tail, tail, "id:x" + tail, "id:y" + tail])
            let records = (0..<keys.count).map { RoiFixtures.randomRecord(&g, n: $0) }
            try store.transaction { () throws in
                for (record, key) in zip(records, keys) {
                    #expect(try store.insert(record, key: key, sourceFile: "f", line: 1, ingestedAt: 1))
                }
                for (record, key) in zip(records, keys) {
                    #expect(try !store.insert(record, key: key, sourceFile: "f", line: 1, ingestedAt: 1))
                }
            }
            // Outside a transaction too (a savepoint holds the lookup and the insert together).
            #expect(try !store.insert(records[0], key: keys[0], sourceFile: "f", line: 1, ingestedAt: 1))
            #expect(try store.conversationCount() == keys.count)
            for (record, key) in zip(records, keys) {
                #expect(try store.conversation(key: key)?.record == record)
                #expect(try store.pricedConversation(keyOrID: key)?.stored.key == key)
            }
            #expect(try store.conversation(key: "sha256:" + String(repeating: "c", count: 52) + tail) == nil)
        }
    }

    @Test("the probe a lookup binds is the index's own expression as SQLite evaluates it, for any key")
    func probeComputedHereMatchesSQLite() throws {
        try withTemporaryDirectory { dir in
            let db = try Database(path: dir + "/p.db")
            let hash = String(repeating: "0123456789abcdef", count: 4)
            // The boundaries of `substr(key, -71, 7)`: 64, 70, 71, 72 characters; multi-byte
            // characters before, inside and after the hash; a NUL (substr reads up to it); sites.
            let short1 = String(hash.dropLast()), short2 = String(hash.dropLast(2)), head60 = String(hash.prefix(60))
            let sha = "sha256:"
            var keys: [String] = ["", sha, sha + hash, sha + short1, "x" + sha + hash, sha + hash + "x"]
            keys += ["site:ö/" + sha + hash, "é" + sha + hash, sha + short2 + "äü", sha + short1 + "👍", "sha25ö:" + hash]
            keys += [sha + hash + "\u{0}", "a\u{0}" + sha + hash, sha + head60 + "\u{0}abc", "\u{0}", "id:" + hash + hash, "id:12345"]
            keys += [String(repeating: "ß", count: 80), sha + String(repeating: "é", count: 64), "e\u{301}" + sha + hash, sha + short1 + "e\u{301}"]
            var g = SeededGenerator(seed: 71)
            let pieces: [String] = [sha, "a", "0", "é", "👍", "\u{0}", "\u{301}", "site:x/", "id:", "\u{202E}", String(hash.prefix(12))]
            for _ in 0..<2_000 {
                let count = Int.random(in: 0...14, using: &g)
                let joined: [String] = (0..<count).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &g)] }
                keys.append(joined.joined())
                let front = pieces[Int.random(in: 0..<pieces.count, using: &g)]
                keys.append(front + sha + String(hash.shuffled(using: &g)))
            }
            let statement = try db.prepare("SELECT " + Schema.keyProbeSQL("?1"))
            var differing: [String] = []
            for key in keys {
                try statement.bind(key, at: 1)
                let sqlite = try statement.fetchOne { row in row[0] as String }
                if sqlite != Schema.keyProbe(of: key) { differing.append(key) }
                statement.reset()
            }
            #expect(differing.count == 0, "first: \(differing.prefix(3).map { Array($0.unicodeScalars) })")
            #expect(Schema.keyProbe(of: "sha256:" + hash) == String(hash.suffix(12)) && Schema.keyProbe(of: "id:12345") == "id:12345")
        }
    }

    @Test("a store from before v10 migrates to it with every row, row id and column kept; its keys are still stored exactly once")
    func versionEightStoreMigrates() throws {
        try withTemporaryDirectory { dir in
            var g = SeededGenerator(seed: 29)
            let records = (0..<60).map { RoiFixtures.randomSiteRecord(&g, n: $0) }
            let path = dir + "/v8.db"
            do {
                let fresh = try ConversationStore(path: dir + "/fresh.db")
                try fresh.adopt(Valuation())
                try RoiAggregateTests.ingest(records, into: fresh)
                try fresh.close()
                // The same rows under the schema before: the frozen migrations up to v9, rows copied.
                let old = try Database(path: path)
                try Migrator(Array(Schema.migrator.migrations.prefix(Int(Schema.keyProbeVersion) - 1))).migrate(old)
                try old.execute("ATTACH DATABASE ? AS fresh", arguments: [dir + "/fresh.db"])
                try old.execute("INSERT INTO conversations SELECT * FROM fresh.conversations; INSERT INTO meta SELECT * FROM fresh.meta")
                try old.execute("DETACH DATABASE fresh")
                #expect(try old.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_autoindex_conversations_1'", as: Int.self) == 1)
                try old.close()
            }
            let all = "SELECT * FROM conversations ORDER BY id"
            let before = try SchemaFreezeTests.dump(try Database(path: dir + "/fresh.db"), all)
            let store = try ConversationStore(path: path)
            #expect(try Migrator.currentVersion(of: store.database) == Schema.migrator.latestVersion)
            #expect(try SchemaFreezeTests.dump(store.database, all) == before)
            #expect(try SchemaFreezeTests.schemaText(store.database)
                == SchemaFreezeTests.schemaText(try ConversationStore(path: dir + "/new.db").database))
            #expect(try ConversationStore.check(store.database, pragma: "integrity_check") == "ok")
            try store.transaction { () throws in
                for record in records {
                    #expect(try store.ingest(CountedRecord(record, labels: nil, valuation: store.valuation),
                                             key: RecordKey.make(for: record), sourceFile: "g", line: 1, ingestedAt: 2) == .duplicate)
                }
            }
            #expect(try store.conversationCount() == before.count)
        }
    }
}
