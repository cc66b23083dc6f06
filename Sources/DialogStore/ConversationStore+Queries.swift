import DialogCore

/// Reads: record round trips, audit trail, health checks.
extension ConversationStore {
    static let selectColumns = """
        id, key, external_id, date, utc_offset, employee, channel, customer, department, outcome,
        duration_s, value_cents, currency, satisfaction, sentiment, response_time_s,
        subject, text, tags, extras, source_file, source_line, ingested_at,
        department_final, department_source, department_confidence, outcome_final, outcome_source, outcome_confidence,
        sentiment_final, sentiment_source, sentiment_confidence, raw_department, raw_outcome, raw_channel,
        site, revision, site_revision
        """

    /// Conversations stored as of the last commit (not counting the open transaction's).
    public func conversationCount() throws -> Int {
        if let committedCount { return committedCount }
        let count = try database.scalar("SELECT count(*) FROM conversations", as: Int.self) ?? 0
        committedCount = count
        return count
    }

    /// The stored conversation with `key`, every field exactly as inserted.
    public func conversation(key: String) throws -> StoredConversation? {
        try database.fetchOne("SELECT \(Self.selectColumns) FROM conversations WHERE " + Schema.conversationKeyMatch("?1", probe: "?2"), arguments: Schema.keyArguments(key), Self.decodeConversation)
    }

    /// All keys in insertion order.
    public func keys() throws -> [String] {
        try database.fetchAll("SELECT key FROM conversations ORDER BY id") { row in row[0] as String }
    }

    /// The audit trail in insertion order.
    public func fileOutcomes() throws -> [FileOutcome] {
        try database.fetchAll(
            "SELECT name, bytes, stored, duplicates, rejected, disposition, reason, at FROM ingested_files ORDER BY id"
        ) { row in
            let disposition: String = row[5]
            return FileOutcome(
                name: row[0], bytes: row[1], stored: row[2], duplicates: row[3], rejected: row[4],
                disposition: FileDisposition(rawValue: disposition) ?? .quarantined, reason: row[6], at: row[7])
        }
    }

    /// `PRAGMA quick_check`: "ok", or the problems found, one per line.
    public func quickCheck() throws -> String {
        try Self.check(database, pragma: "quick_check")
    }

    /// `PRAGMA integrity_check` (slower; also verifies indexes against tables).
    public func integrityCheck() throws -> String {
        try Self.check(database, pragma: "integrity_check")
    }

    /// `PRAGMA integrity_check` on a read-only connection of its own, for a worker thread: on a
    /// large store it takes seconds, which the ingesting connection must not wait for (WAL lets
    /// the two run side by side; the check sees the last committed snapshot).
    public static func integrityCheck(path: String) throws -> String {
        let database = try Database(path: path, flags: [.readOnly, .noMutex])
        defer { try? database.close() }
        return try check(database, pragma: "integrity_check")
    }

    /// Size of the main database in bytes (pages × page size; the WAL is not counted).
    public var databaseSizeBytes: Int64 {
        get throws {
            let pages = try database.scalar("PRAGMA page_count", as: Int64.self) ?? 0
            let size = try database.scalar("PRAGMA page_size", as: Int64.self) ?? 0
            return pages * size
        }
    }

    /// Decodes a row of `selectColumns`.
    static func decodeConversation(_ row: Row) throws -> StoredConversation {
        let record = ConversationRecord(
            id: row[2], date: row[3], utcOffsetSeconds: row[4], employee: row[5], channel: row[6],
            customer: row[7], department: row[8], outcome: row[9], durationSeconds: row[10],
            valueCents: row[11], currency: row[12], satisfaction: row[13], sentiment: row[14],
            responseTimeSeconds: row[15], subject: row[16], text: row[17],
            tags: TagList.decode(row[18]), extras: try ExtrasJSON.decode(row[19]),
            rawDepartment: row[32], rawOutcome: row[33], rawChannel: row[34])
        var stored = StoredConversation(
            rowID: row[0], key: row[1], record: record, sourceFile: row[20], line: row[21], ingestedAt: row[22],
            labels: decodeLabels(row, from: 23))
        (stored.site, stored.revision, stored.siteRevision) = (row[35], row[36], row[37])
        return stored
    }

    /// Three (final, source, per-mille) column triples from `start`; a dimension without a
    /// source (a row from before v3) is absent.
    static func decodeLabels(_ row: Row, from start: Int) -> ConversationLabels {
        func label(_ i: Int) -> StoredLabel? {
            let source: String? = row[i + 1]
            guard let source, let s = LabelSource(rawValue: source) else { return nil }
            let perMille: Int? = row[i + 2]
            return StoredLabel(label: row[i], source: s, confidence: Double(perMille ?? 0) / 1000)
        }
        return ConversationLabels(department: label(start), outcome: label(start + 3), sentiment: label(start + 6))
    }
}
