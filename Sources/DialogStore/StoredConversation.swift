import DialogCore

/// A conversation as the store holds it: the record plus where and when it came in.
public struct StoredConversation: Sendable, Equatable {
    /// The store's rowid.
    public var rowID: Int64
    public var key: String
    public var record: ConversationRecord
    /// Spool file name the record came from.
    public var sourceFile: String
    /// 1-based line of the record in that file.
    public var line: Int
    /// Unix seconds of the ingest transaction.
    public var ingestedAt: Int64
    /// Final labels with source and confidence (docs/classification.md).
    public var labels: ConversationLabels
    /// The site it belongs to (`[site] id` of the daemon that first stored it).
    public var site = "local"
    /// The store's revision at its last change (the cursor of `export --after`).
    public var revision: Int64 = 0
    /// Its revision at its own site, for a copy another site shipped; nil for this site's own.
    public var siteRevision: Int64?

    public init(rowID: Int64, key: String, record: ConversationRecord, sourceFile: String, line: Int, ingestedAt: Int64,
                labels: ConversationLabels = ConversationLabels()) {
        self.labels = labels
        self.rowID = rowID
        self.key = key
        self.record = record
        self.sourceFile = sourceFile
        self.line = line
        self.ingestedAt = ingestedAt
    }
}

/// Where an ingested spool file ended up (docs/spool.md: nothing is silently dropped).
public enum FileDisposition: String, Sendable, Equatable, CaseIterable {
    case archived, quarantined
}

/// One row of the `ingested_files` audit trail.
public struct FileOutcome: Sendable, Equatable {
    public var name: String
    public var bytes: Int64
    public var stored: Int
    public var duplicates: Int
    public var rejected: Int
    public var disposition: FileDisposition
    public var reason: String?
    public var at: Int64

    public init(name: String, bytes: Int64, stored: Int, duplicates: Int, rejected: Int,
                disposition: FileDisposition, reason: String?, at: Int64) {
        self.name = name
        self.bytes = bytes
        self.stored = stored
        self.duplicates = duplicates
        self.rejected = rejected
        self.disposition = disposition
        self.reason = reason
        self.at = at
    }
}
