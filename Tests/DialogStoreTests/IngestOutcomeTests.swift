import DialogCore
import Foundation
import Testing
@testable import DialogStore

/// `ConversationStore.ingest` (issue 19): duplicate, conflict and amend on a real SQLite file,
/// with the aggregates checked against a rebuild from the rows.
@Suite("Ingest outcomes: duplicates, conflicts, amends")
struct IngestOutcomeTests {
    /// Every aggregate row that counts anything, in a fixed order.
    static func aggregates(_ store: ConversationStore) throws -> [String] {
        var out: [String] = []
        for table in AggregateTable.all {
            let columns = table.columns
            let line = columns.map { "quote(\($0))" }.joined(separator: " || '|' || ")
            out += try store.database.fetchAll(
                "SELECT \(line) FROM \(table.name) WHERE conversations != 0 ORDER BY \(columns.joined(separator: ", "))"
            ) { row in table.name + ":" + (row[0] as String) }
        }
        return out
    }

    static func offer(_ store: ConversationStore, _ record: ConversationRecord) throws -> IngestOutcome {
        try store.transaction { try store.ingest(record, key: RecordKey.make(for: record), sourceFile: "f", line: 1, ingestedAt: 5) }
    }

    @Test("same id: same content is a duplicate, other content a conflict naming the stored row; the stored record is untouched")
    func duplicateAndConflict() throws {
        try withTemporaryDirectory { dir in
            let store = try ConversationStore(path: dir + "/d.db")
            var g = SeededGenerator(seed: 19)
            var record = RoiFixtures.randomRecord(&g, n: 1)
            record.text = "\u{E9}"  // a composed é
            #expect(try Self.offer(store, record) == .stored)
            let before = try Self.aggregates(store)
            #expect(try Self.offer(store, record) == .duplicate)
            var other = record
            other.employee = "zoe"
            other.text = "e\u{301}"  // a decomposed é: equal as Swift Strings, not as bytes
            #expect(other.text == record.text)
            guard case .conflict(let stored) = try Self.offer(store, other) else { Issue.record("expected a conflict"); return }
            #expect(stored.rowID == 1 && stored.employee == record.employee && stored.date == record.date)
            #expect(stored.differences == ["employee", "text"])
            #expect(try store.conversation(key: "id:r1")?.record == record)
            #expect(try Self.aggregates(store) == before)
            // A content-keyed record is its content: the same key is always a duplicate.
            var anonymous = record
            anonymous.id = nil
            #expect(try Self.offer(store, anonymous) == .stored)
            #expect(try Self.offer(store, anonymous) == .duplicate)
        }
    }

    @Test("amends move the figures exactly: after 300 random amends the aggregates equal a rebuild from the rows; an unknown id is refused",
          arguments: [1, 2] as [UInt64])
    func amendsMoveFiguresExactly(seed: UInt64) throws {
        try withTemporaryDirectory { dir in
            let store = try ConversationStore(path: dir + "/d.db")
            try store.adopt(Valuation())
            var g = SeededGenerator(seed: seed)
            let originals = (0..<400).map { RoiFixtures.randomRecord(&g, n: $0) }
            try store.transaction { () throws in
                for r in originals { #expect(try store.ingest(r, key: RecordKey.make(for: r), sourceFile: "a", line: 1, ingestedAt: 1) == .stored) }
            }
            var amended = 0
            try store.transaction { () throws in
                for _ in 0..<300 {
                    let n = Int.random(in: 0..<400, using: &g)
                    var r = RoiFixtures.randomRecord(&g, n: n)
                    r.amends = r.id
                    switch try store.ingest(r, key: RecordKey.make(for: r), sourceFile: "b", line: 1, ingestedAt: 2) {
                    case .amended(let replaced): #expect(replaced.rowID == Int64(n + 1)); amended += 1
                    case .duplicate: break
                    default: Issue.record("an amend of a stored id is applied or a duplicate")
                    }
                    // The same amend again changes nothing.
                    #expect(try store.ingest(r, key: RecordKey.make(for: r), sourceFile: "b", line: 1, ingestedAt: 2) == .duplicate)
                }
            }
            #expect(amended > 250)
            let incremental = try Self.aggregates(store)
            try store.recompute()
            #expect(try Self.aggregates(store) == incremental)
            #expect(try store.conversationCount() == 400)

            var unknown = RoiFixtures.randomRecord(&g, n: 9999)
            unknown.amends = unknown.id
            #expect(try Self.offer(store, unknown) == .unknownAmend)
            #expect(try store.conversation(key: "id:r9999") == nil)
        }
    }
}
