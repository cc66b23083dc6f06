import Foundation

/// Reads a `.jsonl` or `.csv` file in blocks of whole records (docs/spool.md "streamed formats"):
/// memory is one block plus one record, whatever the file's size. Each block is decoded and
/// parsed as the whole file would be; line numbers, the record limit and the file's encoding
/// are carried from block to block, and a `.csv` block is parsed under the file's header row.
struct StreamedRead {
    /// Bytes read per step; a block is what of them ends on a record boundary.
    static let blockBytes = 1 << 20

    let format: RecordFormat
    let settings: ParseSettings

    private var file = ParsedFile()
    /// Line of the next block's first byte, in the decoded text.
    private var line = 1
    /// File offset of the next block's first byte (for "invalid byte at byte N").
    private var offset = 0
    private var sawText = false
    private var sawMultiByte = false
    /// The first undecodable byte of a block read as Windows-1252: wrong if the file turns out to be UTF-8.
    private var windows1252Problem: RecordRejection?
    /// `.csv`: the decoded text up to and including the header row, put before every later block.
    private var csvPrefix: [UInt8]?
    private var csvPrefixLines = 0

    /// How far past `maxRecordBytes` a too-long `.jsonl` line is skipped before the file is refused.
    private var maxSkipBytes: Int { settings.maxRecordBytes * 16 }

    init(format: RecordFormat, settings: ParseSettings) {
        self.format = format
        self.settings = settings
    }

    /// Bytes a step reads at most; a smaller size makes each `step` shorter (a loop that serves
    /// clients between steps), the whole read the same.
    var stepBytes = Self.blockBytes
    // The read in progress, kept between steps.
    private var buffer: [UInt8] = []
    private var chunk: [UInt8] = []
    private var scanned = 0
    private var boundaries: RecordBoundaries?
    private var skippingLongLine = false
    private var skipped = 0
    private var atEnd = false

    /// `fill` reads up to `buffer.count` bytes into `buffer` and returns how many (0 at the end,
    /// negative on a read error). Hands each record to `each` as soon as it is built.
    /// `sizeHint` (the file's size, if known) keeps the read buffer of a small file small.
    mutating func run(sizeHint: Int, fill: (UnsafeMutableRawBufferPointer) -> Int, each: (ParsedRecord) -> Void) throws(RecordRejection) -> ParsedFile {
        while try !step(sizeHint: sizeHint, fill: fill, each: each) {}
        return try finish()
    }

    /// Reads once (at most `stepBytes`) and hands out the records that completes; true at the end.
    mutating func step(sizeHint: Int, fill: (UnsafeMutableRawBufferPointer) -> Int, each: (ParsedRecord) -> Void) throws(RecordRejection) -> Bool {
        guard !atEnd else { return true }
        if chunk.isEmpty {
            chunk = [UInt8](repeating: 0, count: sizeHint >= stepBytes ? stepBytes : max(4096, min(stepBytes, sizeHint + 1)))
        }
        let n = chunk.withUnsafeMutableBytes { fill($0) }
        guard n >= 0 else { throw RecordRejection(expected: "a file that can be read to its end") }
        buffer.append(contentsOf: chunk[..<n])
        atEnd = n == 0
        if skippingLongLine {
            // The rest of a `.jsonl` line that was already rejected as too long.
            guard let lf = buffer.firstIndex(of: 0x0A) else {
                offset += buffer.count
                skipped += buffer.count
                buffer.removeAll(keepingCapacity: true)
                // A line that does not end (a sparse file of NULs) would be read to the end on
                // the loop: past this bound the file is refused instead.
                if skipped > maxSkipBytes {
                    throw RecordRejection(line: line, expected: "a line feed within \(maxSkipBytes) bytes (16 × spool.max_record_bytes)",
                                          found: "a line that goes on past \(skipped) bytes")
                }
                return atEnd
            }
            offset += lf + 1
            line += 1
            buffer.removeSubrange(...lf)
            skippingLongLine = false
            scanned = 0
        }
        if boundaries == nil {
            // The CSV delimiter is decided by the first line; wait for it (or the end).
            if format == .csv {
                guard atEnd || buffer.contains(0x0A) || buffer.count > settings.maxRecordBytes else { return atEnd }
                boundaries = RecordBoundaries(format: format, delimiter: Self.csvDelimiter(buffer), maxRecordBytes: settings.maxRecordBytes)
            } else {
                boundaries = RecordBoundaries(format: format)
            }
        }
        let from = scanned
        var end = buffer.withUnsafeBufferPointer { b in boundaries?.lastEnd(in: UnsafeBufferPointer(rebasing: b[from...])) }
            .map { $0 + from }
        scanned = buffer.count
        if let start = boundaries?.overLimitStart {
            // A `.csv` row over the limit: where it ends cannot be trusted, so the file is refused.
            let before = buffer.prefix(max(0, start - offset))
            line += before.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
            try tooLong([])
        }
        if atEnd { end = buffer.isEmpty ? nil : buffer.count }
        if let end {
            try blockSplittingLongLines(buffer[..<end], each: each)
            buffer.removeSubrange(..<end)
            scanned = buffer.count
        } else if !atEnd, buffer.count > settings.maxRecordBytes {
            try tooLong(Array(buffer.prefix(200)))
            offset += buffer.count
            buffer.removeAll(keepingCapacity: true)
            scanned = 0
            skippingLongLine = true
            skipped = 0
        }
        return atEnd
    }

    /// The file's totals once `step` returned true; throws when the file as a whole is refused.
    mutating func finish() throws(RecordRejection) -> ParsedFile {
        if skippingLongLine {
            line += 1
            skippingLongLine = false
        }
        guard sawText else {
            throw RecordRejection(expected: "a non-empty file", found: offset == 0 ? "an empty file" : "only whitespace")
        }
        if let windows1252Problem, sawMultiByte { throw windows1252Problem }
        return file
    }

    /// `.jsonl`: a line longer than `maxRecordBytes` inside a block is rejected on its own, and
    /// the lines around it are parsed as blocks of their own.
    private mutating func blockSplittingLongLines(_ raw: ArraySlice<UInt8>, each: (ParsedRecord) -> Void) throws(RecordRejection) {
        guard format == .jsonl else { return try block(Array(raw), each: each) }
        var start = raw.startIndex
        var lineStart = start
        var i = raw.startIndex
        while i <= raw.endIndex {
            guard i == raw.endIndex || raw[i] == 0x0A else { i += 1; continue }
            if i - lineStart > settings.maxRecordBytes {
                if lineStart > start { try block(Array(raw[start..<lineStart]), each: each) }
                try tooLong(Array(raw[lineStart..<(lineStart + 200)]))
                offset += min(i + 1, raw.endIndex) - lineStart
                line += 1
                start = min(i + 1, raw.endIndex)
            }
            lineStart = i + 1
            i += 1
        }
        if start < raw.endIndex { try block(Array(raw[start...]), each: each) }
    }

    /// A record longer than `maxRecordBytes`: a `.jsonl` line is rejected on its own, a `.csv`
    /// row refuses the file (where it ends cannot be trusted).
    private mutating func tooLong(_ start: [UInt8]) throws(RecordRejection) {
        let rejection = RecordRejection(
            line: line, expected: "a record of at most \(settings.maxRecordBytes) bytes (spool.max_record_bytes)",
            found: "<a longer \(format == .csv ? "row" : "line")>")
        guard format == .jsonl else { throw rejection }
        try countRecord(at: line)
        file.rejects.append(RejectedRecord(rejection: rejection, raw: String(decoding: start, as: UTF8.self)))
    }

    private func countRecord(at line: Int) throws(RecordRejection) {
        if file.recordCount + file.rejects.count >= settings.maxRecordsPerFile {
            throw RecordRejection(line: line, expected: "at most \(settings.maxRecordsPerFile) records in one file")
        }
    }

    /// Decodes and parses one block of whole records.
    private mutating func block(_ raw: [UInt8], each: (ParsedRecord) -> Void) throws(RecordRejection) {
        let blockOffset = offset
        offset += raw.count
        if raw.allSatisfy(TextDecoding.isSpace) {
            line += raw.withUnsafeBufferPointer { TextDecoding.lineOf(offset: $0.count, in: $0) } - 1
            return
        }
        sawText = true
        try checkEncoding(raw, at: blockOffset)
        let decoded: DecodedText
        // CSV keeps its line ends: bytes inside quotes stay as written, and CSVParser ends rows
        // at LF, CRLF or CR itself.
        do { decoded = try TextDecoding.decode(raw, foldingLineEnds: format != .csv) } catch { throw shifted(error) }
        for warning in decoded.warnings where !file.warnings.contains(warning) { file.warnings.append(warning) }
        var text = decoded.bytes
        var lineShift = line - 1
        if format == .csv {
            if let csvPrefix {
                text = csvPrefix + text
                lineShift -= csvPrefixLines
            } else {
                (csvPrefix, csvPrefixLines) = Self.csvHeader(text)
            }
        }
        var limited = settings
        let before = file.recordCount + file.rejects.count
        limited.maxRecordsPerFile = settings.maxRecordsPerFile - before
        let parsed: Result<ParsedFile, RecordRejection> = text.withUnsafeBufferPointer { b in
            Result { () throws(RecordRejection) -> ParsedFile in
                let emit: (ParsedRecord) -> Void = { record in
                    var record = record
                    record.line += lineShift
                    record.warnings = record.warnings.map { Self.shiftingLine($0, by: lineShift) }
                    each(record)
                }
                return format == .csv
                    ? try CSVRecordParser.parse(b, settings: limited, emit: emit)
                    : try JSONRecordParser.parseJSONLines(b, settings: limited, emit: emit)
            }
        }
        switch parsed {
        case .success(let part):
            file.recordCount += part.recordCount
            for var reject in part.rejects {
                reject.rejection.line = reject.rejection.line.map { $0 + lineShift }
                file.rejects.append(reject)
            }
            file.rejects.count(omitted: part.rejects.omitted)
        case .failure(var error):
            if let blockLine = error.line {
                error.line = blockLine + lineShift
                // CSV names the line a quote opened on in the text, too.
                error.expected = error.expected.replacingOccurrences(of: "starts on line \(blockLine)", with: "starts on line \(blockLine + lineShift)")
            }
            if error.expected == "at most \(limited.maxRecordsPerFile) records in one file" {
                error.expected = "at most \(settings.maxRecordsPerFile) records in one file"
            }
            throw error
        }
        line += decoded.bytes.withUnsafeBufferPointer { TextDecoding.lineOf(offset: $0.count, in: $0) } - 1
    }

    /// The whole-file rules of `TextDecoding` across blocks: a NUL or a broken sequence in a file
    /// that is UTF-8 elsewhere refuses it, with the byte's place in the file, not in the block.
    private mutating func checkEncoding(_ raw: [UInt8], at blockOffset: Int) throws(RecordRejection) {
        let bom = blockOffset == 0 && raw.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let lineBase = line
        let problem: RecordRejection? = raw.withUnsafeBufferPointer { all in
            let body = UnsafeBufferPointer(rebasing: all[bom...])
            let scan = TextDecoding.scanUTF8(body)
            if let nul = scan.nulOffset {
                return RecordRejection(
                    line: lineBase - 1 + TextDecoding.lineOf(offset: nul, in: body),
                    expected: "a text file (found a NUL byte at byte \(blockOffset + bom + nul + 1); binary data?)")
            }
            guard let bad = scan.invalidOffset else {
                if body.contains(where: { $0 >= 0x80 }) { sawMultiByte = true }
                return nil
            }
            let end = min(body.count, bad + 4)
            let rejection = RecordRejection(
                line: lineBase - 1 + TextDecoding.lineOf(offset: bad, in: body),
                expected: "valid UTF-8 (invalid byte sequence at byte \(blockOffset + bom + bad + 1))",
                found: "<\(body[bad..<end].map { "0x" + TextDecoding.hex($0) }.joined(separator: " "))>")
            if scan.invalidIsTruncatedEnd || sawMultiByte || TextDecoding.containsValidMultiByte(body) { return rejection }
            if windows1252Problem == nil { windows1252Problem = rejection }
            return nil
        }
        if let problem { throw problem }
        if let windows1252Problem, sawMultiByte { throw windows1252Problem }
    }

    private func shifted(_ error: RecordRejection) -> RecordRejection {
        var error = error
        error.line = error.line.map { $0 + line - 1 }
        return error
    }

    /// A record warning's leading `line N: ` counted in the file, not in the block.
    static func shiftingLine(_ warning: String, by shift: Int) -> String {
        guard shift != 0, warning.hasPrefix("line ") else { return warning }
        let digits = warning.dropFirst(5).prefix { $0.isASCII && $0.isNumber }
        guard let n = Int(digits), warning.dropFirst(5 + digits.count).hasPrefix(": ") else { return warning }
        return "line \(n + shift)" + warning.dropFirst(5 + digits.count)
    }

    /// The delimiter `CSVParser` picks from the first line of the file (its BOM skipped).
    static func csvDelimiter(_ raw: [UInt8]) -> UInt8 {
        let body = raw.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(raw.dropFirst(3)) : raw
        return body.withUnsafeBufferPointer { b in
            var csv = CSVParser(b)
            csv.detectDelimiter()
            return csv.delimiter
        }
    }

    /// The decoded text up to the end of the header row (with an LF), and how many lines it spans.
    static func csvHeader(_ text: [UInt8]) -> ([UInt8]?, Int) {
        text.withUnsafeBufferPointer { b in
            var csv = CSVParser(b)
            csv.detectDelimiter()
            while let row = try? csv.nextRow() {
                guard CSVParser.isBlank(row) else {
                    let prefix = Array(b[..<row.end]) + [0x0A]
                    return (prefix, prefix.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 })
                }
            }
            return (nil, 0)
        }
    }
}
