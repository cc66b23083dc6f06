import CSQLite

/// The main database's journal file (the WAL in WAL mode), reached through SQLite's own file
/// object (`SQLITE_FCNTL_JOURNAL_POINTER`), so no second descriptor is opened on it.
extension Database {
    private func journalFile() throws -> UnsafeMutablePointer<sqlite3_file>? {
        var file: UnsafeMutablePointer<sqlite3_file>?
        let code = sqlite3_file_control(try handle(), "main", SQLITE_FCNTL_JOURNAL_POINTER, &file)
        guard code == SQLITE_OK else { throw DatabaseError.from(connection: try handle(), code: code, sql: nil) }
        // A journal not opened yet has no methods.
        guard let file, file.pointee.pMethods != nil else { return nil }
        return file
    }

    /// The journal's size in bytes; 0 while there is none.
    public func journalBytes() throws -> Int64 {
        guard let file = try journalFile() else { return 0 }
        var size: sqlite3_int64 = 0
        let code = file.pointee.pMethods.pointee.xFileSize(file, &size)
        guard code == SQLITE_OK else { throw DatabaseError.from(connection: try handle(), code: code, sql: nil) }
        return Int64(size)
    }

    /// Syncs what was written to the journal so far (as SQLite syncs it at a commit).
    public func syncJournal() throws {
        guard let file = try journalFile() else { return }
        let code = file.pointee.pMethods.pointee.xSync(file, SQLITE_SYNC_NORMAL)
        guard code == SQLITE_OK else { throw DatabaseError.from(connection: try handle(), code: code, sql: nil) }
    }
}
