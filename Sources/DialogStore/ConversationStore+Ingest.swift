import DialogCore

/// What became of one record the spool offered the store (docs/spool.md "ids, conflicts, amends").
public enum IngestOutcome: Sendable, Equatable {
    case stored
    /// Its key is stored with the same content: a re-ingest, or an amend that arrived twice.
    case duplicate
    /// The original of a stored record in which `forget` blanked another customer's mention
    /// (`BlankedMentions`): a duplicate, also with an id; `mentions` are the file's words where
    /// the stored text says `[forgotten]`, to blank in the file's copy once moved.
    case duplicateOfBlanked(mentions: [String])
    /// Its id is stored with other content: refused, nothing changed.
    case conflict(StoredRecordSummary)
    /// It replaced the stored record with its id (an amend).
    case amended(ReplacedRecord)
    /// An amend of an id that is not stored: refused, nothing changed.
    case unknownAmend
    /// A shipped copy with a higher revision than the stored copy replaced it.
    case updated(ReplacedRecord)
    /// A shipped copy with a lower revision than the stored copy: ignored (it arrived late).
    case outdated
    /// Outdated, and the stored copy erased what this one holds (its site forgot the customer,
    /// or removed the text): the file's line must not stay in `cur/` (`ShippedErasure`).
    case outdatedByErasure(ShippedErasure)
}

/// The stored record a conflicting one collided with, for the refusal's reason.
public struct StoredRecordSummary: Sendable, Equatable {
    public var rowID: Int64
    public var date: Int64
    public var utcOffsetSeconds: Int32
    public var employee: String
    /// The fields in which the refused record differs (`RecordContent.differences`).
    public var differences: [String]
}

/// What an amend replaced, so the classifier can take back what the old record taught it.
public struct ReplacedRecord: Sendable, Equatable {
    public var rowID: Int64
    public var document: Document
    /// The labels the classifier learned from the old row (logged or reviewed ones).
    public var learned: [Dimension: String]
    /// A shipped copy whose new revision erased what the old one held (`ShippedErasure.erases`):
    /// the record's older shipped lines, which `cur/` may keep, must go; empty otherwise.
    public var erasure = ShippedErasure()
}

extension ConversationStore {
    /// Offers one counted spool record to the store: stores it, or tells a duplicate (same key,
    /// same content) from a conflict (same id, other content, refused), or — when the record
    /// `amends` its id — replaces the stored record and moves its figures, in the open
    /// transaction. Same content is `RecordContent.isSame`: the canonical form.
    /// A shipped copy (`record.shipped`) is decided by revision instead: the newer one wins.
    public func ingest(_ entry: CountedRecord, key: String, sourceFile: String, line: Int, ingestedAt: Int64) throws -> IngestOutcome {
        // `entry.record` is read in place, never copied: a copy retains its twenty-odd fields (issue 17).
        let key = storedKey(entry.record, key)
        if let shipped = entry.record.shipped {
            return try ingest(shipped: shipped, entry, key: key, sourceFile: sourceFile, line: line, ingestedAt: ingestedAt)
        }
        if entry.record.amends == nil {
            if try insert(entry, storedKey: key, sourceFile: sourceFile, line: line, ingestedAt: ingestedAt) { return .stored }
            // A content-hash key is its content: the same key is the same record — but its stored
            // text may have lost a mention to `forget`, which the file's copy must lose too.
            guard entry.record.id != nil else { return try blankedOriginal(entry.record, key: key) ?? .duplicate }
            guard let stored = try storedWithOtherContent(entry.record, key: key) else { return .duplicate }
            if let mentions = try blankedMentions(stored: stored.record, dropped: entry.record) { return .duplicateOfBlanked(mentions: mentions) }
            return .conflict(StoredRecordSummary(
                rowID: stored.rowID, date: stored.record.date, utcOffsetSeconds: stored.record.utcOffsetSeconds,
                employee: stored.record.employee, differences: RecordContent.differences(stored.record, entry.record)))
        }
        guard try conversationExists(key: key) else { return .unknownAmend }
        guard let stored = try storedWithOtherContent(entry.record, key: key) else { return .duplicate }
        // An amend back to the original would store the forgotten customer's name again.
        if let mentions = try blankedMentions(stored: stored.record, dropped: entry.record) { return .duplicateOfBlanked(mentions: mentions) }
        return .amended(try replace(stored, with: entry, key: key, sourceFile: sourceFile, line: line, ingestedAt: ingestedAt))
    }

    /// A duplicate without an id whose stored row `forget` blanked a mention in: read only once
    /// the suppression list is not empty (no mention is blanked before), so the normal path reads
    /// nothing more; nil for any other duplicate.
    private func blankedOriginal(_ record: ConversationRecord, key: String) throws -> IngestOutcome? {
        guard !(try forgottenCustomers().isEmpty), let stored = try conversation(key: key),
              let mentions = try blankedMentions(stored: stored.record, dropped: record) else { return nil }
        return .duplicateOfBlanked(mentions: mentions)
    }

    /// `BlankedMentions.runs`, each run an identity the suppression list holds.
    private func blankedMentions(stored: ConversationRecord, dropped: ConversationRecord) throws -> [String]? {
        let list = try forgottenCustomers()
        guard !list.isEmpty else { return nil }
        return BlankedMentions.runs(stored: stored, dropped: dropped) { list.holds(written: $0) }
    }

    /// Whether the stored content columns of `key` equal what `record` would store: the same
    /// fields as its canonical form, compared byte for byte by SQLite (`IS`, BINARY collation),
    /// so a duplicate costs one indexed lookup and decodes nothing.
    static let sameContentSQL = "SELECT " + recordColumns[1...18].enumerated().map { "\($1) IS ?\($0 + 2)" }.joined(separator: " AND ")
        + " FROM conversations WHERE " + Schema.conversationKeyMatch("?1", probe: "?20")

    /// The stored record under `key` when its content differs from `record`'s; nil when the same
    /// or not stored. The canonical form has the last word on what differs.
    private func storedWithOtherContent(_ record: ConversationRecord, key: String) throws -> StoredConversation? {
        let statement = try database.cachedStatement(Self.sameContentSQL)
        try bindContent(record, key: key, to: statement, texts: &texts)
        texts.append(Schema.keyProbe(of: key), at: 20)
        guard try statement.fetchOne(&texts, { row in row[0] as Int64 }) == 0 else { return nil }
        guard let stored = try conversation(key: key), !RecordContent.isSame(stored.record, record) else { return nil }
        return stored
    }

    /// A copy another site shipped: stored when new, replacing the stored copy when its
    /// revision is higher, ignored when equal (a duplicate) or lower (outdated), however the
    /// files arrive. Content is not compared: the site decided what its record is.
    private func ingest(shipped: ShippedCopy, _ entry: CountedRecord, key: String,
                        sourceFile: String, line: Int, ingestedAt: Int64) throws -> IngestOutcome {
        let storedRevision = try database.fetchOne(
            "SELECT coalesce(site_revision, revision) FROM conversations WHERE " + Schema.conversationKeyMatch("?1", probe: "?2"), arguments: Schema.keyArguments(key)) { row in row[0] as Int64 }
        guard let storedRevision else {
            return try insert(entry, storedKey: key, sourceFile: sourceFile, line: line, ingestedAt: ingestedAt) ? .stored : .duplicate
        }
        if shipped.revision == storedRevision { return .duplicate }
        if shipped.revision < storedRevision {
            // Late, after the revision that erased it: its line must not stay in `cur/` either.
            guard let stored = try conversation(key: key), ShippedErasure.erases(before: entry.record, after: stored.record) else { return .outdated }
            return .outdatedByErasure(Self.erasure(shipped, key: key, below: storedRevision))
        }
        guard let stored = try conversation(key: key) else { return .duplicate }
        var replaced = try replace(stored, with: entry, key: key, sourceFile: sourceFile, line: line, ingestedAt: ingestedAt)
        if ShippedErasure.erases(before: stored.record, after: entry.record) { replaced.erasure = Self.erasure(shipped, key: key, below: shipped.revision) }
        return .updated(replaced)
    }

    private static func erasure(_ shipped: ShippedCopy, key: String, below revision: Int64) -> ShippedErasure {
        var erasure = ShippedErasure()
        erasure.add(site: shipped.site, key: key, below: revision)
        return erasure
    }

    /// Asked once per record offered (the insert's duplicate guard): its statement is held and
    /// the key bound without a copy (`TextBindings`).
    func conversationExists(key: String) throws -> Bool {
        let statement = try Self.held(&existsStatement, Self.existsSQL, in: database)
        texts.removeAll()
        texts.append(key, at: 1)
        texts.append(Schema.keyProbe(of: key), at: 2)
        return try statement.fetchOne(&texts) { _ in true } ?? false
    }

    /// Whether a key is stored: one probe of `conversations_key_probe`, the full key compared.
    static let existsSQL = "SELECT 1 FROM conversations WHERE " + Schema.conversationKeyMatch("?1", probe: "?2")

    /// Rewrites the stored row in place (its row number stays) and moves its figures: the old
    /// record as it was counted leaves the aggregates, the new one enters them, and so do the
    /// order shares credited to it (the orders it touched and touches are attributed again at commit).
    private func replace(_ stored: StoredConversation, with entry: CountedRecord, key: String,
                         sourceFile: String, line: Int, ingestedAt: Int64) throws -> ReplacedRecord {
        let learned = try learnedLabels(rowID: stored.rowID)
        if let counted = try countedFigures(of: stored) { try subtractFromAggregates(counted.record, counted.priced, site: stored.site) }
        try moveShares(ofConversation: stored.rowID, sign: -1)
        let statement = try database.cachedStatement(Self.updateSQL)
        try bind(entry, key: key, sourceFile: sourceFile, line: line, ingestedAt: ingestedAt, to: statement, texts: &texts)
        try statement.bind(stored.rowID, at: Self.recordColumns.count + 1)
        try statement.run(&texts)
        try addToAggregates(entry.counted, entry.priced, sums: entry.sums, site: siteOf(entry.record))
        try moveShares(ofConversation: stored.rowID, sign: 1)
        // Its orders before and after: those it touched at its old date and those it touches now.
        for customer in [stored.record.customer, entry.record.customer] {
            try customerChanged(customer, .conversation(date: stored.record.date))
            try customerChanged(customer, .conversation(date: entry.record.date))
        }
        return ReplacedRecord(rowID: stored.rowID, document: Document(stored.record), learned: learned)
    }

    /// A stored row as the aggregates count it: its final labels and priced columns; `nil` for
    /// a row never priced (from before the ROI engine, counted only after `recompute`).
    func countedFigures(of stored: StoredConversation) throws -> (record: ConversationRecord, priced: PricedConversation)? {
        try database.fetchOne("""
            SELECT department_final, outcome_final, duration_s_effective, cost_cents, value_cents_effective, sentiment_final
            FROM conversations WHERE id = ? AND cost_cents IS NOT NULL
            """, arguments: [stored.rowID]) { row in
            var record = stored.record
            record.department = row[0]
            record.outcome = row[1]
            record.sentiment = row[5]
            let priced = PricedConversation(department: row[0], outcome: row[1], durationSeconds: row[2] as Int64? ?? 0,
                                            costCents: row[3] as Int64? ?? 0, valueCents: row[4] as Int64? ?? 0)
            return (record, priced)
        }
    }
}
