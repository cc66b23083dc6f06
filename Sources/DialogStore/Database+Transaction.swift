import CSQLite

extension Database {
    /// How a transaction takes its locks.
    public enum TransactionKind: String, Sendable {
        /// Locks on first read/write.
        case deferred = "DEFERRED"
        /// Takes the write lock at BEGIN, so a busy writer fails early instead of mid-batch.
        case immediate = "IMMEDIATE"
        case exclusive = "EXCLUSIVE"
    }

    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws
    /// (and rethrows its error). Nested calls are refused: a nested "commit" that commits
    /// nothing would hide where durability actually happens; use `savepoint` for nesting.
    public func transaction<T>(_ kind: TransactionKind = .deferred, _ body: () throws -> T) throws -> T {
        guard !isInTransaction else {
            throw DatabaseError.misuse("transaction(): already inside a transaction (nested transactions are refused; use savepoint)")
        }
        try execute("BEGIN \(kind.rawValue) TRANSACTION")
        let result: T
        do {
            result = try body()
        } catch {
            rollbackQuietly()
            throw error
        }
        do {
            try execute("COMMIT TRANSACTION")
        } catch {
            rollbackQuietly()
            throw error
        }
        return result
    }

    /// Opens a transaction that stays open across several calls (a large spool file stored
    /// over several turns of the daemon's loop); ended by `commitTransaction` or `rollbackTransaction`.
    public func beginTransaction(_ kind: TransactionKind = .deferred) throws {
        guard !isInTransaction else {
            throw DatabaseError.misuse("beginTransaction(): already inside a transaction")
        }
        try execute("BEGIN \(kind.rawValue) TRANSACTION")
    }

    /// Commits what `beginTransaction` opened; rolls back (and rethrows) when the commit fails.
    public func commitTransaction() throws {
        do { try execute("COMMIT TRANSACTION") } catch {
            rollbackQuietly()
            throw error
        }
    }

    /// Undoes what `beginTransaction` opened (nothing when SQLite already rolled it back).
    public func rollbackTransaction() { rollbackQuietly() }

    /// Runs `body` inside a savepoint (works inside or outside a transaction): released when
    /// it returns, rolled back to (and released) when it throws.
    public func savepoint<T>(_ name: String = "dialogd", _ body: () throws -> T) throws -> T {
        // Quotes doubled bytewise: a '"' followed by a combining mark is still a quote to SQLite.
        let quoted = "\"" + String(decoding: name.utf8.flatMap { $0 == 0x22 ? [0x22, 0x22] : [$0] }, as: UTF8.self) + "\""
        try execute("SAVEPOINT \(quoted)")
        let result: T
        do {
            result = try body()
        } catch {
            // If SQLite already rolled the whole transaction back, the savepoint is gone.
            try? execute("ROLLBACK TO SAVEPOINT \(quoted)")
            try? execute("RELEASE SAVEPOINT \(quoted)")
            throw error
        }
        try execute("RELEASE SAVEPOINT \(quoted)")
        return result
    }

    /// Rolls back unless SQLite already did (some errors, e.g. SQLITE_FULL, end the transaction).
    private func rollbackQuietly() {
        guard isInTransaction else { return }
        try? execute("ROLLBACK TRANSACTION")
    }
}
