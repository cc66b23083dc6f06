/// Why one record (or a whole file) was refused: where, which field, what was expected.
///
/// The message is written for the employee who dropped the file, so it names the line
/// and field and quotes what was found, e.g.
/// `line 3: field "duration": expected a duration like 25m, 1h30m or 90, found "-5m"`.
public struct RecordRejection: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based line in the file where the record starts; `nil` when it is the whole file.
    public var line: Int?
    /// The canonical field name (or the header as written) at fault, if one field is.
    public var field: String?
    /// What would have been accepted.
    public var expected: String
    /// What was found, already shortened for display (at most ~60 characters).
    public var found: String?
    /// What the store knows and what to do about it (a conflict names the stored record).
    public var detail: String?

    public init(line: Int? = nil, field: String? = nil, expected: String, found: String? = nil, detail: String? = nil) {
        self.line = line
        self.field = field
        self.expected = expected
        self.found = found.map(RecordRejection.shorten)
        self.detail = detail
    }

    public var description: String {
        var parts: [String] = []
        if let line { parts.append("line \(line)") }
        if let field { parts.append("field \"\(field)\"") }
        var text = parts.joined(separator: ": ")
        if !text.isEmpty { text += ": " }
        text += "expected \(expected)"
        if let found { text += ", found \(found)" }
        if let detail { text += "; " + detail }
        return text
    }

    /// Quotes and cuts a found value so a reason line stays readable and bounded.
    static func shorten(_ raw: String) -> String {
        // `<…>` marks a description made by the parser (e.g. `<3 fields>`); anything else, even a value
        // that itself starts with a quote, is quoted and cut so the reason stays bounded.
        if raw.hasPrefix("<") && raw.hasSuffix(">") && raw.unicodeScalars.count <= 80 { return raw }
        var cut = String(raw.unicodeScalars.prefix(60).map { $0.properties.isWhitespace && $0 != " " ? " " : Character($0) })
        if raw.unicodeScalars.count > 60 { cut += "…" }
        return "\"" + cut + "\""
    }
}

/// A record that parsed, with the line it started on (1 for single-record files).
public struct ParsedRecord: Sendable, Equatable {
    public var line: Int
    public var record: ConversationRecord
    /// The record's raw text (a JSONL line, a CSV row), for a reject file if later stages refuse it.
    public var raw: String?
    /// Non-fatal notes about this record (the reader adds them to the file's `warnings`).
    public var warnings: [String]
    /// Set when the record is an order (docs/spool.md "Orders"); then `record` only carries its
    /// date and customer, and it must not be stored or counted as a conversation.
    public var order: OrderRecord?
    public init(line: Int, record: ConversationRecord, raw: String? = nil, warnings: [String] = [], order: OrderRecord? = nil) {
        self.line = line
        self.record = record
        self.warnings = warnings
        self.raw = raw
        self.order = order
    }
}

/// A record of a multi-record file that was refused, with its raw text for `NAME.rejects.jsonl`.
public struct RejectedRecord: Sendable, Equatable {
    public var rejection: RecordRejection
    public var raw: String
    public init(rejection: RecordRejection, raw: String) {
        self.rejection = rejection
        self.raw = raw
    }
}

/// Everything a file yielded. A file with no valid record at all is a file rejection instead.
/// When records are streamed to a closure, `records` stays empty and `recordCount` counts them.
public struct ParsedFile: Sendable, Equatable {
    public var records: [ParsedRecord]
    public var recordCount: Int
    public var rejects: RejectList
    /// Non-fatal notes, e.g. "not valid UTF-8; read as Windows-1252".
    public var warnings: [String]
    public init(records: [ParsedRecord] = [], recordCount: Int? = nil, rejects: [RejectedRecord] = [], warnings: [String] = []) {
        self.records = records
        self.recordCount = recordCount ?? records.count
        self.rejects = RejectList(rejects)
        self.warnings = warnings
    }
}

/// The rejected records of one file: every one is counted, the first `keptLimit` are kept (raw
/// text cut at `rawLimit` bytes), so a million bad lines cost a counter, not a million strings.
public struct RejectList: Sendable, Equatable, Sequence {
    public static let keptLimit = 1000
    public static let rawLimit = 4096
    /// Ends a raw row cut at `rawLimit` (`forget` then reads the row whole from the file's copy).
    public static let cutMark = "…"

    /// The first `keptLimit` rejects, in file order.
    public private(set) var kept: [RejectedRecord] = []
    /// Every reject, kept or not.
    public private(set) var count = 0

    public init(_ rejects: [RejectedRecord] = []) {
        for reject in rejects { append(reject) }
    }

    public var isEmpty: Bool { count == 0 }
    public var first: RejectedRecord? { kept.first }
    /// Rejects counted but not kept.
    public var omitted: Int { count - kept.count }
    public subscript(index: Int) -> RejectedRecord { kept[index] }
    public func makeIterator() -> IndexingIterator<[RejectedRecord]> { kept.makeIterator() }

    public mutating func append(_ reject: RejectedRecord) {
        count += 1
        guard kept.count < Self.keptLimit else { return }
        var reject = reject
        if reject.raw.utf8.count > Self.rawLimit {
            var cut = ""
            var bytes = 0
            for scalar in reject.raw.unicodeScalars {
                bytes += UTF8.width(scalar)
                if bytes > Self.rawLimit { break }
                cut.unicodeScalars.append(scalar)
            }
            reject.raw = cut + Self.cutMark
        }
        kept.append(reject)
    }

    /// Counts `n` rejects that another list counted without keeping them.
    public mutating func count(omitted n: Int) {
        count += n
    }
}
