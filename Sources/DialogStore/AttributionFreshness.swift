import DialogCore

/// Whether the stored order shares were made with the `[attribution]` in force (docs/roi.md
/// "Changing the model"): the one test behind the pyramid's `stale`, `status`, `metrics` and the
/// daemon's warning at start and reload, so they cannot disagree. `recompute` makes them current.
extension Database {
    /// True when orders are stored and their shares were made with another model, lookback,
    /// half-life or touch cap than `current` (a store from before the fingerprint used the default).
    func attributionIsStale(_ current: AttributionConfig) throws -> Bool {
        guard try scalar("SELECT EXISTS (SELECT 1 FROM orders)", as: Int64.self) == 1 else { return false }
        let stored = try fetchOne("SELECT value FROM meta WHERE key = ?", arguments: [ConversationStore.attributionMetaKey]) { row in
            row[0] as String?
        } ?? nil
        return (stored ?? AttributionConfig().fingerprint) != current.fingerprint
    }
}
