import Testing
@testable import DialogStore

@Suite struct MigratorTests {
    struct Boom: Error {}

    @Test func appliesPendingMigrationsInOrderOnce() throws {
        try withTemporaryDirectory { dir in
            let db = try Database(path: dir + "/m.db")
            let v1 = Migrator([Migration(version: 1, name: "a") { try $0.execute("CREATE TABLE a (x)") }])
            #expect(try v1.migrate(db) == [1])
            #expect(try v1.migrate(db) == [])
            let v2 = Migrator(v1.migrations + [Migration(version: 2, name: "b") { try $0.execute("CREATE TABLE b (x)") }])
            #expect(try v2.migrate(db) == [2])
            #expect(try Migrator.currentVersion(of: db) == 2)
        }
    }

    @Test func failingMigrationRollsBackItsChangesAndVersion() throws {
        try withTemporaryDirectory { dir in
            let db = try Database(path: dir + "/m.db")
            let migrator = Migrator([
                Migration(version: 1, name: "ok") { try $0.execute("CREATE TABLE a (x)") },
                Migration(version: 2, name: "fails") { db in
                    try db.execute("CREATE TABLE b (x)")
                    throw Boom()
                },
            ])
            #expect(throws: Boom.self) { try migrator.migrate(db) }
            #expect(try Migrator.currentVersion(of: db) == 1)
            #expect(try db.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'b'", as: Int.self) == 0)
        }
    }

    @Test func newerDatabaseIsRefused() throws {
        try withTemporaryDirectory { dir in
            let db = try Database(path: dir + "/m.db")
            try db.execute("PRAGMA user_version = 7")
            let migrator = Migrator([Migration(version: 1, name: "a") { try $0.execute("CREATE TABLE a (x)") }])
            let error = #expect(throws: DatabaseError.self) { try migrator.migrate(db) }
            #expect(error?.message.contains("newer than this dialogd knows") == true)
            #expect(try db.scalar("SELECT count(*) FROM sqlite_schema", as: Int.self) == 0)
        }
    }
}
