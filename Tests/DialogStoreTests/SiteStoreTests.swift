import DialogCore
import Foundation
import Testing
@testable import DialogStore

/// Many sites in one store (issue 19): identity is site + key, a shipped copy is replaced only
/// by a newer revision, every change moves the record's revision (the export cursor).
@Suite("Sites and revisions")
struct SiteStoreTests {
    static func record(_ id: String, employee: String = "anna", value: Int64 = 10_000) -> ConversationRecord {
        ConversationRecord(id: id, date: 1_795_000_000, employee: employee, channel: "email", department: "sales",
                           outcome: "won", durationSeconds: 600, valueCents: value)
    }

    static func shipped(_ id: String, site: String, revision: Int64, value: Int64 = 50_000, cost: Int64 = 1_234) -> ConversationRecord {
        var r = record(id, employee: "bert", value: value)
        r.shipped = ShippedCopy(
            site: site, revision: revision, key: "id:" + id,
            labels: RecordLabels(department: LabelDecision(label: "sales", confidence: 1, source: .logged),
                                 outcome: LabelDecision(label: "won", confidence: 1, source: .logged)),
            priced: PricedConversation(department: "sales", outcome: "won", durationSeconds: 600, costCents: cost, valueCents: value))
        return r
    }

    func ingest(_ store: ConversationStore, _ r: ConversationRecord) throws -> IngestOutcome {
        try store.transaction { try store.ingest(r, key: RecordKey.make(for: r), sourceFile: "f", line: 1, ingestedAt: 0) }
    }

    func total(_ store: ConversationStore, site: String? = nil) throws -> RoiFigures {
        try store.roiReader(timeZone: .gmt, employeeFigures: .named).roi(RoiQuery(window: .all, site: site), now: 1_795_000_000).total
    }

    @Test("equal ids of two sites are two records; a shipped copy keeps its site's figures and replaces only an older copy")
    func identityAndRevisions() throws {
        try withTemporaryDirectory { dir in
            let store = try ConversationStore(path: dir + "/d.db", site: "hq")
            try store.adopt(Valuation())
            #expect(store.homeSite == "hq" && store.site == "hq")
            #expect(try ingest(store, Self.record("7")) == .stored)
            #expect(try ingest(store, Self.shipped("7", site: "north", revision: 3)) == .stored)
            #expect(try store.conversation(key: "id:7")?.site == "hq")
            let north = try #require(try store.conversation(key: "site:north/id:7"))
            #expect(north.site == "north" && north.siteRevision == 3 && north.record.employee == "bert")
            // Kept figures: the site's cost, not this store's valuation.
            #expect(try total(store, site: "north").costCents == 1_234)
            #expect(try total(store, site: "north").valueCents == 50_000)
            // Same revision again: a duplicate; older: outdated; content is not what decides.
            #expect(try ingest(store, Self.shipped("7", site: "north", revision: 3, value: 1)) == .duplicate)
            #expect(try ingest(store, Self.shipped("7", site: "north", revision: 2, value: 2)) == .outdated)
            #expect(try total(store, site: "north").valueCents == 50_000)
            // Newer: replaces it, figures move exactly.
            guard case .updated = try ingest(store, Self.shipped("7", site: "north", revision: 5, value: 70_000, cost: 999)) else {
                Issue.record("a newer copy must replace the stored one"); return
            }
            #expect(try total(store, site: "north").valueCents == 70_000)
            #expect(try total(store, site: "north").costCents == 999)
            #expect(try store.conversation(key: "site:north/id:7")?.rowID == north.rowID)
            #expect(try store.conversationCount() == 2)
            let all = try total(store)
            let hq = try total(store, site: "hq")
            #expect(all.valueCents == hq.valueCents + 70_000 && all.conversations == 2)
            let bySite = try store.roiReader(timeZone: .gmt, employeeFigures: .named)
                .roi(RoiQuery(window: .all, groupBy: .site), now: 1_795_000_000).rows
            #expect(bySite.map(\.key) == ["hq", "north"])
            #expect(bySite.map(\.figures.valueCents) == [hq.valueCents, 70_000])
            // A full rebuild gives the same figures: the kept ones are stored, not recomputed.
            try store.recompute()
            #expect(try total(store) == all)
        }
    }

    @Test("every change moves the record's revision, and changesPage after a cursor returns exactly what changed")
    func revisionsMoveOnEveryChange() throws {
        try withTemporaryDirectory { dir in
            let store = try ConversationStore(path: dir + "/d.db")
            try store.adopt(Valuation())
            #expect(try store.currentRevision() == 0)
            try store.transaction { () throws in
                for id in ["a", "b", "c"] { _ = try store.ingest(Self.record(id), key: "id:" + id, sourceFile: "f", line: 1, ingestedAt: 0) }
            }
            #expect(try store.currentRevision() == 1, "one revision per transaction")
            func changed(after cursor: Int64) throws -> [String] {
                try store.changesPage(.init(), afterRevision: cursor, limit: 100).map { $0.stored.key }
            }
            #expect(try changed(after: 0) == ["id:a", "id:b", "id:c"])
            #expect(try changed(after: 1) == [])
            var amend = Self.record("b", value: 99)
            amend.amends = "b"
            guard case .amended = try ingest(store, amend) else { Issue.record("amend"); return }
            #expect(try changed(after: 1) == ["id:b"])
            let c = try #require(try store.conversation(key: "id:c"))
            let before = try #require(try store.countedForReview(c))
            try store.transaction {
                let after = store.valuation.relabeled(before.record, counted: before.priced, to: [.outcome: "lost"])
                try store.storeReview(rowID: c.rowID, changes: [.outcome: "lost"], from: before, to: after)
            }
            #expect(try changed(after: 2) == ["id:c"])
            #expect(try store.currentRevision() == 3)
            try store.recompute()
            #expect(try changed(after: 3) == ["id:a", "id:b", "id:c"])
            // Pages continue within one revision by row id.
            let first = try store.changesPage(.init(), afterRevision: 3, limit: 2)
            let rest = try store.changesPage(.init(), afterRevision: first[1].stored.revision, afterRow: first[1].stored.rowID, limit: 2)
            #expect((first + rest).map(\.stored.key) == ["id:a", "id:b", "id:c"])
            // A duplicate changes nothing, so it does not move the revision.
            #expect(try ingest(store, Self.record("a")) == .duplicate)
            #expect(try changed(after: 4) == [])
            // forget and text_days change stored records too: the change ships (issue 14 × 19).
            var told = Self.record("d")
            told.customer = "cus-00000000000000aa"
            told.text = "Rückruf bei Frau Beispiel"
            #expect(try ingest(store, told) == .stored)
            let beforeForget = try store.currentRevision()
            let forgotten = try store.forget(customerForms: ["cus-00000000000000aa"])
            #expect(forgotten.conversations == 1)
            #expect(try changed(after: beforeForget) == ["id:d"], "a forget moves the revision")
            var old = Self.record("e")
            old.text = "alt"
            #expect(try ingest(store, old) == .stored)
            let cursor = try store.currentRevision()
            #expect(try store.removeTexts(before: Int64.max) == 1)
            #expect(try changed(after: cursor) == ["id:e"], "removing old texts moves the revision")
        }
    }

    @Test("a store from before sites: every row and aggregate row gets the site it is opened for, revision 1, figures unchanged")
    func migrationStampsHomeSite() throws {
        try withTemporaryDirectory { dir in
            var g = SeededGenerator(seed: 5)
            let records = (0..<200).map { RoiFixtures.randomRecord(&g, n: $0) }
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
                try AggregateMigrationTests.buildVersion2Aggregates(v2)
                try Migrator(Array(Schema.migrator.migrations.prefix(5))).migrate(v2)
                try v2.close()
            }
            let old = try ConversationStore(path: dir + "/old.db", site: "north")
            #expect(old.homeSite == "north")
            #expect(try old.database.scalar("SELECT count(*) FROM conversations WHERE site = 'north' AND revision = 1", as: Int.self) == 200)
            #expect(try old.currentRevision() == 1)
            let fresh = try ConversationStore(path: dir + "/fresh.db", site: "north")
            try fresh.adopt(valuation)
            try RoiAggregateTests.ingest(records, into: fresh)
            for table in AggregateTable.all {
                let rows = "SELECT * FROM \(table.name) ORDER BY " + table.primaryKey.joined(separator: ", ")
                let migrated = try AggregateMigrationTests().dump(old.database, rows)
                #expect(migrated == (try AggregateMigrationTests().dump(fresh.database, rows)), "\(table.name)")
                #expect(migrated.allSatisfy { $0.contains("|north|") }, "\(table.name)")
            }
            // Reopened with another [site] id, the home site stays; new records belong to the new site.
            try old.close()
            let renamed = try ConversationStore(path: dir + "/old.db", site: "south")
            #expect(renamed.homeSite == "north" && renamed.site == "south")
        }
    }
}
