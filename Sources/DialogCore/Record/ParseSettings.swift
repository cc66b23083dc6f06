import Foundation

/// What record parsing needs from the configuration; built once per config load.
public struct ParseSettings: Sendable {
    /// Zone for dates written without an offset (`YYYY-MM-DD HH:MM`).
    public var timeZone: TimeZone
    /// The one currency money is kept in (ISO 4217); a value in another currency is refused.
    public var currency: String
    /// Channel spelling → canonical channel (`x` → `twitter`), keys lowercased.
    public var channelAliases: [String: String]
    /// The configured labels departments, outcomes and channels are mapped to (issue 18);
    /// nil keeps the written values (lowercased, channels through `channelAliases`).
    public var vocabulary: LabelVocabulary?
    /// Reference "now" (Unix seconds) for the plausibility window of dates.
    public var now: Int64
    /// Dates older than this many days before `now` are refused as implausible.
    public var maxPastDays: Int
    /// Dates further than this many days after `now` are refused as implausible.
    public var maxFutureDays: Int
    /// Largest accepted absolute value, in cents.
    public var maxValueCents: Int64
    /// Largest accepted duration or response time, in seconds.
    public var maxDurationSeconds: Int64
    /// Most header lines a `.conv` file may have.
    public var maxHeaders: Int
    /// Deepest JSON nesting accepted (records are flat; tags one level down).
    public var maxJSONDepth: Int
    /// Most records one multi-record file may hold.
    public var maxRecordsPerFile: Int
    /// Longest accepted single field value, in bytes (the transcript is bounded by file size).
    public var maxFieldBytes: Int
    /// Longest record (a line of `.jsonl`, a row of `.csv`) of a streamed format, in bytes:
    /// those files are read record by record, so this bounds memory, not the file's size.
    public var maxRecordBytes: Int
    /// Every record is an order, without a `type` field (`NAME.orders.csv`, `RecordReader.reading(_:)`).
    public var ordersFile = false
    /// Who is an employee (`[roster] path`): mail finds its employee here, and a record without
    /// a department takes its employee's.
    public var roster: Roster?
    /// The Unix account that owns the file being read: a record without an employee is that
    /// account's roster employee. Set per file by the daemon.
    public var fileOwnerUID: UInt32?
    /// The name of the file being read, so a reason can say which file to drop again. Set per file.
    public var fileName: String?

    public init(
        timeZone: TimeZone = TimeZone(identifier: "Europe/Berlin") ?? .gmt,
        currency: String = "EUR",
        channelAliases: [String: String] = ParseSettings.defaultChannelAliases,
        vocabulary: LabelVocabulary? = nil,
        now: Int64 = Int64(Date().timeIntervalSince1970),
        maxPastDays: Int = 3650,
        maxFutureDays: Int = 2,
        maxValueCents: Int64 = 100_000_000_00,
        maxDurationSeconds: Int64 = 7 * 24 * 3600,
        maxHeaders: Int = 100,
        maxJSONDepth: Int = 8,
        maxRecordsPerFile: Int = 1_000_000,
        maxFieldBytes: Int = 64 * 1024,
        maxRecordBytes: Int = 1024 * 1024,
        roster: Roster? = nil
    ) {
        self.timeZone = timeZone
        self.currency = currency
        self.channelAliases = channelAliases
        self.vocabulary = vocabulary
        self.now = now
        self.maxPastDays = maxPastDays
        self.maxFutureDays = maxFutureDays
        self.maxValueCents = maxValueCents
        self.maxDurationSeconds = maxDurationSeconds
        self.maxHeaders = maxHeaders
        self.maxJSONDepth = maxJSONDepth
        self.maxRecordsPerFile = maxRecordsPerFile
        self.maxFieldBytes = maxFieldBytes
        self.maxRecordBytes = maxRecordBytes
        self.roster = roster
    }

    public static let defaultChannelAliases: [String: String] = [
        "x": "twitter", "tweet": "twitter", "mail": "email", "e-mail": "email",
        "telefon": "phone", "anruf": "phone", "call": "phone", "fb": "facebook",
        "insta": "instagram", "ig": "instagram", "li": "linkedin", "whatsapp": "whatsapp",
        "live-chat": "chat", "livechat": "chat",
    ]
}
