#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import CSQLite
import DialogSystem

/// An online copy of a live database (SQLite backup API) taken a few pages at a time, so the
/// owner of the source connection can keep writing between steps. Writes made through the
/// source connection itself are carried into the copy; others restart it (SQLite's rule).
public final class DatabaseBackup {
    public let destinationPath: String
    private let destination: Database
    private var backup: OpaquePointer?

    /// Mode of a backup whatever the umask: the unit's (umask 027) for the store's own files.
    public static let fileMode: mode_t = 0o640

    /// Creates `destinationPath` (it must not exist; never through a symlink) with `fileMode`
    /// and prepares the copy of `source`'s main database into it (removing the file again if
    /// that fails). SQLite gives its journal the same mode.
    public init(source: Database, destinationPath: String) throws {
        self.destinationPath = destinationPath
        let fd = open(destinationPath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, Self.fileMode)
        guard fd >= 0 else {
            let code = errno
            throw DatabaseError(resultCode: SQLITE_CANTOPEN, message: "cannot create \(destinationPath): \(SystemError.reason(code))")
        }
        // The umask narrowed `open`'s mode; fchmod is not subject to it.
        let changed = fchmod(fd, Self.fileMode)
        let code = errno
        close(fd)
        do {
            guard changed == 0 else {
                throw DatabaseError(resultCode: SQLITE_CANTOPEN, message: "cannot set the mode of \(destinationPath): \(SystemError.reason(code))")
            }
            destination = try Database(path: destinationPath, flags: [.readWrite, .noMutex, .noFollow])
            let target = try destination.handle()
            guard let handle = sqlite3_backup_init(target, "main", try source.handle(), "main") else {
                throw DatabaseError.from(connection: target, code: sqlite3_errcode(target), sql: nil)
            }
            backup = handle
        } catch {
            unlink(destinationPath)  // ours: created above
            throw error
        }
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
