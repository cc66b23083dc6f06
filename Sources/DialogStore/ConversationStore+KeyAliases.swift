import DialogCore

extension ConversationStore {
    /// `meta` keys of the aliases `forget` leaves (docs/roi.md "Erasure"): the content key a
    /// blanked record has in its rewritten spool original, pointing to the key it is stored under.
    static let conversationKeyAliasPrefix = "forget-alias:"
    static let orderKeyAliasPrefix = "forget-order-alias:"

    /// Notes, for each record `forget` blanked in a rewritten `cur/` original, its new content key
    /// as an alias of the stored one, so that original dropped again is a duplicate. The stored
    /// key stays: other sites know the record by it (`export --after` ships the blanked text under
    /// it). An old key that is itself an alias (a second `forget` of another identity) resolves
    /// to the stored key; keys the store does not hold are skipped. Returns the aliases kept.
    @discardableResult
    public func addKeyAliases(_ changes: [RecordErasure.KeyChange]) throws -> Int {
        guard !changes.isEmpty else { return 0 }
        let added = try transaction { () throws -> Int in
            var added = 0
            for change in changes {
                let prefix = change.order ? Self.orderKeyAliasPrefix : Self.conversationKeyAliasPrefix
                let target = try meta(prefix + change.old) ?? change.old
                let held = change.order ? try order(key: target) != nil : try conversationExists(key: target)
                guard held else { continue }
                try setMeta(prefix + change.new, target)
                added += 1
            }
            return added
        }
        if added > 0 { keyAliasesPresent = true }
        return added
    }

    /// Whether `key` (a content key: a record without an id) is an alias `forget` left for a
    /// stored record. One `meta` probe, and none while no alias was ever made.
    func isForgottenKeyAlias(_ key: String, order: Bool) throws -> Bool {
        guard key.hasBytePrefix("sha256:") else { return false }
        if keyAliasesPresent == nil {
            keyAliasesPresent = try database.fetchOne("SELECT 1 FROM meta WHERE key >= ? AND key < ? LIMIT 1",
                                                      arguments: ["forget-", "forget."]) { _ in true } ?? false
        }
        guard keyAliasesPresent == true else { return false }
        return try meta((order ? Self.orderKeyAliasPrefix : Self.conversationKeyAliasPrefix) + key) != nil
    }
}
