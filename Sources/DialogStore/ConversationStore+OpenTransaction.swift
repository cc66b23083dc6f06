extension ConversationStore {
    /// Opens a transaction that stays open across calls — a large spool file stored over several
    /// turns of the daemon's loop — with the row count kept as in `transaction`. Aggregate changes
    /// and attribution are buffered up to `maxOpenBufferedBuckets`, then written into the tables
    /// inside the transaction: memory stays small, and a rollback still undoes all of it.
    /// End it with `commitOpenTransaction` or `rollbackOpenTransaction`.
    public func beginOpenTransaction() throws {
        // Counted before: inside, count(*) on this connection would see the uncommitted rows.
        _ = try conversationCount()
        try database.beginTransaction(.immediate)
        uncommittedInserts = 0
        defersAggregates = true
        inOpenTransaction = true
    }

    /// Writes the buffered aggregates and attribution and commits; on failure everything is rolled back.
    public func commitOpenTransaction() throws {
        defer { endOpenTransaction() }
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

    private func endOpenTransaction() {
        defersAggregates = false
        inOpenTransaction = false
        pendingAggregates = AggregateBuffer()
        attributionDirty = []
        uncommittedInserts = 0
        // The next transaction takes a revision of its own (`export --after` relies on it).
        openRevision = nil
    }
}
