extension ConversationStore {
    /// Opens a transaction that stays open across calls — a large spool file stored over several
    /// turns of the daemon's loop — with the row count kept as in `transaction`. Aggregate changes
    /// and attribution are buffered up to `maxOpenBufferedBuckets`, then written into the tables
    /// inside the transaction: memory stays small, and a rollback still undoes all of it.
    /// End it with `commitOpenTransaction` or `rollbackOpenTransaction`, then call
    /// `checkpointAfterLargeTransaction` on a later turn of the loop.
    /// `slice`: one of many short transactions of one file (`commitOpenTransaction(last:)`): its
    /// commit checkpoints as any commit does when the WAL is over `autocheckpointPages`.
    public func beginOpenTransaction(slice: Bool = false) throws {
        // Counted before: inside, count(*) on this connection would see the uncommitted rows.
        _ = try conversationCount()
        // Its commit does not checkpoint the WAL it grew (copying it costs as much as the commit):
        // `checkpointAfterLargeTransaction` does, on a turn of its own.
        if !slice { try database.execute("PRAGMA wal_autocheckpoint = 0") }
        do { try database.beginTransaction(.immediate) } catch {
            try? database.execute("PRAGMA wal_autocheckpoint = \(Self.autocheckpointPages)")
            throw error
        }
        uncommittedInserts = 0
        attributedInTransaction = 0
        defersAggregates = true
        inOpenTransaction = true
        walSyncedBytes = (try? database.journalBytes()) ?? 0
    }

    /// How much an open transaction writes to the WAL between two `syncOpenTransactionWAL`.
    static let walSyncStepBytes: Int64 = 8 << 20

    /// Syncs the WAL the open transaction wrote (pages that left the cache) once it grew by
    /// `walSyncStepBytes`, so the commit does not sync a large file's whole WAL in one go on the
    /// loop: the same writes, a few more syncs, and nothing counts before the commit.
    public func syncOpenTransactionWAL() throws {
        guard inOpenTransaction else { return }
        let size = try database.journalBytes()
        guard size - walSyncedBytes >= Self.walSyncStepBytes else { return }
        try database.syncJournal()
        walSyncedBytes = size
    }

    /// Writes the buffered aggregates and attribution and commits; on failure everything is rolled back.
    /// `last: false` (a slice with more to come): the WAL is emptied after the file's last slice
    /// only, not after each (that copied every slice's pages into the database again).
    public func commitOpenTransaction(last: Bool = true) throws {
        defer { endOpenTransaction(checkpoint: last) }
        do {
            try flushAttribution()
            try flushAggregates()
            try database.commitTransaction()
        } catch {
            database.rollbackTransaction()
            committedCount = nil
            throw error
        }
        committedCount? += uncommittedInserts
    }

    /// Undoes everything since `beginOpenTransaction`.
    public func rollbackOpenTransaction() {
        database.rollbackTransaction()
        endOpenTransaction()
    }

    private func endOpenTransaction(checkpoint: Bool = true) {
        defersAggregates = false
        inOpenTransaction = false
        pendingAggregates = AggregateBuffer()
        attributionDirty = [:]
        attributionQueued = 0
        uncommittedInserts = 0
        // The next transaction takes a revision of its own (`export --after` relies on it).
        openRevision = nil
        try? database.execute("PRAGMA wal_autocheckpoint = \(Self.autocheckpointPages)")
        if checkpoint { checkpointDue = true }
    }

    /// Copies the WAL a large transaction left (committed or rolled back: it holds its pages
    /// either way) into the database and truncates it to zero bytes, so the store's disk does not
    /// keep the file's size. Never waits for a reader (the worker's read-only connection): then
    /// it copies what it can and returns false, and `journal_size_limit` shrinks the WAL when
    /// SQLite next resets it. The database is synced before the WAL is emptied, as in every
    /// checkpoint: durability is that of `synchronous=FULL`.
    @discardableResult
    public func checkpointAfterLargeTransaction() throws -> Bool {
        checkpointDue = false
        try database.execute("PRAGMA busy_timeout = 0")
        defer { try? database.execute("PRAGMA busy_timeout = \(Self.busyTimeoutMilliseconds)") }
        // One row: busy (1 when a reader kept it from finishing), WAL frames, frames copied.
        let busy = try database.fetchOne("PRAGMA wal_checkpoint(TRUNCATE)") { $0[0] as Int } ?? 1
        return busy == 0
    }
}

extension ConversationStore {
    /// Removes a `meta` value (a large file's progress once its outcome is written).
    public func removeMeta(_ key: String) throws {
        try database.execute("DELETE FROM meta WHERE key = ?", arguments: [key])
    }

    /// The `meta` rows whose key starts with `prefix` (a range of the key's index, not a scan).
    public func metaRows(prefix: String) throws -> [(key: String, value: String?)] {
        guard let last = prefix.unicodeScalars.last, let next = Unicode.Scalar(last.value + 1) else { return [] }
        let end = String(prefix.unicodeScalars.dropLast()) + String(next)
        return try database.fetchAll("SELECT key, value FROM meta WHERE key >= ? AND key < ? ORDER BY key", arguments: [prefix, end]) {
            ($0[0] as String, $0[1] as String?)
        }
    }
}
