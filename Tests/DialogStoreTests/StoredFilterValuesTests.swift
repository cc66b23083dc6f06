import DialogCore
import Foundation
import Testing
@testable import DialogStore

/// Whether a filter's value is stored at all (`StoredFilterValues`, the `unmatched_filters` of
/// docs/protocol.md) is read from the weekly aggregates, whose rows grow with weeks × labels,
/// never from `conversations`: the plans say so, on a real SQLite file.
@Suite("Stored filter values: bounded lookups")
struct StoredFilterValuesTests {
    static func plan(_ db: Database, _ sql: String) throws -> String {
        try db.prepare("EXPLAIN QUERY PLAN " + sql).fetchAll { row in row[3] as String }.joined(separator: "; ")
    }

    @Test("every lookup reads a weekly aggregate table, a dimension's by its primary key; none reads conversations")
    func plansStayOnTheWeeklyTables() throws {
        try withTemporaryDirectory { dir in
            let store = try ConversationStore(path: dir + "/d.db")
            for filter in ["department", "outcome", "channel", "site", "employee"] {
                let exists = try Self.plan(store.database, try #require(StoredFilterValues.existsSQL(filter)))
                let known = try Self.plan(store.database, try #require(StoredFilterValues.knownSQL(filter)))
                for plan in [exists, known] {
                    #expect(!plan.contains("conversations"), "\(filter): \(plan)")
                    #expect(plan.contains(filter == "employee" ? "roi_weekly_activity" : "roi_weekly_dim USING PRIMARY KEY (dim=?)"), "\(filter): \(plan)")
                }
            }
        }
    }
}
