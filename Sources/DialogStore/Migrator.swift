/// A schema change with the `PRAGMA user_version` it brings the database to.
public struct Migration: Sendable {
    public let version: Int32
    public let name: String
    public let apply: @Sendable (Database) throws -> Void

    public init(version: Int32, name: String, apply: @escaping @Sendable (Database) throws -> Void) {
        self.version = version
        self.name = name
        self.apply = apply
    }
}

/// Applies pending migrations in order, each in its own IMMEDIATE transaction together
/// with its `user_version` bump, and refuses a database written by a newer dialogd.
public struct Migrator: Sendable {
    public let migrations: [Migration]

    /// `migrations` must have versions 1, 2, 3, … in order.
    public init(_ migrations: [Migration]) {
        for (offset, migration) in migrations.enumerated() {
            precondition(migration.version == Int32(offset + 1), "migrations must be numbered 1, 2, 3, … in order")
        }
        self.migrations = migrations
    }

    /// The newest version this code knows.
    public var latestVersion: Int32 { migrations.last?.version ?? 0 }

    /// The database's `user_version`.
    public static func currentVersion(of database: Database) throws -> Int32 {
        try database.scalar("PRAGMA user_version", as: Int32.self) ?? 0
    }

    /// Throws before touching anything when the database is newer than this code.
    public func checkNotNewer(_ database: Database) throws {
        let current = try Self.currentVersion(of: database)
        guard current <= latestVersion else {
            throw DatabaseError(
                resultCode: 1, // SQLITE_ERROR
                message: "database schema version \(current) is newer than this dialogd knows (\(latestVersion)); "
                    + "refusing to open \(database.path) — upgrade dialogd or restore a backup",
                sql: "PRAGMA user_version")
        }
    }

    /// Brings the database to `latestVersion`; returns the versions applied.
    @discardableResult
    public func migrate(_ database: Database) throws -> [Int32] {
        try checkNotNewer(database)
        var applied: [Int32] = []
        for migration in migrations where try Self.currentVersion(of: database) < migration.version {
            // Re-read inside the transaction: another process may have migrated meanwhile.
            let didApply = try database.transaction(.immediate) { () throws -> Bool in
                guard try Self.currentVersion(of: database) < migration.version else { return false }
                try migration.apply(database)
                try database.execute("PRAGMA user_version = \(migration.version)")
                return true
            }
            if didApply { applied.append(migration.version) }
        }
        return applied
    }
}
