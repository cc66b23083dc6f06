import DialogCore
import Foundation
import Testing
@testable import DialogStore

/// The transaction a large spool file keeps open over loop turns (`beginOpenTransaction`), on
/// a real SQLite file: its buffers stay small, its figures exact, a rollback leaves nothing.
@Suite("Open transaction of a large file")
struct OpenTransactionTests {
    static func rows(_ store: ConversationStore, _ table: AggregateTable) throws -> [String] {
        try store.database.fetchAll("SELECT * FROM \(table.name) ORDER BY " + table.primaryKey.joined(separator: ", ")) { row in
            (0..<row.count).map { row.isNull($0) ? "NULL" : (row[$0] as String) }.joined(separator: "|")
        }
    }

    @Test("aggregates written early and often inside the open transaction equal one batch of the same records; the buffer keeps to its bound",
          arguments: [1, 7, 512])
    func earlyWritesAreExact(limit: Int) throws {
        try withTemporaryDirectory { dir in
            var g = SeededGenerator(seed: UInt64(limit))
            // Every fifth record a new employee: 100 more buckets than the bound (3,000 records for
            // each bound took twice as long and crossed the small bounds no better).
            let count = 5 * (limit + 100)
            let records = (0..<count).map { n in
                var r = RoiFixtures.randomRecord(&g, n: n)
                if n % 5 == 0 { r.employee = "e\(n)" }
                return r
            }
            let store = try ConversationStore(path: dir + "/open.db")
            store.maxOpenBufferedBuckets = limit
            try store.beginOpenTransaction()
            var largest = 0
            for r in records {
                _ = try store.insert(r, key: RecordKey.make(for: r), sourceFile: "big.jsonl", line: 1, ingestedAt: 0)
                largest = max(largest, store.pendingAggregates.hourly.count)
            }
            try store.commitOpenTransaction()
            #expect(largest <= limit, "the buffer held \(largest) buckets")
            let batch = try ConversationStore(path: dir + "/batch.db")
            try RoiAggregateTests.ingest(records, into: batch)
            for table in AggregateTable.all {
                let (open, fresh) = (try Self.rows(store, table), try Self.rows(batch, table))
                #expect(open == fresh, "\(table.name): \(open.count) rows vs \(fresh.count)")
            }
            #expect(try store.conversationCount() == count)
        }
    }

    @Test("records with 800-byte names are written early by size, long before the row bound")
    func longNamesBoundTheBufferBySize() throws {
        try withTemporaryDirectory { dir in
            let store = try ConversationStore(path: dir + "/d.db")
            let name = { (n: Int) in String(repeating: "\u{10000}", count: 199) + "\(n % 10)" }
            var largest = 0
            var rows = 0
            try store.beginOpenTransaction()
            for n in 0..<4_000 {
                let r = ConversationRecord(id: "l\(n)", date: 1_795_000_000 + Int64(n) * 3600, employee: name(n))
                _ = try store.insert(r, key: "id:l\(n)", sourceFile: "big.jsonl", line: n, ingestedAt: 0)
                largest = max(largest, store.pendingAggregates.estimatedBytes)
                rows = max(rows, store.pendingAggregates.hourly.count)
            }
            store.rollbackOpenTransaction()
            #expect(largest < ConversationStore.maxOpenBufferedBytes + 4_096, "\(largest) bytes")
            #expect(rows < 2_000, "\(rows) rows held")
        }
    }

    @Test("a rollback after many early writes leaves the figures as they were before the file")
    func rollbackUndoesEarlyWrites() throws {
        try withTemporaryDirectory { dir in
            var g = SeededGenerator(seed: 11)
            let before = (0..<20).map { RoiFixtures.randomRecord(&g, n: $0) }
            let store = try ConversationStore(path: dir + "/d.db")
            store.maxOpenBufferedBuckets = 3
            try RoiAggregateTests.ingest(before, into: store)
            let figures = try AggregateTable.all.map { try Self.rows(store, $0) }
            try store.beginOpenTransaction()
            for n in 20..<2_000 {
                var r = RoiFixtures.randomRecord(&g, n: n)
                r.employee = "e\(n)"
                _ = try store.insert(r, key: RecordKey.make(for: r), sourceFile: "big.jsonl", line: n, ingestedAt: 0)
            }
            store.rollbackOpenTransaction()
            #expect(try AggregateTable.all.map { try Self.rows(store, $0) } == figures)
            #expect(try store.conversationCount() == 20)
            // A crash instead of the rollback: a new connection sees no part of the file either.
            try store.beginOpenTransaction()
            for n in 2_000..<2_500 {
                let r = RoiFixtures.randomRecord(&g, n: n)
                _ = try store.insert(r, key: RecordKey.make(for: r), sourceFile: "big.jsonl", line: n, ingestedAt: 0)
            }
            let reader = try ConversationStore(readingOnly: dir + "/d.db")
            #expect(try AggregateTable.all.map { try Self.rows(reader, $0) } == figures)
            store.rollbackOpenTransaction()
        }
    }

    @Test("orders and conversations of a large file are attributed when it commits, also with many customers")
    func attributionAtCommit() throws {
        try withTemporaryDirectory { dir in
            let store = try ConversationStore(path: dir + "/d.db")
            store.maxOpenBufferedBuckets = 4
            try store.beginOpenTransaction()
            for n in 0..<30 {
                let touch = ConversationRecord(id: "c\(n)", date: 1_795_000_000, employee: "anna", customer: "k\(n)")
                _ = try store.insert(touch, key: "id:c\(n)", sourceFile: "big.jsonl", line: n, ingestedAt: 0)
                let order = OrderRecord(id: "o\(n)", date: 1_795_000_000 + 86_400, customer: "k\(n)", amountCents: 1_000, currency: "EUR")
                #expect(try store.ingest(order, key: order.key, sourceFile: "big.jsonl", line: n, ingestedAt: 0) == .stored)
            }
            #expect(store.attributionDirty.count <= 4)
            try store.commitOpenTransaction()
            let shares = try store.database.fetchAll("SELECT count(*), sum(share_cents) FROM order_shares") { ($0[0] as Int, $0[1] as Int?) }
            #expect(shares.first?.0 == 30 && shares.first?.1 == 30_000, "\(shares)")
            #expect(store.attributionDirty.isEmpty)
        }
    }

    @Test("the change after a large file's commit or rollback gets a revision of its own")
    func revisionAfterOpenTransaction() throws {
        try withTemporaryDirectory { dir in
            let store = try ConversationStore(path: dir + "/d.db")
            func insert(_ id: String) throws {
                _ = try store.insert(ConversationRecord(id: id, date: 1_795_000_000, employee: "a"), key: "id:\(id)", sourceFile: "f", line: 1, ingestedAt: 0)
            }
            func revision(_ id: String) throws -> Int64? {
                try store.database.scalar("SELECT revision FROM conversations WHERE key = ?", arguments: ["id:\(id)"])
            }
            try store.beginOpenTransaction()
            try insert("large")
            try store.commitOpenTransaction()
            let cursor = try store.currentRevision()
            try store.transaction { try insert("next") }
            #expect(try revision("large") == cursor)
            #expect(try revision("next")! > cursor, "export --after \(cursor) would miss the next batch")
            try store.beginOpenTransaction()
            try insert("undone")
            store.rollbackOpenTransaction()
            try store.transaction { try insert("after") }
            #expect(try revision("after") == store.currentRevision())
            #expect(try revision("after")! > revision("next")!)
        }
    }

    static func walBytes(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? NSNumber)?.intValue ?? -1
    }

    @Test("after a large transaction the WAL is emptied without waiting for a reader; a reader's snapshot only postpones it to the next try")
    func checkpointAfterLargeTransaction() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/d.db"
            let store = try ConversationStore(path: path)
            #expect(try store.database.scalar("PRAGMA journal_size_limit", as: Int.self) == ConversationStore.walSizeLimitBytes)
            let text = String(repeating: "x", count: 2_000)
            func large(_ prefix: String) throws {
                try store.beginOpenTransaction()
                for n in 0..<5_000 {
                    let r = ConversationRecord(id: "\(prefix)\(n)", date: 1_795_000_000 + Int64(n) * 3600, employee: "e\(n)", text: text)
                    _ = try store.insert(r, key: "id:\(prefix)\(n)", sourceFile: "big.jsonl", line: n, ingestedAt: 0)
                }
                try store.commitOpenTransaction()
            }
            try large("a")
            #expect(store.checkpointDue)
            #expect(Self.walBytes(path) > 10 << 20, "the transaction did not grow the WAL: \(Self.walBytes(path)) bytes")
            #expect(try store.checkpointAfterLargeTransaction())
            #expect(!store.checkpointDue)
            #expect(Self.walBytes(path) == 0)

            // A reader (the worker's connection) holds the snapshot before the next large file.
            let reader = try ConversationStore(readingOnly: path)
            try reader.database.execute("BEGIN")
            #expect(try reader.database.scalar("SELECT count(*) FROM conversations", as: Int.self) == 5_000)
            try large("b")
            let started = Date()
            #expect(try store.checkpointAfterLargeTransaction() == false)
            #expect(Date().timeIntervalSince(started) < 1, "waited for the reader")
            #expect(try reader.database.scalar("SELECT count(*) FROM conversations", as: Int.self) == 5_000)
            try reader.database.execute("COMMIT")
            // The daemon tries again a second later (`IngestService`): the reader is done by then.
            #expect(try store.checkpointAfterLargeTransaction())
            #expect(Self.walBytes(path) == 0)
            try store.transaction { _ = try store.insert(ConversationRecord(id: "s", date: 1_795_000_000, employee: "s"), key: "id:s", sourceFile: "s", line: 1, ingestedAt: 0) }
            #expect(try store.conversationCount() == 10_001)
        }
    }

    @Test("the open transaction syncs its WAL in steps as it grows; nothing of it counts before the commit")
    func walSyncedInSteps() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/d.db"
            let store = try ConversationStore(path: path)
            let text = String(repeating: "y", count: 3_000)
            try store.beginOpenTransaction()
            var syncs = 0
            for n in 0..<8_000 {
                let r = ConversationRecord(id: "w\(n)", date: 1_795_000_000 + Int64(n) * 60, employee: "e", text: text)
                _ = try store.insert(r, key: "id:w\(n)", sourceFile: "big.jsonl", line: n, ingestedAt: 0)
                if n % 200 == 199 {
                    let synced = store.walSyncedBytes
                    try store.syncOpenTransactionWAL()
                    if store.walSyncedBytes != synced {
                        syncs += 1
                        #expect(store.walSyncedBytes == Int64(Self.walBytes(path)), "journalBytes is the WAL file's size")
                    }
                    #expect(Int64(Self.walBytes(path)) - store.walSyncedBytes < ConversationStore.walSyncStepBytes)
                }
            }
            #expect(syncs >= 2, "\(syncs) syncs for a WAL of \(Self.walBytes(path)) bytes")
            let reader = try ConversationStore(readingOnly: path)
            #expect(try reader.conversationCount() == 0)
            store.rollbackOpenTransaction()
            #expect(try store.conversationCount() == 0)
        }
    }
}
