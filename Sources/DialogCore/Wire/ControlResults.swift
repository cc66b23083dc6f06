/// The `result` of each command (docs/protocol.md). Keys go over the wire in snake_case, as
/// each type's `CodingKeys` spells them (`WireCoding`).
/// Dates are Unix seconds; money is integer cents with its ISO 4217 currency.

public struct StatusResult: Codable, Sendable, Equatable {
    public var version: String
    public var pid: Int32
    public var uptimeSeconds: Int64
    public var spoolDir: String
    /// Files per spool area that still need something to happen: tmp, new, quarantine.
    public var backlog: [String: Int]
    /// Files queued for the next batch.
    public var waiting: Int
    public var conversations: Int
    public var recordsStored: Int
    public var recordsDuplicate: Int
    public var recordsRejected: Int
    /// Records refused because their id is stored with other content (docs/spool.md).
    public var recordsConflicting: Int
    /// Stored records replaced by an amend.
    public var recordsAmended: Int
    /// Shipped copies that replaced an older copy; shipped copies older than the stored one,
    /// ignored (docs/spool.md "Many sites"). Absent from daemons before issue 19.
    public var recordsUpdated: Int?
    public var recordsOutdated: Int?
    /// `[site] id`, and the store's newest revision (the cursor after everything).
    public var site: String?
    public var revision: Int64?
    public var filesArchived: Int
    public var filesQuarantined: Int
    public var batches: Int
    public var lastBatchFiles: Int
    public var lastBatchMs: Int64
    public var lastError: String?
    public var databasePath: String
    public var databaseSizeBytes: Int64
    public var connections: Int
    /// Stored ROI figures were built with other rates than the current config (`recompute` fixes it).
    public var valuationStale: Bool
    /// A write failed (disk full, read-only, I/O error) and no new files are taken until a
    /// retry succeeds; `lastError` says why.
    public var ingestPaused: Bool
    /// Orders stored, order rows already stored with the same content, and stored orders
    /// replaced by an amend, since start (docs/spool.md "Orders"); never in `records_*`.
    /// Absent from daemons before they counted orders.
    public var ordersStored: Int?
    public var orderDuplicates: Int?
    public var ordersAmended: Int?
    /// Credit notes stored before their order that name an order of another customer, and
    /// credit notes (with those before them) taking back more than their order, since start
    /// (docs/roi.md "Credit notes"): each was warned about in the log.
    public var creditNotesMismatched: Int?
    public var creditNotesExceeding: Int?
    /// Stored order shares were made with another `[attribution]` than the config's — the
    /// pyramid's `order_revenue.stale`, from the same test (`recompute` makes them current).
    public var attributionStale: Bool?

    public init(version: String, pid: Int32, uptimeSeconds: Int64, spoolDir: String, backlog: [String: Int], waiting: Int,
                conversations: Int, recordsStored: Int, recordsDuplicate: Int, recordsRejected: Int, filesArchived: Int,
                filesQuarantined: Int, batches: Int, lastBatchFiles: Int, lastBatchMs: Int64, lastError: String?,
                databasePath: String, databaseSizeBytes: Int64, connections: Int, valuationStale: Bool = false, ingestPaused: Bool = false,
                recordsConflicting: Int = 0, recordsAmended: Int = 0) {
        self.version = version; self.pid = pid; self.uptimeSeconds = uptimeSeconds; self.spoolDir = spoolDir
        self.backlog = backlog; self.waiting = waiting; self.conversations = conversations
        self.recordsStored = recordsStored; self.recordsDuplicate = recordsDuplicate; self.recordsRejected = recordsRejected
        self.filesArchived = filesArchived; self.filesQuarantined = filesQuarantined; self.batches = batches
        self.lastBatchFiles = lastBatchFiles; self.lastBatchMs = lastBatchMs; self.lastError = lastError
        self.databasePath = databasePath; self.databaseSizeBytes = databaseSizeBytes; self.connections = connections
        self.valuationStale = valuationStale
        self.ingestPaused = ingestPaused
        self.recordsConflicting = recordsConflicting; self.recordsAmended = recordsAmended
    }

    enum CodingKeys: String, CodingKey {
        case version, pid, uptimeSeconds = "uptime_seconds", spoolDir = "spool_dir", backlog, waiting, conversations
        case recordsStored = "records_stored", recordsDuplicate = "records_duplicate"
        case recordsRejected = "records_rejected", recordsConflicting = "records_conflicting"
        case recordsAmended = "records_amended", filesArchived = "files_archived"
        case filesQuarantined = "files_quarantined", batches, lastBatchFiles = "last_batch_files"
        case lastBatchMs = "last_batch_ms", lastError = "last_error", databasePath = "database_path"
        case databaseSizeBytes = "database_size_bytes", connections, valuationStale = "valuation_stale"
        case ingestPaused = "ingest_paused", recordsUpdated = "records_updated", recordsOutdated = "records_outdated"
        case site, revision, ordersStored = "orders_stored", orderDuplicates = "order_duplicates"
        case ordersAmended = "orders_amended", attributionStale = "attribution_stale"
        case creditNotesMismatched = "credit_notes_mismatched", creditNotesExceeding = "credit_notes_exceeding"
    }
}

/// One row of `list`.
public struct ConversationSummary: Codable, Sendable, Equatable {
    public var id: Int64
    public var key: String
    public var date: Int64
    public var utcOffset: Int32
    public var employee: String
    public var channel: String
    public var department: String?
    public var outcome: String?
    public var durationS: Int64?
    public var valueCents: Int64?
    public var currency: String?
    public var subject: String?
    /// Final labels with source and confidence (issue 5); `department`/`outcome` above are
    /// what the record logged.
    public var labels: ConversationLabels?
    /// What the ROI figures count (`list`, `show`; `export` rows carry these keys at their own
    /// level): labels after classification and review (`unassigned`/`unclassified` for none),
    /// and, absent while unpriced, the time, cost, value and net in cents.
    public var departmentCounted: String?
    public var outcomeCounted: String?
    public var channelCounted: String?
    public var durationSCounted: Int64?
    public var costCents: Int64?
    public var valueCentsCounted: Int64?
    public var netCents: Int64?
    /// Department, outcome and channel as written where that is not their label (an alias, or
    /// a value in no vocabulary: then `department`/`outcome` are null, `channel` is `unknown`).
    public var rawDepartment: String?
    public var rawOutcome: String?
    public var rawChannel: String?
    /// The site it belongs to; `revision` is its last change in this store (the cursor of
    /// `export --after`), `site_revision` its revision at its own site when another site shipped it.
    public var site: String?
    public var revision: Int64?
    public var siteRevision: Int64?
    /// Order revenue credited to this conversation as a touch (`[attribution]`, all orders);
    /// absent when it touched no order.
    public var attributedCents: Int64?
    /// `list`: the thread of an e-mail (its extra `thread`, the first Message-ID of its
    /// References), what `list --thread` selects by; absent for other records.
    public var thread: String?

    public init(id: Int64, key: String, date: Int64, utcOffset: Int32, employee: String, channel: String, department: String?,
                outcome: String?, durationS: Int64?, valueCents: Int64?, currency: String?, subject: String?,
                labels: ConversationLabels? = nil) {
        self.id = id; self.key = key; self.date = date; self.utcOffset = utcOffset; self.employee = employee
        self.channel = channel; self.department = department; self.outcome = outcome; self.durationS = durationS
        self.valueCents = valueCents; self.currency = currency; self.subject = subject; self.labels = labels
    }

    enum CodingKeys: String, CodingKey {
        case id, key, date, utcOffset = "utc_offset", employee, channel, department, outcome, durationS = "duration_s"
        case valueCents = "value_cents", currency, subject, labels, departmentCounted = "department_counted"
        case outcomeCounted = "outcome_counted", channelCounted = "channel_counted"
        case durationSCounted = "duration_s_counted", costCents = "cost_cents"
        case valueCentsCounted = "value_cents_counted", netCents = "net_cents", rawDepartment = "raw_department"
        case rawOutcome = "raw_outcome", rawChannel = "raw_channel", site, revision, siteRevision = "site_revision"
        case attributedCents = "attributed_cents", thread
    }
}

public struct ListResult: Codable, Sendable, Equatable {
    public var conversations: [ConversationSummary]
    /// Whether more rows matched than `limit` allowed.
    public var truncated: Bool
    /// `[display] language`, for formatting the values.
    public var language: DisplayLanguage?
    /// `[privacy] employee_figures` (`off`: every `employee` is `hidden`, so a table leaves the column out).
    public var employeeFigures: String?
    /// `[records] currency`, of the counted figures (a row's own `currency` is absent when it wrote no value).
    public var currency: String?
    /// `list --order`: the order whose shares the rows' `attributed_cents` are.
    public var order: ListedOrder?

    public init(conversations: [ConversationSummary], truncated: Bool, language: DisplayLanguage? = nil, employeeFigures: String? = nil,
                currency: String? = nil) {
        self.currency = currency
        self.conversations = conversations
        self.truncated = truncated
        self.language = language
        self.employeeFigures = employeeFigures
    }

    enum CodingKeys: String, CodingKey {
        case conversations, truncated, language, employeeFigures = "employee_figures", currency, order
    }
}

/// A field the record carried that dialogd does not know (a pair, not a map, so names stay verbatim).
public struct ExtraField: Codable, Sendable, Equatable {
    public var name: String
    public var value: String
    public init(name: String, value: String) { self.name = name; self.value = value }
}

/// `show`: everything stored about one conversation.
public struct ConversationDetail: Codable, Sendable, Equatable {
    public var summary: ConversationSummary
    public var externalId: String?
    public var customer: String?
    public var satisfaction: Int?
    public var sentiment: String?
    public var responseTimeS: Int64?
    public var text: String?
    public var tags: [String]
    public var extras: [ExtraField]
    public var sourceFile: String
    public var sourceLine: Int
    public var ingestedAt: Int64
    /// `[display] language`, for formatting the values.
    public var language: DisplayLanguage?
    /// `[privacy] employee_figures` and `[records] currency`, as in `list`.
    public var employeeFigures: String?
    public var currency: String?

    public init(summary: ConversationSummary, externalId: String?, customer: String?, satisfaction: Int?, sentiment: String?,
                responseTimeS: Int64?, text: String?, tags: [String], extras: [ExtraField], sourceFile: String,
                sourceLine: Int, ingestedAt: Int64) {
        self.summary = summary; self.externalId = externalId; self.customer = customer; self.satisfaction = satisfaction
        self.sentiment = sentiment; self.responseTimeS = responseTimeS; self.text = text; self.tags = tags
        self.extras = extras; self.sourceFile = sourceFile; self.sourceLine = sourceLine; self.ingestedAt = ingestedAt
    }

    enum CodingKeys: String, CodingKey {
        case summary, externalId = "external_id", customer, satisfaction, sentiment, responseTimeS = "response_time_s"
        case text, tags, extras, sourceFile = "source_file", sourceLine = "source_line", ingestedAt = "ingested_at"
        case language, employeeFigures = "employee_figures", currency
    }
}

/// One entry of `quarantine`: a refused file (`kind` "file", retryable) or the rejected
/// records of an otherwise stored file (`kind` "rejects", a `.rejects.jsonl`).
public struct QuarantineEntry: Codable, Sendable, Equatable {
    public var name: String
    public var kind: String
    public var bytes: Int64
    public var modified: Int64
    public var reason: String?

    public init(name: String, kind: String, bytes: Int64, modified: Int64, reason: String?) {
        self.name = name; self.kind = kind; self.bytes = bytes; self.modified = modified; self.reason = reason
    }
}

public struct QuarantineResult: Codable, Sendable, Equatable {
    public var entries: [QuarantineEntry]
    /// Entries past the first `limit` by name, not listed (absent when none).
    public var omitted: Int?
    public init(entries: [QuarantineEntry], omitted: Int? = nil) {
        self.entries = entries
        self.omitted = omitted
    }
}

/// `retry`: the quarantined name and the name it got in `new/`.
public struct RetryResult: Codable, Sendable, Equatable {
    public var name: String
    public var queuedAs: String
    public init(name: String, queuedAs: String) { self.name = name; self.queuedAs = queuedAs }

    enum CodingKeys: String, CodingKey {
        case name, queuedAs = "queued_as"
    }
}

/// `ping`: the loop is alive and answers its socket; nothing else is read or written.
public struct PingResult: Codable, Sendable, Equatable {
    public var pong: Bool
    public init(pong: Bool) { self.pong = pong }
}

public struct ReloadResult: Codable, Sendable, Equatable {
    public var reloaded: Bool
    public init(reloaded: Bool) { self.reloaded = reloaded }
}

/// `metrics`: the Prometheus text exposition (format 0.0.4) as one string.
public struct MetricsResult: Codable, Sendable, Equatable {
    public var text: String
    public init(text: String) { self.text = text }
}

public struct BackupResult: Codable, Sendable, Equatable {
    public var path: String
    public var pages: Int
    public var bytes: Int64
    public var milliseconds: Int64
    public init(path: String, pages: Int, bytes: Int64, milliseconds: Int64) {
        self.path = path; self.pages = pages; self.bytes = bytes; self.milliseconds = milliseconds
    }
}

/// `check`: `integrity` is "ok" or the problems, one per line.
public struct CheckResult: Codable, Sendable, Equatable {
    public var healthy: Bool
    public var integrity: String
    public init(healthy: Bool, integrity: String) { self.healthy = healthy; self.integrity = integrity }
}

/// `forget`: what was removed of one customer (docs/protocol.md).
public struct ForgetResult: Codable, Sendable, Equatable {
    public var conversations: Int
    public var orders: Int
    /// Conversations whose subject, text or extra fields were removed.
    public var texts: Int
    /// Spool files deleted (`cur/NAME`, `quarantine/NAME`).
    public var files: [String]
    /// Files rewritten in place: the customer's records removed, other customers' records kept
    /// with each mention blanked (`[forgotten]`); absent from a daemon before it.
    public var rewritten: [String]?
    /// The random label the records now count under; absent when no stored conversation or
    /// order was that customer's (nothing found: a typo, or forgotten before).
    public var anonymousLabel: String?
    /// Stored records of others (conversations, orders, ingest log entries) whose text named the
    /// identity and now says `[forgotten]`; absent from a daemon before it, or given a pseudonym only.
    public var mentionsRemoved: Int?
    /// Kept files whose name held the identity, by their new name (`[forgotten].conv`): deleted
    /// and rewritten files are listed with it blanked too. Absent from a daemon before it.
    public var renamed: [String]?

    enum CodingKeys: String, CodingKey {
        case conversations, orders, texts, files, rewritten, renamed
        case anonymousLabel = "anonymous_label"
        case mentionsRemoved = "mentions_removed"
    }

    public init(conversations: Int, orders: Int, texts: Int, files: [String], rewritten: [String]? = nil, anonymousLabel: String?,
                mentionsRemoved: Int? = nil, renamed: [String]? = nil) {
        self.conversations = conversations; self.orders = orders; self.texts = texts; self.files = files; self.rewritten = rewritten
        self.anonymousLabel = anonymousLabel; self.mentionsRemoved = mentionsRemoved; self.renamed = renamed
    }
}
