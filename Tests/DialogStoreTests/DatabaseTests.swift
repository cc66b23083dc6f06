import CSQLite
import Testing
@testable import DialogStore

@Suite struct DatabaseTests {
    /// Memory statistics cost a global mutex per SQLite malloc; they must be off before any
    /// connection opens. With them on, `sqlite3_memory_used` counts the table's pages.
    @Test func sqliteMemoryStatisticsAreOff() throws {
        try withTemporaryDirectory { dir in
            let db = try Database(path: dir + "/t.db")
            #expect(Database.processSettings == SQLITE_OK)
            try db.execute("CREATE TABLE t (v TEXT)")
            try db.transaction {
                for i in 0..<2_000 { try db.execute("INSERT INTO t VALUES (?)", arguments: ["row \(i)"]) }
            }
            #expect(sqlite3_memory_used() == 0)
            #expect(sqlite3_memory_highwater(0) == 0)
        }
    }

    @Test func errorCarriesCodeMessageAndSQL() throws {
        try withTemporaryDirectory { dir in
            let db = try Database(path: dir + "/t.db")
            let syntax = #expect(throws: DatabaseError.self) { try db.execute("SELEC 1") }
            #expect(syntax?.resultCode == SQLITE_ERROR)
            #expect(syntax?.message.contains("syntax error") == true)
            #expect(syntax?.sql == "SELEC 1")
            #expect(syntax?.description.contains("SELEC 1") == true)

            let missing = #expect(throws: DatabaseError.self) { _ = try db.prepare("SELECT * FROM nowhere") }
            #expect(missing?.message.contains("no such table: nowhere") == true)
            #expect(missing?.sql == "SELECT * FROM nowhere")

            try db.execute("CREATE TABLE t (k TEXT UNIQUE)")
            try db.execute("INSERT INTO t VALUES (?)", arguments: ["a"])
            let unique = #expect(throws: DatabaseError.self) {
                try db.execute("INSERT INTO t VALUES (?)", arguments: ["a"])
            }
            #expect(unique?.resultCode == 2067) // SQLITE_CONSTRAINT_UNIQUE: extended codes are on
            #expect(unique?.primaryResultCode == SQLITE_CONSTRAINT)
            #expect(unique?.sql == "INSERT INTO t VALUES (?)")
        }
    }

    @Test func bindsAndReadsEveryType() throws {
        try withTemporaryDirectory { dir in
            let db = try Database(path: dir + "/t.db")
            try db.execute("CREATE TABLE v (i INTEGER, d REAL, s TEXT, b BLOB)")
            let insert = try db.prepare("INSERT INTO v VALUES (:i, :d, :s, :b)")
            let rows: [(Int64?, Double?, String?, [UInt8]?)] = [
                (Int64.max, 1.5, "a\u{0}b", [0, 1, 255]),
                (Int64.min, -0.25, "", []),
                (nil, nil, nil, nil),
                (0, 0, "😀 Grüße", [0]),
            ]
            for (i, d, s, b) in rows {
                try insert.bind(i, named: ":i")
                try insert.bind(d, named: ":d")
                try insert.bind(s, named: ":s")
                try insert.bind(b, named: ":b")
                try insert.execute()
            }
            let read = try db.fetchAll("SELECT i, d, s, b, typeof(s), typeof(b) FROM v ORDER BY rowid") { row in
                (row[0] as Int64?, row[1] as Double?, row[2] as String?, row[3] as [UInt8]?, row[4] as String, row[5] as String)
            }
            #expect(read.count == 4)
            for (index, expected) in rows.enumerated() {
                #expect(read[index].0 == expected.0)
                #expect(read[index].1 == expected.1)
                #expect(read[index].2 == expected.2)
                #expect(read[index].3 == expected.3)
            }
            // Empty string and empty blob are values, not NULL.
            #expect(read[1].4 == "text")
            #expect(read[1].5 == "blob")
            #expect(read[2].4 == "null")
        }
    }

    @Test func wrongArgumentCountAndUnknownNameAreErrors() throws {
        try withTemporaryDirectory { dir in
            let db = try Database(path: dir + "/t.db")
            #expect(throws: DatabaseError.self) { _ = try db.scalar("SELECT ?", arguments: [], as: Int.self) }
            let statement = try db.prepare("SELECT :a")
            #expect(throws: DatabaseError.self) { try statement.bind(1, named: ":b") }
            #expect(throws: DatabaseError.self) { _ = try db.prepare("SELECT 1; SELECT 2") }
        }
    }

    @Test func cachedStatementsAreReused() throws {
        try withTemporaryDirectory { dir in
            let db = try Database(path: dir + "/t.db")
            let a = try db.cachedStatement("SELECT 1")
            let b = try db.cachedStatement("SELECT 1")
            #expect(a === b)
            #expect(db.cachedStatementCount == 1)
            #expect(try db.scalar("SELECT ? + 1", arguments: [41], as: Int.self) == 42)
            #expect(try db.scalar("SELECT ? + 1", arguments: [1], as: Int.self) == 2)
        }
    }

    @Test func transactionCommitsAndRollsBack() throws {
        struct Boom: Error {}
        try withTemporaryDirectory { dir in
            let db = try Database(path: dir + "/t.db")
            try db.execute("CREATE TABLE t (x INTEGER)")
            try db.transaction(.immediate) {
                try db.execute("INSERT INTO t VALUES (1)")
                #expect(db.lastInsertRowID == 1)
                #expect(db.changes == 1)
            }
            let thrown = thrownError(Boom.self) {
                try db.transaction(.immediate) {
                    try db.execute("INSERT INTO t VALUES (2)")
                    throw Boom()
                }
            }
            #expect(thrown != nil)
            #expect(!db.isInTransaction)
            #expect(try db.fetchAll("SELECT x FROM t") { $0[0] as Int } == [1])
            // Nested transactions are refused and leave the outer one intact.
            try db.transaction {
                #expect(thrownError(DatabaseError.self) { try db.transaction {} } != nil)
                try db.execute("INSERT INTO t VALUES (3)")
            }
            #expect(try db.fetchAll("SELECT x FROM t ORDER BY x") { $0[0] as Int } == [1, 3])
        }
    }

    @Test func savepointUndoesOnlyItsPart() throws {
        struct Boom: Error {}
        try withTemporaryDirectory { dir in
            let db = try Database(path: dir + "/t.db")
            try db.execute("CREATE TABLE t (x INTEGER)")
            try db.transaction(.immediate) {
                try db.execute("INSERT INTO t VALUES (1)")
                let thrown = thrownError(Boom.self) {
                    try db.savepoint("one \"record\"") {
                        try db.execute("INSERT INTO t VALUES (2)")
                        throw Boom()
                    }
                }
                #expect(thrown != nil)
                try db.savepoint { try db.execute("INSERT INTO t VALUES (3)") }
            }
            #expect(try db.fetchAll("SELECT x FROM t ORDER BY x") { $0[0] as Int } == [1, 3])
        }
    }

    @Test func closeRefusesWhileAStatementLives() throws {
        try withTemporaryDirectory { dir in
            let db = try Database(path: dir + "/t.db")
            var statement: Statement? = try db.prepare("SELECT 1")
            #expect(try statement?.step() == true)
            let error = #expect(throws: DatabaseError.self) { try db.close() }
            #expect(error?.primaryResultCode == SQLITE_BUSY)
            statement = nil
            try db.close()
            #expect(db.isClosed)
            #expect(throws: DatabaseError.self) { try db.execute("SELECT 1") }
        }
    }

    @Test func openingAMissingDirectoryFailsClearly() throws {
        let error = #expect(throws: DatabaseError.self) {
            _ = try Database(path: "/nonexistent-dir-\(UInt64.random(in: 0...UInt64.max))/x.db")
        }
        #expect(error?.primaryResultCode == SQLITE_CANTOPEN)
        #expect(error?.message.contains("cannot open") == true)
    }
}
