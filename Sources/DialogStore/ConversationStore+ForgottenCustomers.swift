import DialogCore

extension ConversationStore {
    /// The customers `forget` erased (docs/roi.md "Erasure": a suppression list of keyed hashes),
    /// read from `forgotten_customers` once and kept up to date by `forget`; a restart reads it again.
    public func forgottenCustomers() throws -> ForgottenCustomers {
        if let forgottenCache { return forgottenCache }
        var list = ForgottenCustomers(key: try pseudonymKey())
        for marker in try database.fetchAll("SELECT marker FROM forgotten_customers", { row in row[0] as String }) { list.insert(marker: marker) }
        forgottenCache = list
        return list
    }

    /// Whether a customer as the store keeps it is one `forget` erased (`ForgottenCustomers.holds`),
    /// asked for every record at ingest: nothing while the list is empty, then one hash per
    /// customer (answers kept for up to `maxForgottenAnswers` customers, then started over).
    public func isForgotten(stored customer: String?) throws -> Bool {
        guard let customer else { return false }
        let list = try forgottenCustomers()
        guard !list.isEmpty else { return false }
        if let known = forgottenAnswers[customer] { return known }
        let held = list.holds(stored: customer)
        if forgottenAnswers.count >= Self.maxForgottenAnswers { forgottenAnswers.removeAll(keepingCapacity: true) }
        forgottenAnswers[customer] = held
        return held
    }

    static let maxForgottenAnswers = 1 << 16

    /// Adds `pseudonyms` to the list, in the open transaction (`forget`); returns the list as it
    /// will be once that commits.
    func keepForgotten(pseudonyms: [String]) throws -> ForgottenCustomers {
        var list = try forgottenCustomers()
        for pseudonym in pseudonyms {
            let marker = list.marker(pseudonym: pseudonym)
            try database.execute("INSERT OR IGNORE INTO forgotten_customers (marker, forgotten_at) VALUES (?, CAST(strftime('%s', 'now') AS INTEGER))",
                                 arguments: [marker])
            list.insert(marker: marker)
        }
        return list
    }

    /// The stored conversation's customer under `record`'s key when it is a `forget` label (the
    /// record was erased); nil when not stored or stored with a customer.
    public func forgottenLabel(ofConversation record: ConversationRecord, key: String) throws -> String? {
        let customer = try database.fetchOne("SELECT customer FROM conversations WHERE " + Schema.conversationKeyMatch("?1", probe: "?2"),
                                             arguments: Schema.keyArguments(storedKey(record, key))) { row in row[0] as String? }
        return customer.flatMap { $0 }.flatMap { CustomerIdentity.isForgottenLabel($0) ? $0 : nil }
    }

    /// The stored order's customer under `key` when it is a `forget` label.
    public func forgottenLabel(ofOrderKey key: String) throws -> String? {
        let customer = try database.fetchOne("SELECT customer FROM orders WHERE key = ?", arguments: [key]) { row in row[0] as String? }
        return customer.flatMap { $0 }.flatMap { CustomerIdentity.isForgottenLabel($0) ? $0 : nil }
    }
}

extension ConversationStore {
    /// The revision of `site`'s record `key` (as the site writes it) stored here when its customer
    /// is a `forget` label: a refused older line of it must not stay in the spool. Nil otherwise.
    public func erasedRevision(site: String, key: String) throws -> Int64? {
        try database.fetchOne("SELECT coalesce(site_revision, revision), customer FROM conversations WHERE " + Schema.conversationKeyMatch("?1", probe: "?2"),
                              arguments: Schema.keyArguments(SiteKey.qualified(key, site: site, home: homeSite))) { row -> Int64? in
            guard let customer = row[1] as String?, CustomerIdentity.isForgottenLabel(customer) else { return nil }
            return row[0] as Int64
        }.flatMap { $0 }
    }
}
