import CSQLite

/// An online copy of a live database (SQLite backup API) taken a few pages at a time, so the
/// owner of the source connection can keep writing between steps. Writes made through the
/// source connection itself are carried into the copy; others restart it (SQLite's rule).
public final class DatabaseBackup {
    public let destinationPath: String
    private let destination: Database
    private var backup: OpaquePointer?

    /// Opens (creating) `destinationPath` and prepares the copy of `source`'s main database.
    public init(source: Database, destinationPath: String) throws {
        self.destinationPath = destinationPath
        destination = try Database(path: destinationPath, flags: [.readWrite, .create, .noMutex, .noFollow])
        let target = try destination.handle()
        guard let handle = sqlite3_backup_init(target, "main", try source.handle(), "main") else {
            throw DatabaseError.from(connection: target, code: sqlite3_errcode(target), sql: nil)
        }
        backup = handle
    }

    deinit {
        if let backup { sqlite3_backup_finish(backup) }
    }

    /// Copies up to `pages` pages; returns true when the copy is complete (and finished).
    /// Busy or locked sources are not errors: the next step tries again.
    public func step(pages: Int32) throws -> Bool {
        guard let backup else { return true }
        let code = sqlite3_backup_step(backup, pages)
        pageCount = Int(sqlite3_backup_pagecount(backup))
        remaining = Int(sqlite3_backup_remaining(backup))
        switch code {
        case SQLITE_DONE:
            try finish()
            return true
        case SQLITE_OK, SQLITE_BUSY, SQLITE_LOCKED:
            return false
        default:
            let error = DatabaseError.from(connection: try destination.handle(), code: code, sql: nil)
            try? finish()
            throw error
        }
    }

    /// Pages of the source at the last step, and pages still to copy then.
    public private(set) var pageCount = 0
    public private(set) var remaining = 0

    private func finish() throws {
        guard let backup else { return }
        self.backup = nil
        let code = sqlite3_backup_finish(backup)
        guard code == SQLITE_OK else {
            throw DatabaseError.from(connection: try destination.handle(), code: code, sql: nil)
        }
    }
}
