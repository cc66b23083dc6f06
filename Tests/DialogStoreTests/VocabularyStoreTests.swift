import DialogCore
import Foundation
import Testing
@testable import DialogStore

/// Issue 18 in the store: raw labels kept (migration v5), drifted labels of older stores
/// mapped by `recompute`, values in no vocabulary counted unassigned and listed for review.
@Suite("Label vocabulary in the store")
struct VocabularyStoreTests {
    static let hour: Int64 = 1_774_746_000

    @Test("a v4 store with drifted labels (vertrieb, geloest) is mapped by recompute; what matches nothing waits in review")
    func recomputeMapsDriftedLabels() throws {
        try withTemporaryDirectory { dir in
            // The store as dialogd before the vocabulary wrote it: labels lowercased as typed.
            let drifted: [(String, String?, String?, String)] = [
                ("a", "vertrieb", "gewonnen", "telefon"), ("b", "sales", "won", "phone"),
                ("c", "kundenservice", "geloest", "e-mail"), ("d", "buchhaltung", "resolved", "brieftaube"),
            ]
            do {
                let v4 = try Database(path: dir + "/d.db")
                try Migrator(Array(Schema.migrator.migrations.prefix(4))).migrate(v4)
                for (key, department, outcome, channel) in drifted {
                    try v4.execute("""
                        INSERT INTO conversations (key, date, utc_offset, employee, channel, department, outcome, value_cents,
                            source_file, source_line, ingested_at, department_final, outcome_final, department_source, outcome_source)
                        VALUES (?, ?, 0, 'anna', ?, ?, ?, 10000, 'f', 1, 0, ?, ?, 'logged', 'logged')
                        """, arguments: [key, Self.hour, channel, department, outcome, department, outcome])
                }
                try v4.close()
            }
            let store = try ConversationStore(path: dir + "/d.db")
            #expect(try Migrator.currentVersion(of: store.database) == Schema.migrator.latestVersion)
            // The fingerprint changed (the valuation now knows aliases): figures are stale.
            #expect(try store.adopt(Valuation()) == true)
            #expect(try store.recompute() == 4)
            let rows = try store.database.fetchAll(
                "SELECT key, department, raw_department, department_final, outcome_final, raw_outcome, channel, raw_channel FROM conversations ORDER BY key"
            ) { row in [0, 1, 2, 3, 4, 5, 6, 7].map { (row[$0] as String?) ?? "-" }.joined(separator: "|") }
            #expect(rows == [
                "a|sales|vertrieb|sales|won|gewonnen|phone|telefon",
                "b|sales|-|sales|won|-|phone|-",
                "c|service|kundenservice|service|resolved|geloest|email|e-mail",
                "d|-|buchhaltung|-|resolved|-|unknown|brieftaube",
            ])
            let reader = try store.roiReader(timeZone: .gmt, employeeFigures: .off)
            let report = try reader.roi(RoiQuery(since: Self.hour, until: Self.hour + 3600, groupBy: .department), now: 0)
            #expect(report.rows.map(\.key) == ["sales", "service", "unassigned"])
            #expect(report.rows.map(\.figures.conversations) == [2, 1, 1])
            // Filters take any spelling too.
            let vertrieb = try reader.roi(RoiQuery(since: Self.hour, until: Self.hour + 3600, department: "Vertrieb"), now: 0)
            #expect(vertrieb.total.conversations == 2)
            let review = try store.reviewQueue(limit: 10)
            #expect(review.pending == 1)
            #expect(review.items.map(\.unmatchedDepartment) == ["buchhaltung"])
            #expect(review.items.map(\.unmatchedChannel) == ["brieftaube"])
            // An alias added later and another recompute settle it.
            var config = ValuationConfig()
            config.departments["service"]?.aliases.append("Buchhaltung")
            config.channels["email"]?.aliases.append("brieftaube")
            try store.adopt(Valuation(config))
            try store.recompute()
            #expect(try store.reviewQueue(limit: 10).pending == 0)
            let after = try store.roiReader(timeZone: .gmt, employeeFigures: .off)
                .roi(RoiQuery(since: Self.hour, until: Self.hour + 3600, groupBy: .channel), now: 0)
            #expect(after.rows.map(\.key) == ["email", "phone"])
        }
    }

    @Test("raw labels round-trip through insert; an unmatched logged department is unassigned, not the outcome's")
    func rawLabelsRoundTrip() throws {
        try withTemporaryDirectory { dir in
            let store = try ConversationStore(path: dir + "/d.db")
            try store.adopt(Valuation())
            let record = ConversationRecord(date: Self.hour, employee: "anna", channel: "unknown", outcome: "won", valueCents: 100,
                                            rawDepartment: "Buchhaltung", rawOutcome: "Gewonnen!", rawChannel: "Brieftaube")
            let key = RecordKey.make(for: record)
            #expect(try store.insert(record, key: key, sourceFile: "f", line: 1, ingestedAt: 0))
            let stored = try #require(try store.conversation(key: key))
            #expect(stored.record == record)
            #expect(stored.labels.department?.label == nil && stored.labels.department?.source == .logged)
            #expect(try store.reviewQueue(limit: 5).items.first?.unmatchedDepartment == "Buchhaltung")
        }
    }
}
