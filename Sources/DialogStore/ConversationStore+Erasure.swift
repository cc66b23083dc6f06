import DialogCore

/// What `forget` removed (docs/roi.md "Erasure"): counts, and the spool files the customer's
/// records came from (their originals may hold the identity).
public struct ForgottenCustomer: Sendable, Equatable {
    public var conversations = 0
    public var orders = 0
    /// Conversations whose subject, text or extra fields were removed.
    public var texts = 0
    public var sourceFiles: [String] = []
    /// The other sites' records among them (site, key as stored): a central's `cur/` keeps
    /// each of their shipped revisions, found by key whatever customer they name.
    public var shippedKeys: [ShippedKey] = []
    /// The random label the records count under from now on: unlinked from the customer; nil
    /// when no stored record was the customer's (a typo, or forgotten before): nothing to keep.
    public var anonymousLabel: String?
    /// Other records whose texts named the identity (`scrubMentions`).
    public var mentions = ScrubbedMentions()
    /// False when a reader kept the WAL from being emptied after the change (then old page
    /// images stay in it until a later checkpoint overwrites or truncates it).
    public var walTruncated = true

    public init() {}
}

/// A stored copy of another site's record: its site, and its key as stored (`site:NAME/id:7`).
public struct ShippedKey: Sendable, Equatable {
    public var site: String
    public var key: String
}

extension ConversationStore {
    /// GDPR Art. 17 (`dialogctl forget --customer`): every conversation and order of a customer
    /// stored under any of `forms` (its pseudonym, its identity) loses the customer — replaced
    /// by one random label, so the figures and the order shares stay as they were — and each
    /// conversation its subject, text and extra fields, each order its extra fields but a credit
    /// note's `credits` link; every other stored text that names
    /// `mentions` (the identity, when it was given) says `[forgotten]` there instead. The
    /// connection overwrites freed bytes (`secure_delete`, set at open) and the WAL is
    /// checkpointed and truncated afterwards, so the text is gone from the files.
    /// Given a `forget` label (a site's, shipped here), its records keep it: they are erased again, not relabelled.
    public func forget(customerForms forms: [String], mentions: IdentityMentions? = nil) throws -> ForgottenCustomer {
        var result = ForgottenCustomer()
        // By bytes: rows stored before customers were composed hold the decomposed spelling,
        // which `storedForms` keeps apart on purpose; a Set of Strings would merge it away.
        let forms = Set(forms.map(ExactBytes.init)).map(\.text).sorted { $0.sortsBefore($1) }
        guard !forms.isEmpty else { return result }
        let label = forms.count == 1 && CustomerIdentity.isForgottenLabel(forms[0]) ? forms[0] : CustomerIdentity.randomForgottenLabel()
        let marks = forms.map { _ in "?" }.joined(separator: ", ")
        var list = try forgottenCustomers()
        try transaction {
            let held = try database.scalar(
                "SELECT (SELECT count(*) FROM conversations WHERE customer IN (\(marks))) + (SELECT count(*) FROM orders WHERE customer IN (\(marks)))",
                arguments: forms + forms, as: Int64.self) ?? 0
            // No label for nothing: an admin who notes one for the controller would note an empty one.
            if held > 0 { result.anonymousLabel = label }
            result.sourceFiles = try database.fetchAll(
                "SELECT source_file FROM conversations WHERE customer IN (\(marks)) UNION SELECT source_file FROM orders WHERE customer IN (\(marks)) ORDER BY 1",
                arguments: forms + forms) { row in row[0] as String }
            result.shippedKeys = try database.fetchAll(
                "SELECT site, key FROM conversations WHERE customer IN (\(marks)) AND site_revision IS NOT NULL ORDER BY 2",
                arguments: forms) { row in ShippedKey(site: row[0], key: row[1]) }
            result.texts = Int(try database.scalar(
                "SELECT count(*) FROM conversations WHERE customer IN (\(marks)) AND (text IS NOT NULL OR subject IS NOT NULL OR extras IS NOT NULL)",
                arguments: forms, as: Int64.self) ?? 0)
            // A new revision: the change ships with the next `export --after` (README "Many sites").
            let revision = try nextRevision()
            try database.execute("UPDATE conversations SET customer = ?, text = NULL, subject = NULL, extras = NULL, revision = ? WHERE customer IN (\(marks))",
                                 arguments: [label, revision] + forms)
            result.conversations = database.changes
            // A credit note keeps `credits`, the order number it takes back (an order's reference, not
            // the person): attribution reads it, so `recompute` after forget gives the same figures.
            try database.execute("""
                UPDATE orders SET customer = ?, extras = CASE WHEN \(Self.creditsExpression) IS NULL THEN NULL
                    ELSE json_object('\(OrderRecord.creditsKey)', \(Self.creditsExpression)) END WHERE customer IN (\(marks))
                """, arguments: [label] + forms)
            result.orders = database.changes
            if let mentions { result.mentions = try scrubMentions(mentions, revision: revision) }
            // Kept for good (a keyed hash of each pseudonym): a record of hers dropped again is
            // stored as erased. A label names no pseudonym: nothing to keep.
            list = try keepForgotten(pseudonyms: forms.filter(CustomerIdentity.isPseudonym))
        }
        forgottenCache = list
        forgottenAnswers.removeAll()
        result.walTruncated = try checkpointTruncating()
        return result
    }

    /// `[privacy] text_days` (storage limitation): removes subject and text of conversations
    /// dated before `before`, keeping every figure. Returns the conversations it emptied.
    @discardableResult
    public func removeTexts(before: Int64) throws -> Int {
        let removed = try transaction { () throws -> Int in
            try database.execute("UPDATE conversations SET text = NULL, subject = NULL, revision = ? WHERE date < ? AND (text IS NOT NULL OR subject IS NOT NULL)",
                                 arguments: [try nextRevision(), before])
            return database.changes
        }
        if removed > 0 { try checkpointTruncating() }
        return removed
    }

    /// Copies the WAL into the database and empties it, so old page images (with removed text)
    /// leave the WAL file; a reader still on an older snapshot past the busy timeout can keep
    /// it from completing: false then.
    @discardableResult
    func checkpointTruncating() throws -> Bool {
        let busy = try database.fetchAll("PRAGMA wal_checkpoint(TRUNCATE)") { row in row[0] as Int64 }
        return busy.first == 0
    }
}
