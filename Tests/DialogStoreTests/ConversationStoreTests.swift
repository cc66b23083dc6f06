import CSQLite
import DialogCore
import Testing
@testable import DialogStore

@Suite struct ConversationStoreTests {
    struct Boom: Error {}

    @Test func openMigrateReopenKeepsData() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/dialogd.db"
            do {
                let store = try ConversationStore(path: path)
                #expect(try Migrator.currentVersion(of: store.database) == Schema.migrator.latestVersion)
                let record = fullRecord()
                #expect(try store.insert(record, key: RecordKey.make(for: record), sourceFile: "a.conv", line: 1, ingestedAt: 10))
                try store.setMeta("config", "abc")
                try store.close()
            }
            let store = try ConversationStore(path: path)
            #expect(try store.conversationCount() == 1)
            #expect(try store.keys() == [RecordKey.make(for: fullRecord())])
            #expect(try store.meta("config") == "abc")
            #expect(try store.meta("missing") == nil)
            #expect(try Migrator.currentVersion(of: store.database) == Schema.migrator.latestVersion)
        }
    }

    @Test func newerUserVersionIsRefused() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/dialogd.db"
            do {
                let store = try ConversationStore(path: path)
                try store.database.execute("PRAGMA user_version = \(Schema.migrator.latestVersion + 1)")
                try store.close()
            }
            let error = #expect(throws: DatabaseError.self) { _ = try ConversationStore(path: path) }
            #expect(error?.message.contains("newer than this dialogd knows") == true)
            #expect(error?.message.contains(path) == true)
        }
    }

    @Test func pragmasAreSet() throws {
        try withTemporaryDirectory { dir in
            let store = try ConversationStore(path: dir + "/dialogd.db")
            #expect(try store.database.scalar("PRAGMA journal_mode", as: String.self) == "wal")
            #expect(try store.database.scalar("PRAGMA synchronous", as: Int.self) == 2) // FULL
            #expect(try store.database.scalar("PRAGMA foreign_keys", as: Int.self) == 1)
            #expect(try store.database.scalar("PRAGMA busy_timeout", as: Int.self) == 5000)
        }
    }

    @Test func transactionRollsBackOnThrow() throws {
        try withTemporaryDirectory { dir in
            let store = try ConversationStore(path: dir + "/dialogd.db")
            let record = fullRecord()
            let key = RecordKey.make(for: record)
            let thrown = thrownError(Boom.self) {
                try store.transaction {
                    #expect(try store.insert(record, key: key, sourceFile: "a.conv", line: 1, ingestedAt: 1))
                    try store.recordFileOutcome(name: "a.conv", bytes: 10, stored: 1, duplicates: 0, rejected: 0,
                                                disposition: .archived, reason: nil, at: 1)
                    throw Boom()
                }
            }
            #expect(thrown != nil)
            #expect(try store.conversation(key: key) == nil)
            #expect(try store.conversationCount() == 0)
            #expect(try store.fileOutcomes().isEmpty)
            // The store is usable afterwards and the same insert now commits.
            try store.transaction { () throws in
                #expect(try store.insert(record, key: key, sourceFile: "a.conv", line: 1, ingestedAt: 1))
            }
            #expect(try store.conversationCount() == 1)
        }
    }

    @Test func nestedTransactionIsAnError() throws {
        try withTemporaryDirectory { dir in
            let store = try ConversationStore(path: dir + "/dialogd.db")
            try store.transaction {
                let error = thrownError(DatabaseError.self) { try store.transaction {} }
                #expect(error?.resultCode == SQLITE_MISUSE)
            }
        }
    }

    @Test func duplicateKeyReturnsFalseAndCountStays() throws {
        try withTemporaryDirectory { dir in
            let store = try ConversationStore(path: dir + "/dialogd.db")
            let record = fullRecord()
            let key = RecordKey.make(for: record)
            try store.transaction { () throws in
                #expect(try store.insert(record, key: key, sourceFile: "a.conv", line: 1, ingestedAt: 1))
                #expect(try store.insert(record, key: key, sourceFile: "a.conv", line: 1, ingestedAt: 1) == false)
            }
            var other = fullRecord(1)
            other.text = "different content, same key"
            #expect(try store.insert(other, key: key, sourceFile: "b.conv", line: 7, ingestedAt: 2) == false)
            #expect(try store.conversationCount() == 1)
            // The first write wins: the stored row is untouched by the duplicate.
            #expect(try store.conversation(key: key)?.record == record)
            #expect(try store.conversation(key: key)?.sourceFile == "a.conv")
        }
    }

    @Test func fileOutcomesAreRecorded() throws {
        try withTemporaryDirectory { dir in
            let store = try ConversationStore(path: dir + "/dialogd.db")
            try store.recordFileOutcome(name: "a.jsonl", bytes: 1234, stored: 3, duplicates: 1, rejected: 2,
                                        disposition: .archived, reason: nil, at: 100)
            try store.recordFileOutcome(name: "b.conv", bytes: 5, stored: 0, duplicates: 0, rejected: 1,
                                        disposition: .quarantined, reason: "line 1: field \"date\": expected a date", at: 101)
            #expect(try store.fileOutcomes() == [
                FileOutcome(name: "a.jsonl", bytes: 1234, stored: 3, duplicates: 1, rejected: 2,
                            disposition: .archived, reason: nil, at: 100),
                FileOutcome(name: "b.conv", bytes: 5, stored: 0, duplicates: 0, rejected: 1,
                            disposition: .quarantined, reason: "line 1: field \"date\": expected a date", at: 101),
            ])
            // The schema refuses dispositions other than the two of docs/spool.md.
            #expect(throws: DatabaseError.self) {
                try store.database.execute(
                    "INSERT INTO ingested_files (name, bytes, stored, duplicates, rejected, disposition, at) VALUES ('x', 0, 0, 0, 0, 'lost', 0)")
            }
        }
    }

    @Test func healthChecksAndSize() throws {
        try withTemporaryDirectory { dir in
            let store = try ConversationStore(path: dir + "/dialogd.db")
            for n in 0..<50 {
                let record = fullRecord(n)
                _ = try store.insert(record, key: RecordKey.make(for: record), sourceFile: "f", line: n + 1, ingestedAt: 1)
            }
            #expect(try store.quickCheck() == "ok")
            #expect(try store.integrityCheck() == "ok")
            #expect(try store.databaseSizeBytes > 0)
            #expect(try store.keys().count == 50)
            #expect(try store.keys().first == RecordKey.make(for: fullRecord(0)))
        }
    }
}


/// `conversationCount()` is kept in step with commits instead of counting rows per request.
@Suite struct ConversationCountTests {
    struct Boom: Error {}

    func insert(_ store: ConversationStore, _ n: Int) throws -> Bool {
        let record = fullRecord(n)
        return try store.insert(record, key: RecordKey.make(for: record), sourceFile: "f", line: n, ingestedAt: 1)
    }

    func counted(_ store: ConversationStore) throws -> Int {
        try store.database.scalar("SELECT count(*) FROM conversations", as: Int.self) ?? -1
    }

    @Test("commits, duplicates, rolled-back transactions and savepoints, autocommit inserts, reopen")
    func countFollowsCommits() throws {
        try withTemporaryDirectory { dir in
            let store = try ConversationStore(path: dir + "/dialogd.db")
            #expect(try store.conversationCount() == 0)
            try store.transaction {
                let stored = [try insert(store, 1), try insert(store, 2), try insert(store, 1)]
                #expect(stored == [true, true, false])
                let during = try store.conversationCount()
                #expect(during == 0, "the open transaction is not counted yet")
            }
            #expect(try store.conversationCount() == 2)
            #expect(try counted(store) == 2)

            #expect(throws: Boom.self) {
                try store.transaction { _ = try insert(store, 3); throw Boom() }
            }
            #expect(try store.conversationCount() == 2)
            #expect(try counted(store) == 2)

            try store.transaction {
                _ = try? store.savepoint { _ = try insert(store, 4); _ = try insert(store, 5); throw Boom() }
                _ = try insert(store, 6)
            }
            #expect(try store.conversationCount() == 3)
            #expect(try counted(store) == 3)

            _ = try insert(store, 7)
            #expect(try store.conversationCount() == 4)
            #expect(try counted(store) == 4)
            try store.close()
            #expect(try ConversationStore(path: dir + "/dialogd.db").conversationCount() == 4)
        }
    }
}

@Suite struct IntegrityCheckTests {
    @Test("the worker's check opens its own read-only connection beside the writer; a non-database fails clearly")
    func readOnlyCheck() throws {
        try withTemporaryDirectory { dir in
            let store = try ConversationStore(path: dir + "/dialogd.db")
            let record = fullRecord(1)
            try store.transaction { _ = try store.insert(record, key: RecordKey.make(for: record), sourceFile: "f", line: 1, ingestedAt: 1) }
            #expect(try ConversationStore.integrityCheck(path: dir + "/dialogd.db") == "ok")
            try Array(repeating: "not a database\n", count: 400).joined().write(toFile: dir + "/junk.db", atomically: true, encoding: .utf8)
            let error = thrownError(DatabaseError.self) { _ = try ConversationStore.integrityCheck(path: dir + "/junk.db") }
            #expect(error?.resultCode == SQLITE_NOTADB, "\(String(describing: error))")
        }
    }

    @Test("the store writes the figures the pipeline hands it and prices nothing itself")
    func storeWritesCountedFigures() throws {
        try withTemporaryDirectory { dir in
            let store = try ConversationStore(path: dir + "/s.db")
            var entry = CountedRecord(fullRecord(), labels: nil, valuation: Valuation())
            entry.priced.costCents = 12_345
            entry.priced.valueCents = 678
            #expect(try store.insert(entry, key: "k", sourceFile: "f", line: 1, ingestedAt: 0))
            #expect(try store.database.scalar("SELECT cost_cents FROM conversations", as: Int64.self) == 12_345)
            #expect(try store.database.scalar("SELECT sum(cost_cents) FROM roi_hourly", as: Int64.self) == 12_345)
            #expect(try store.database.scalar("SELECT sum(value_cents) FROM roi_daily_activity", as: Int64.self) == 678)
        }
    }
}
