extension ConversationStore {
    /// Opens a transaction that stays open across calls — a large spool file stored over several
    /// turns of the daemon's loop — with aggregates buffered and the row count kept as in
    /// `transaction`. End it with `commitOpenTransaction` or `rollbackOpenTransaction`.
    public func beginOpenTransaction() throws {
        // Counted before: inside, count(*) on this connection would see the uncommitted rows.
        _ = try conversationCount()
        try database.beginTransaction(.immediate)
        uncommittedInserts = 0
        defersAggregates = true
    }

    /// Attributes the orders of the customers it changed, writes the buffered aggregates and commits; on failure everything is rolled back.
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
        pendingAggregates = AggregateBuffer()
        attributionDirty = []
        uncommittedInserts = 0
    }
}
