import CSQLite
import DialogCore

/// The SQLite-backed store of conversations, the ingest audit trail and metadata.
///
/// This connection ingests, so it runs WAL with `synchronous=FULL`: a spool file may leave
/// `new/` only after a commit that cannot roll back on power loss (docs/spool.md, docs/design.md).
/// One owner at a time (not `Sendable`); the daemon keeps it on its loop.
public final class ConversationStore {
    public let path: String
    /// The underlying connection, for other store parts (aggregates) that must write
    /// in the same transaction as the records.
    public let database: Database
    private var insertStatement: Statement?
    private var fileOutcomeStatement: Statement?
    var existsStatement: Statement?
    /// The texts of the record being written, in storage reused from record to record (`TextBindings`).
    var texts = TextBindings()
    /// Whether `meta` holds a key alias `forget` left (nil: not looked yet; `isForgottenKeyAlias`).
    var keyAliasesPresent: Bool?
    /// Aggregate changes of the open `transaction`, written just before it commits.
    var pendingAggregates = AggregateBuffer()
    /// True inside `transaction`: aggregates are buffered, not written per record.
    var defersAggregates = false
    /// Rows in `conversations` as of the last commit: counted once, then kept in step with
    /// commits, because `status` and `metrics` ask on every request and count(*) is O(rows).
    var committedCount: Int?
    /// Rows inserted by the open transaction; added to `committedCount` when it commits.
    var uncommittedInserts = 0
    /// Bounds the buffer's memory (a few hundred bytes a bucket row) for files of a million records.
    var maxBufferedBuckets = 20_000
    /// The bounds inside an open transaction (a large file over loop turns), so its memory does
    /// not grow with the file and a flush, which runs inside one slice of the loop, stays short:
    /// 4,096 hour rows (a quarter's export still merges well), or ~4 MiB when names are long.
    var maxOpenBufferedBuckets = 4_096
    static let maxOpenBufferedBytes = 4 << 20
    /// True between `beginOpenTransaction` and its end: the buffer keeps to `maxOpenBufferedBuckets`.
    var inOpenTransaction = false
    /// An open transaction ended and its WAL waits for `checkpointAfterLargeTransaction`.
    public internal(set) var checkpointDue = false
    /// The WAL's size when `syncOpenTransactionWAL` last synced it.
    var walSyncedBytes: Int64 = 0
    /// The valuation the stored figures are to be kept under (docs/roi.md), set by `adopt` from
    /// the config at start and on reload: its fingerprint tells stale figures (`valuationIsStale`)
    /// and its config serves the readers. The store never prices with it; the pipeline
    /// (`RecordLabeler`) does and hands the store `CountedRecord`s.
    public internal(set) var valuation = Valuation()
    /// The site whose records keep plain keys (`meta` `home_site`, the site the store was
    /// first opened for): other sites' keys are `site:NAME/…` (`SiteKey`).
    public private(set) var homeSite = "local"
    /// The site of the records this daemon stores as its own (`[site] id`).
    public var site = "local"
    /// Whether shipped copies are labelled and priced here (`[site] shipped_figures = recomputed`)
    /// instead of counting the figures their site exported: the pipeline counts them so, and
    /// `recompute` prices them again.
    public var recomputesShippedFigures = false
    /// The revision of the open transaction's changes, once one was taken (`nextRevision`).
    var openRevision: Int64?
    /// How orders are credited to their touches (docs/roi.md "Orders and attribution"); set from
    /// the config like `valuation`, then `recompute` re-attributes what is stored.
    public var attribution = AttributionConfig()
    /// Customers whose orders or conversations changed in the open transaction, with what
    /// changed: the orders that can move are attributed again just before it commits (`flushAttribution`).
    var attributionDirty: [String: AttributionScope] = [:]
    /// Orders the marks of the open transaction queue for attribution (an upper bound), until they
    /// are attributed: a batch stops taking files past `maxQueuedAttributions` (issue 12, attack 5).
    public internal(set) var attributionQueued = 0
    /// Orders attributed again since the last `takeAttributedCount` (the batch log line says it).
    var attributedInTransaction = 0
    /// The orders a batch or a slice may queue for attribution before it commits: 0.25–0.75 s of
    /// attribution in a release build (2 shared cores, load 5; 100 touches an order), whatever the files.
    public static let maxQueuedAttributions = 1000
    /// The credit notes' audit (`status`, `metrics`) with the connection's change count it was
    /// read at: a client asking again and again reads the store once per write, not per request.
    var creditNoteCountsCache: (changes: Int, counts: (mismatched: Int, exceeding: Int))?
    /// Employee pseudonyms of this connection's readers, computed once per employee (issue 17).
    public let pseudonyms = PseudonymCache()
    /// The customers `forget` erased (`forgotten_customers`), read once (`forgottenCustomers()`).
    var forgottenCache: ForgottenCustomers?
    /// `isForgotten` answers by stored customer: one hash per customer, not per record (issue 17).
    var forgottenAnswers: [String: Bool] = [:]

    static let busyTimeoutMilliseconds: Int32 = 5000
    /// SQLite's page cache, in KiB. 16 MiB filled as the store grew and left four large streams
    /// 0.5 MiB under the 64 MiB promise (issue 12, attack 8); 4 MiB took 4 × 100,000 records from
    /// 61.6 to 47.4 MiB VmHWM (release) at the same `dialogbench jsonl` throughput (docs/spool.md).
    static let pageCacheKiB = 4096
    /// Pages in the WAL before a commit checkpoints it (4 KiB pages: 32 MiB).
    static let autocheckpointPages = 8192
    /// What a WAL is truncated to when SQLite resets it (`journal_size_limit`): a flood never
    /// reaches it, a large file's transaction does not leave its size on the store's disk.
    static let walSizeLimitBytes = 64 << 20

    /// Opens or creates the database at `path` (its directory must exist), checks it and
    /// brings its schema up to date. Throws `DatabaseError` for a database that is corrupt,
    /// not a database, written by a newer dialogd, or that refuses WAL. `site` (`[site] id`)
    /// becomes the home site of a store that has none yet (new, or from before v6); nil
    /// keeps the stored home site (`local` when none).
    public init(path: String, site: String? = nil) throws {
        self.path = path
        do {
            database = try Database(path: path, flags: [.readWrite, .create, .noMutex], busyTimeoutMilliseconds: Self.busyTimeoutMilliseconds)
            // Read-only checks first: never write to a file we are about to refuse.
            try Schema.migrator.checkNotNewer(database)
            let check = try Self.check(database, pragma: "quick_check")
            guard check == "ok" else {
                throw DatabaseError(resultCode: SQLITE_CORRUPT, message: "quick_check failed: \(check)", sql: "PRAGMA quick_check")
            }
            let mode = try database.scalar("PRAGMA journal_mode = WAL", as: String.self) ?? ""
            guard mode.lowercased() == "wal" else {
                throw DatabaseError(resultCode: SQLITE_ERROR, message: "journal_mode=WAL was refused (mode is \"\(mode)\")", sql: "PRAGMA journal_mode = WAL")
            }
            // The page cache (`pageCacheKiB`) is most of the memory that grows with the store; the
            // pages it cannot hold come from the OS's cache by pread. A 32 MiB
            // WAL between checkpoints (default 4 MiB) halves the fsync-heavy checkpoints. SQLite
            // reuses a WAL without shrinking it; past twice that, the first commit after a
            // checkpoint truncates it (a large file's transaction grows it to its own size).
            try database.execute("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = \(Self.busyTimeoutMilliseconds); PRAGMA cache_size = -\(Self.pageCacheKiB)")
            try database.execute("PRAGMA wal_autocheckpoint = \(Self.autocheckpointPages); PRAGMA journal_size_limit = \(Self.walSizeLimitBytes)")
            // Freed bytes are zeroed on every change, not only in `forget`: a relabel or an amend
            // that moves a row leaves its old copy in the page otherwise, which a later `forget`
            // cannot reach (docs/roi.md "Erasure"). Inserts free nothing; rewrites of share and
            // aggregate rows zero the space they free (docs/benchmarks.md "Erasure").
            try database.execute("PRAGMA secure_delete = ON")
            // The home site first: v6 stamps it on the rows it finds.
            let hasMeta = try database.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'meta'", as: Int.self) ?? 0 > 0
            if hasMeta, try meta(Schema.homeSiteMetaKey) == nil { try setMeta(Schema.homeSiteMetaKey, site ?? "local") }
            try Schema.migrator.migrate(database)
            if try meta(Schema.homeSiteMetaKey) == nil { try setMeta(Schema.homeSiteMetaKey, site ?? "local") }
            homeSite = try meta(Schema.homeSiteMetaKey) ?? "local"
            self.site = site ?? homeSite
        } catch let error as DatabaseError {
            // Name the file in every failure, once.
            let message = error.message.contains(path) ? error.message : "opening \(path): \(error.message)"
            throw DatabaseError(resultCode: error.resultCode, message: message, sql: error.sql)
        }
    }

    /// A read-only connection to the existing store at `path`, for reads on a worker thread
    /// (the control socket's long requests): it never migrates or writes, and WAL lets it
    /// read beside the ingesting connection.
    public init(readingOnly path: String) throws {
        self.path = path
        database = try Database(path: path, flags: [.readOnly, .noMutex], busyTimeoutMilliseconds: 5000)
        homeSite = (try? meta(Schema.homeSiteMetaKey)).flatMap { $0 } ?? "local"
        site = homeSite
    }

    /// Closes the connection now, failing loudly if a statement is still alive.
    public func close() throws {
        insertStatement = nil
        existsStatement = nil
        fileOutcomeStatement = nil
        try database.close()
    }

    /// Runs `body` in one BEGIN IMMEDIATE transaction: commits on return, rolls back on throw.
    /// Nested calls throw (`DatabaseError`, SQLITE_MISUSE): the outermost call is the unit
    /// of durability the spool relies on. Use `savepoint` (not `database.savepoint`) for
    /// partial undo inside, so buffered aggregates are undone with the rows.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        uncommittedInserts = 0
        attributedInTransaction = 0
        defer { uncommittedInserts = 0; openRevision = nil }
        let result: T
        do {
            result = try database.transaction(.immediate) {
                defersAggregates = true
                defer {
                    defersAggregates = false
                    pendingAggregates = AggregateBuffer()
                    attributionDirty = [:]
                    attributionQueued = 0
                }
                let result = try body()
                try flushAttribution()
                try flushAggregates()
                return result
            }
        } catch {
            // Failures are rare; count anew rather than reason about what SQLite undid.
            committedCount = nil
            throw error
        }
        committedCount? += uncommittedInserts
        return result
    }

    /// The orders attributed again since the last call (a batch's or a slice's), for its log line.
    public func takeAttributedCount() -> Int {
        defer { attributedInTransaction = 0 }
        return attributedInTransaction
    }

    /// Runs `body` in a savepoint; when it throws, its inserts and their buffered aggregate
    /// changes are both undone.
    public func savepoint<T>(_ name: String = "dialogd", _ body: () throws -> T) throws -> T {
        let saved = (pendingAggregates, uncommittedInserts, openRevision, attributionDirty, attributionQueued)
        do {
            return try database.savepoint(name, body)
        } catch {
            // A revision taken inside was undone with `meta`: take it again next time. An early
            // attribution inside was undone too: its customers are marked again.
            (pendingAggregates, uncommittedInserts, openRevision, attributionDirty, attributionQueued) = saved
            // SQLite may have ended the whole transaction (SQLITE_FULL, …): count anew.
            if !database.isInTransaction { committedCount = nil }
            throw error
        }
    }

    /// The columns a record is written to, in bind order: `insertSQL` adds a row, `updateSQL`
    /// (an amend) rewrites one with the same binds.
    static let recordColumns = [
        "key", "external_id", "date", "utc_offset", "employee", "channel", "customer", "department", "outcome",
        "duration_s", "value_cents", "currency", "satisfaction", "sentiment", "response_time_s",
        "subject", "text", "tags", "extras", "source_file", "source_line", "ingested_at",
        "department_final", "outcome_final", "duration_s_effective", "cost_cents", "value_cents_effective",
        "department_source", "department_confidence", "outcome_source", "outcome_confidence",
        "sentiment_final", "sentiment_source", "sentiment_confidence", "raw_department", "raw_outcome", "raw_channel",
        "site", "revision", "site_revision",
    ]

    static let insertSQL = "INSERT INTO conversations (" + recordColumns.joined(separator: ", ") + ") VALUES ("
        + recordColumns.map { _ in "?" }.joined(separator: ", ") + ")"

    /// Rewrites row `?(recordColumns.count + 1)` with a record's columns, binds as `insertSQL`; the key (?1) stays, so
    /// its index is not touched.
    static let updateSQL = "UPDATE conversations SET " + recordColumns.enumerated().dropFirst().map { "\($1) = ?\($0 + 1)" }.joined(separator: ", ")
        + " WHERE id = ?\(recordColumns.count + 1) AND key = ?1"

    /// Stores a counted record under `key` and adds it to the hourly aggregates in the same
    /// transaction; returns `false` (and changes nothing) when the key is already stored — the
    /// exactly-once guard. The spool's ingest goes through `ingest`, which tells a duplicate from a conflict.
    /// `key` is the record's key at its site (`RecordKey.make`); stored qualified by `SiteKey`.
    public func insert(_ entry: CountedRecord, key: String, sourceFile: String, line: Int, ingestedAt: Int64) throws -> Bool {
        try insert(entry, storedKey: storedKey(entry.record, key), sourceFile: sourceFile, line: line, ingestedAt: ingestedAt)
    }

    /// The site a record belongs to: its shipped copy's, else this daemon's.
    func siteOf(_ record: ConversationRecord) -> String { record.shipped?.site ?? site }

    /// The key `record` is stored under: its site's key (the shipped one when given) qualified by its site.
    func storedKey(_ record: ConversationRecord, _ key: String) -> String {
        SiteKey.qualified(record.shipped?.key ?? key, site: siteOf(record), home: homeSite)
    }

    /// A statement run once per record, held in `slot` from its first use: no cache lookup by
    /// its SQL text on the insert path.
    static func held(_ slot: inout Statement?, _ sql: String, in database: Database) throws -> Statement {
        if let slot { return slot }
        let statement = try database.prepare(sql, persistent: true)
        slot = statement
        return statement
    }

    /// The key is looked up first (v10: its index is not unique): this connection is the one
    /// writer, and the lookup and the insert share a transaction — the caller's, or a savepoint.
    func insert(_ entry: CountedRecord, storedKey key: String, sourceFile: String, line: Int, ingestedAt: Int64) throws -> Bool {
        guard database.isInTransaction else {
            return try savepoint { try insert(entry, storedKey: key, sourceFile: sourceFile, line: line, ingestedAt: ingestedAt) }
        }
        if try conversationExists(key: key) || isForgottenKeyAlias(key, order: false) { return false }
        let statement = try Self.held(&insertStatement, Self.insertSQL, in: database)
        try bind(entry, key: key, sourceFile: sourceFile, line: line, ingestedAt: ingestedAt, to: statement, texts: &texts)
        try statement.run(&texts)
        guard database.changes == 1 else { return false }
        try addToAggregates(entry.counted, entry.priced, sums: entry.sums, site: siteOf(entry.record))
        try customerChanged(entry.record.customer, .conversation(date: entry.record.date))
        if defersAggregates { uncommittedInserts += 1 } else { committedCount? += 1 }
        return true
    }

    /// Binds `recordColumns` (1…40) for a counted record: numbers at once, texts gathered in
    /// `texts` (`Statement.run` binds them without copies).
    func bind(_ entry: CountedRecord, key: String, sourceFile: String, line: Int, ingestedAt: Int64, to statement: Statement,
              texts: inout TextBindings) throws {
        let revision = try nextRevision()
        try bindContent(entry.record, key: key, to: statement, texts: &texts)
        texts.append(sourceFile, at: 20)
        try statement.bind(line, at: 21)
        try statement.bind(ingestedAt, at: 22)
        texts.append(entry.priced.department, at: 23)
        texts.append(entry.priced.outcome, at: 24)
        try statement.bind(entry.priced.durationSeconds, at: 25)
        try statement.bind(entry.priced.costCents, at: 26)
        try statement.bind(entry.priced.valueCents, at: 27)
        var column = 28
        for dimension in [Dimension.department, .outcome] {
            texts.append(entry.labels[dimension]?.source.rawValue, at: column)
            try statement.bind(entry.labels[dimension]?.perMille, at: column + 1)
            column += 2
        }
        texts.append(entry.counted.sentiment, at: 32)
        texts.append(entry.labels.sentiment?.source.rawValue, at: 33)
        try statement.bind(entry.labels.sentiment?.perMille, at: 34)
        // Not content (a conflict compares the label, not its spelling), but rewritten by an amend.
        texts.append(entry.record.rawDepartment, at: 35)
        texts.append(entry.record.rawOutcome, at: 36)
        texts.append(entry.record.rawChannel, at: 37)
        texts.append(siteOf(entry.record), at: 38)
        try statement.bind(revision, at: 39)
        try statement.bind(entry.record.shipped?.revision, at: 40)
    }

    /// Binds the key (1) and the content columns (2…19: the record as the writer gave it).
    /// Starts `texts` afresh: a bind that threw before its run left texts of another record there.
    func bindContent(_ record: ConversationRecord, key: String, to statement: Statement, texts: inout TextBindings) throws {
        texts.removeAll()
        texts.append(key, at: 1)
        texts.append(record.id, at: 2)
        try statement.bind(record.date, at: 3)
        try statement.bind(record.utcOffsetSeconds, at: 4)
        texts.append(record.employee, at: 5)
        texts.append(record.channel, at: 6)
        texts.append(record.customer, at: 7)
        texts.append(record.department, at: 8)
        texts.append(record.outcome, at: 9)
        try statement.bind(record.durationSeconds, at: 10)
        try statement.bind(record.valueCents, at: 11)
        texts.append(record.currency, at: 12)
        try statement.bind(record.satisfaction, at: 13)
        texts.append(record.sentiment, at: 14)
        try statement.bind(record.responseTimeSeconds, at: 15)
        texts.append(record.subject, at: 16)
        texts.append(record.text, at: 17)
        texts.append(TagList.encode(record.tags), at: 18)
        texts.append(ExtrasJSON.encode(record.extras), at: 19)
    }

    static let revisionMetaKey = "revision"

    /// The revision for a change: one per transaction (`meta` `revision` + 1, written in it), so
    /// a reader sees all of a revision's rows or none, and `export --after N` misses nothing.
    func nextRevision() throws -> Int64 {
        if let openRevision { return openRevision }
        let next = (Int64(try meta(Self.revisionMetaKey) ?? "0") ?? 0) + 1
        try setMeta(Self.revisionMetaKey, String(next))
        if defersAggregates { openRevision = next }
        return next
    }

    /// The newest revision committed (0 for a store without changes): the cursor after everything.
    public func currentRevision() throws -> Int64 {
        Int64(try meta(Self.revisionMetaKey) ?? "0") ?? 0
    }

    /// Appends one row to the `ingested_files` audit trail.
    public func recordFileOutcome(
        name: String, bytes: Int64, stored: Int, duplicates: Int, rejected: Int,
        disposition: FileDisposition, reason: String?, at: Int64
    ) throws {
        // Once per file in a flood of small files: held and bound by type, not through the cache
        // and an array of existentials (≈ 6,500 of its 16,000 instructions, issue 17).
        let statement = try Self.held(&fileOutcomeStatement, Self.fileOutcomeSQL, in: database)
        defer { statement.clearBindings() }
        try statement.bind(name, at: 1)
        try statement.bind(bytes, at: 2)
        try statement.bind(stored, at: 3)
        try statement.bind(duplicates, at: 4)
        try statement.bind(rejected, at: 5)
        try statement.bind(disposition.rawValue, at: 6)
        try statement.bind(reason, at: 7)  // nil binds NULL
        try statement.bind(at, at: 8)
        try statement.execute()
    }

    static let fileOutcomeSQL = """
        INSERT INTO ingested_files (name, bytes, stored, duplicates, rejected, disposition, reason, at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// Sets a `meta` value (schema-independent settings such as the config fingerprint).
    public func setMeta(_ key: String, _ value: String?) throws {
        try database.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            arguments: [key, value])
    }

    public func meta(_ key: String) throws -> String? {
        try database.fetchOne("SELECT value FROM meta WHERE key = ?", arguments: [key]) { row in row[0] as String? } ?? nil
    }

    /// The rows of an integrity pragma joined by newlines: "ok" when healthy.
    static func check(_ database: Database, pragma: String) throws -> String {
        let rows = try database.fetchAll("PRAGMA \(pragma)") { row in row[0] as String }
        return rows.joined(separator: "\n")
    }
}
