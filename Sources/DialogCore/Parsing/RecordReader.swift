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
        let decoded = try TextDecoding.decode(bytes)
        let settings = self.settings
        // Record warnings join the file's; a long file's are summed up after the first few.
        var notes: [String] = []
        var noteCount = 0
        let result: Result<ParsedFile, RecordRejection> = Self.parse(decoded.bytes, format: format, settings: settings) { record in
            for note in record.warnings {
                noteCount += 1
                if notes.count < Self.maxRecordWarnings { notes.append(note) }
            }
            each(record)
        }
        var file = try result.get()
        if file.recordCount == 0 {
            guard let first = file.rejects.first else {
                throw RecordRejection(expected: "at least one record")
            }
            if file.rejects.count == 1 { throw first.rejection }
            var all = first.rejection
            all.expected += " (all \(file.rejects.count) records were refused; this was the first)"
            throw all
        }
        if noteCount > notes.count { notes.append("\(noteCount) warnings in all; the first \(notes.count) are above") }
        if !decoded.warnings.isEmpty || !notes.isEmpty { file.warnings = decoded.warnings + file.warnings + notes }
        return file
    }

    private static func parse(_ bytes: [UInt8], format: RecordFormat, settings: ParseSettings,
                              each: (ParsedRecord) -> Void) -> Result<ParsedFile, RecordRejection> {
        bytes.withUnsafeBufferPointer { b in
            Result { () throws(RecordRejection) -> ParsedFile in
                switch format {
                case .conv:
                    each(try ConvParser.parseRecord(b, settings: settings))
                    return ParsedFile(recordCount: 1)
                case .json: return try JSONRecordParser.parseJSON(b, settings: settings, emit: each)
                case .jsonl: return try JSONRecordParser.parseJSONLines(b, settings: settings, emit: each)
                case .csv: return try CSVRecordParser.parse(b, settings: settings, emit: each)
                }
            }
        }
    }

    /// Record warnings a file lists one by one before it only counts them.
    static let maxRecordWarnings = 10
}
