/// Turns the bytes of one spool file into validated records (DESIGN §3).
public struct RecordReader: Sendable {
    public let settings: ParseSettings

    public init(settings: ParseSettings) {
        self.settings = settings
    }

    /// Parses a whole file and collects its records. Throws when the file as a whole is
    /// unusable (unknown extension, empty, undecodable, broken structure, no valid record);
    /// per-record problems of multi-record files come back in `ParsedFile.rejects`.
    public func read(_ bytes: [UInt8], fileName: String) throws(RecordRejection) -> ParsedFile {
        var records: [ParsedRecord] = []
        var file = try read(bytes, fileName: fileName) { records.append($0) }
        file.records = records
        return file
    }

    /// Parses a whole file, handing each valid record to `each` as soon as it is built, so a
    /// large multi-record file never holds all its records in memory at once. `each` may see
    /// records of a file that is rejected as a whole afterwards (e.g. a JSON array broken at
    /// its end); the caller must discard them then, as a rolled-back transaction does.
    public func read(_ bytes: [UInt8], fileName: String, each: (ParsedRecord) -> Void) throws(RecordRejection) -> ParsedFile {
        guard let format = RecordFormat(fileName: fileName) else {
            throw RecordRejection(expected: "a file name ending in .conv, .txt, .json, .jsonl, .ndjson or .csv", found: fileName)
        }
        let decoded = try TextDecoding.decode(bytes, foldingLineEnds: format != .csv)
        let settings = self.settings
        var warnings = RecordWarnings()
        func emit(_ record: ParsedRecord) {
            if !record.warnings.isEmpty { warnings.add(record.warnings) }
            each(record)
        }
        let result: Result<ParsedFile, RecordRejection> = decoded.bytes.withUnsafeBufferPointer { b in
            Result { () throws(RecordRejection) -> ParsedFile in
                switch format {
                case .conv:
                    emit(try ConvParser.parse(b, settings: settings))
                    return ParsedFile(recordCount: 1)
                case .json: return try JSONRecordParser.parseJSON(b, settings: settings, emit: emit)
                case .jsonl: return try JSONRecordParser.parseJSONLines(b, settings: settings, emit: emit)
                case .csv: return try CSVRecordParser.parse(b, settings: settings, emit: emit)
                }
            }
        }
        var file = try result.get()
        file.warnings = warnings.lines
        if file.recordCount == 0 {
            guard let first = file.rejects.first else {
                throw RecordRejection(expected: "at least one record")
            }
            if file.rejects.count == 1 { throw first.rejection }
            var all = first.rejection
            all.expected += " (all \(file.rejects.count) records were refused; this was the first)"
            throw all
        }
        if !decoded.warnings.isEmpty { file.warnings = decoded.warnings + file.warnings }
        return file
    }
}

/// The records' warnings of one file, bounded: a file of a million records with a wrong weekday
/// logs the first few and a count, not a million lines.
struct RecordWarnings {
    static let limit = 10
    private var first: [String] = []
    private var more = 0

    mutating func add(_ warnings: [String]) {
        for warning in warnings {
            if first.count < Self.limit { first.append(warning) } else { more += 1 }
        }
    }

    var lines: [String] { more > 0 ? first + ["… and \(more) more record warning(s)"] : first }
}
