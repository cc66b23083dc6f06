import DialogCore

extension ConversationStore {
    static let customerNamesMetaKey = "customers_stored_as"

    /// Brings stored customers in line with `[privacy] customers` (docs/roi.md "Customers"):
    /// when the store may hold customers as written — a store from before pseudonyms, or one
    /// kept `named` until now — and the mode is `pseudonymous`, every stored customer that is
    /// not a pseudonym yet is replaced by its pseudonym, in one transaction, and the orders of
    /// the customers it rewrote are attributed again (as after any ingest). Once done (and
    /// under `named`, which never turns pseudonyms back into names) it only reads one meta
    /// value. Returns the rows rewritten.
    @discardableResult
    public func applyCustomerNames(_ identity: CustomerIdentity) throws -> Int {
        let stored = try meta(Self.customerNamesMetaKey)
        guard stored != identity.mode.rawValue else { return 0 }
        guard identity.mode == .pseudonymous else {
            try setMeta(Self.customerNamesMetaKey, identity.mode.rawValue)
            return 0
        }
        return try transaction {
            var rewritten = 0
            for table in Self.customerTables {
                let rows = try database.fetchAll("SELECT id, customer FROM \(table) WHERE customer IS NOT NULL") { row in
                    (row[0] as Int64, row[1] as String)
                }
                let update = try database.cachedStatement("UPDATE \(table) SET customer = ? WHERE id = ?")
                for (id, customer) in rows where !CustomerIdentity.isPseudonym(customer) {
                    let pseudonym = identity.stored(customer) ?? customer
                    try update.bind(pseudonym, at: 1)
                    try update.bind(id, at: 2)
                    try update.execute()
                    // Spellings of one customer are one pseudonym now: their orders meet their conversations.
                    try customerChanged(pseudonym, .whole)
                    rewritten += 1
                }
            }
            try setMeta(Self.customerNamesMetaKey, identity.mode.rawValue)
            return rewritten
        }
    }

    /// The tables with a `customer` column.
    static var customerTables: [String] { ["conversations", "orders"] }
}
