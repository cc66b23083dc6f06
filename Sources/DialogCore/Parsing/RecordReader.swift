/// Turns the bytes of one spool file into validated records (docs/spool.md). The format is decided
/// here, once, from the file name (`format(of:)`); the daemon asks before it reads a byte.
public struct RecordReader: Sendable {
    public let settings: ParseSettings

    public init(settings: ParseSettings) {
        self.settings = settings
    }

    /// This reader for one file owned by `uid`: its records without an employee are that
    /// account's roster employee (docs/spool.md "The roster").
    public func forFile(ownedBy uid: UInt32) -> RecordReader {
        var settings = settings
        settings.fileOwnerUID = uid
        return RecordReader(settings: settings)
    }

    /// The file's format, or the rejection for a name dialogd does not read.
    public func format(of fileName: String) throws(RecordRejection) -> RecordFormat {
        guard let format = RecordFormat(fileName: fileName) else {
            throw RecordRejection(expected: "a known extension: .conv, .txt, .json, .jsonl, .ndjson, .csv, .eml or .mbox", found: fileName)
        }
        return format
    }

    /// This reader for the file `fileName`: an orders file (`NAME.orders.csv`) reads every
    /// record as an order (docs/spool.md "Orders"); reasons may name the file.
    public func reading(_ fileName: String) -> RecordReader {
        var settings = settings
        settings.ordersFile = OrderFields.isOrdersFile(fileName)
        settings.fileName = fileName
        return RecordReader(settings: settings)
    }

    /// Parses a whole file and collects its records. Throws when the file as a whole is
    /// unusable (unknown extension, empty, undecodable, broken structure, no valid record);
    /// per-record problems of multi-record files come back in `ParsedFile.rejects`.
    public func read(_ bytes: [UInt8], fileName: String) throws(RecordRejection) -> ParsedFile {
        var records: [ParsedRecord] = []
        var file = try reading(fileName).read(bytes, format: format(of: fileName)) { records.append($0) }
        file.records = records
        return file
    }

    /// Parses a whole file, handing each valid record to `each` as soon as it is built, so a
    /// large multi-record file never holds all its records in memory at once. `each` may see
    /// records of a file that is rejected as a whole afterwards (e.g. a JSON array broken at
    /// its end); the caller must discard them then, as a rolled-back transaction does.
    public func read(_ bytes: [UInt8], fileName: String, each: (ParsedRecord) -> Void) throws(RecordRejection) -> ParsedFile {
        try reading(fileName).read(bytes, format: format(of: fileName), each: each)
    }

    /// As `read(_:fileName:each:)`, for a format already decided.
    public func read(_ bytes: [UInt8], format: RecordFormat, each: (ParsedRecord) -> Void) throws(RecordRejection) -> ParsedFile {
        if format.isStreamed {
            var position = 0
            return try readStreamed(format, sizeHint: bytes.count, fill: { buffer in
                let n = min(buffer.count, bytes.count - position)
                if n > 0 {
                    bytes.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[position..<(position + n)])) }
                }
                position += n
                return n
            }, each: each)
        }
        if format == .eml {
            // Mail carries its own charsets: its bytes go to the MIME decoder as they are.
            let record = try MailRecordParser.parseRecord(bytes[...], line: 1, settings: settings)
            var notes = RecordNotes()
            notes.add(record)
            each(record)
            return try checked(ParsedFile(recordCount: 1), notes: notes)
        }
        let decoded = try TextDecoding.decode(bytes, foldingLineEnds: format != .csv)
        var notes = RecordNotes()
        let result: Result<ParsedFile, RecordRejection> = Self.parse(decoded.bytes, format: format, settings: settings) { record in
            notes.add(record)
            each(record)
        }
        var file = try result.get()
        if !decoded.warnings.isEmpty { file.warnings = decoded.warnings + file.warnings }
        return try checked(file, notes: notes)
    }

    /// Reads a `.jsonl`, `.csv`, `.mbox` or `.json` array file record by record from `fill` (which reads up to
    /// `buffer.count` bytes and returns how many, 0 at the end, negative on an error), so memory
    /// stays one block plus one record (`settings.maxRecordBytes`) however large the file is.
    /// `sizeHint` is the file's size if known (it sizes the read buffer of a small file).
    public func readStreamed(_ format: RecordFormat, sizeHint: Int = .max, fill: (UnsafeMutableRawBufferPointer) -> Int,
                             each: (ParsedRecord) -> Void) throws(RecordRejection) -> ParsedFile {
        var notes = RecordNotes()
        let collect: (ParsedRecord) -> Void = { record in
            notes.add(record)
            each(record)
        }
        if format == .mbox {
            var mbox = MboxRead(settings: settings)
            let file = try mbox.run(sizeHint: sizeHint, fill: fill, each: collect)
            return try checked(file, notes: notes)
        }
        var stream = StreamedRead(format: format, settings: settings)
        let file = try stream.run(sizeHint: sizeHint, fill: fill, each: collect)
        return try checked(file, notes: notes)
    }

    /// A `.jsonl`, `.csv`, `.mbox` or `.json` array read in steps of at most `stepBytes`, for a caller that does other
    /// work between steps (the daemon's loop serving clients while a large file is stored).
    public func streamedRecords(_ format: RecordFormat, sizeHint: Int = .max, stepBytes: Int) -> StreamedRecords {
        if format == .mbox {
            var mbox = MboxRead(settings: settings)
            mbox.stepBytes = max(4096, stepBytes)
            return StreamedRecords(reader: self, stream: .mail(mbox), sizeHint: sizeHint)
        }
        var stream = StreamedRead(format: format, settings: settings)
        stream.stepBytes = max(4096, stepBytes)
        return StreamedRecords(reader: self, stream: .records(stream), sizeHint: sizeHint)
    }

    /// A file without a single valid record is refused as a whole; otherwise its records'
    /// warnings join the file's.
    func checked(_ file: ParsedFile, notes: RecordNotes) throws(RecordRejection) -> ParsedFile {
        guard file.recordCount == 0 else {
            var file = file
            file.warnings += notes.summary
            return file
        }
        guard let first = file.rejects.first else {
            throw RecordRejection(expected: "at least one record")
        }
        if file.rejects.count == 1 { throw first.rejection }
        var all = first.rejection
        all.expected += " (all \(file.rejects.count) records were refused; this was the first)"
        throw all
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
                case .eml, .mbox: throw RecordRejection(expected: "mail read by MailRecordParser or MboxRead")
                }
            }
        }
    }

    /// Record warnings a file lists one by one before it only counts them.
    static let maxRecordWarnings = 10
}

/// Record warnings join the file's; a long file's are summed up after the first few.
struct RecordNotes {
    private var notes: [String] = []
    private var count = 0

    mutating func add(_ record: ParsedRecord) {
        for note in record.warnings {
            count += 1
            if notes.count < RecordReader.maxRecordWarnings { notes.append(note) }
        }
    }

    var summary: [String] {
        count > notes.count ? notes + ["\(count) warnings in all; the first \(notes.count) are above"] : notes
    }
}

/// One streamed file read step by step (`RecordReader.streamedRecords`): the same records,
/// rejects and refusals as `readStreamed`, handed out one read at a time.
public struct StreamedRecords {
    /// A `.jsonl`/`.csv` reader, or an `.mbox` one (issue 15): the same steps.
    enum Stream {
        case records(StreamedRead)
        case mail(MboxRead)
        /// Held while a step runs, so the reader taken out owns its buffers (no copy on write).
        case taken
    }

    let reader: RecordReader
    var stream: Stream
    let sizeHint: Int
    private var notes = RecordNotes()

    init(reader: RecordReader, stream: Stream, sizeHint: Int) {
        self.reader = reader
        self.stream = stream
        self.sizeHint = sizeHint
    }

    /// Reads once from `fill` and hands the records that completes to `each`; true at the end,
    /// when `finish` gives the file's totals.
    public mutating func step(fill: (UnsafeMutableRawBufferPointer) -> Int, each: (ParsedRecord) -> Void) throws(RecordRejection) -> Bool {
        var notes = self.notes
        defer { self.notes = notes }
        let collect: (ParsedRecord) -> Void = { record in
            notes.add(record)
            each(record)
        }
        switch stream {
        case .records(var s):
            stream = .taken
            defer { stream = .records(s) }
            return try s.step(sizeHint: sizeHint, fill: fill, each: collect)
        case .mail(var m):
            stream = .taken
            defer { stream = .mail(m) }
            return try m.step(sizeHint: sizeHint, fill: fill, each: collect)
        case .taken:
            throw RecordRejection(expected: "a streamed read that is not already running")
        }
    }

    /// Bytes the reader holds between steps (for the tests of its bounds).
    var bufferedBytes: Int {
        switch stream {
        case .records(let s): return s.bufferedBytes
        case .mail(let m): return m.bufferedBytes
        case .taken: return 0
        }
    }

    /// The file's rejects and warnings; throws when the file as a whole is refused.
    public mutating func finish() throws(RecordRejection) -> ParsedFile {
        switch stream {
        case .records(var s):
            stream = .taken
            defer { stream = .records(s) }
            return try reader.checked(try s.finish(), notes: notes)
        case .mail(var m):
            stream = .taken
            defer { stream = .mail(m) }
            return try reader.checked(try m.finish(), notes: notes)
        case .taken:
            throw RecordRejection(expected: "a streamed read that is not already running")
        }
    }
}
