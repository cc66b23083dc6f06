import Foundation

/// Reads a `.jsonl`, `.csv` or large `.json` array in blocks of whole records (docs/spool.md "streamed formats")
/// with the one stepping loop of every streamed format (`SteppedRead`): memory is one block plus
/// one record, whatever the file's size.
typealias StreamedRead = SteppedRead<LineRecords>

extension SteppedRead where Cutter == LineRecords {
    init(format: RecordFormat, settings: ParseSettings) {
        self.init(cutter: LineRecords(format: format, settings: settings))
    }
}

/// `.jsonl` lines, `.csv` rows and the elements of a `.json` array for `SteppedRead`. Each block
/// is decoded and parsed as the whole file would be; line numbers, the record limit and the
/// file's encoding are carried from block to block, a `.csv` block is parsed under the file's
/// header row and a `.json` block from where the array's syntax stood (`JSONArrayState`).
struct LineRecords: RecordCutter {
    let format: RecordFormat
    let settings: ParseSettings
    var maxRecordBytes: Int { settings.maxRecordBytes }

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
    private var boundaries: RecordBoundaries?
    /// `.json`: where the array's elements end, and where its syntax stands between blocks.
    private var elements = JSONArrayBoundaries()
    private var arrayState = JSONArrayState.beforeOpen

    init(format: RecordFormat, settings: ParseSettings) {
        self.format = format
        self.settings = settings
    }

    mutating func cut(_ buffer: [UInt8], from: Int) throws(RecordRejection) -> (end: Int?, scanned: Int) {
        if format == .json { return (elements.lastEnd(in: buffer, from: from), buffer.count) }
        var from = from
        if boundaries == nil {
            // The CSV delimiter is decided by the first line; wait for it (a whole file without
            // one is read at its end).
            if format == .csv {
                guard buffer[from...].contains(0x0A) || buffer.count > settings.maxRecordBytes else { return (nil, buffer.count) }
                boundaries = RecordBoundaries(format: format, delimiter: Self.csvDelimiter(buffer), maxRecordBytes: settings.maxRecordBytes)
                from = 0
            } else {
                boundaries = RecordBoundaries(format: format)
            }
        }
        let end = buffer.withUnsafeBufferPointer { b in boundaries?.lastEnd(in: UnsafeBufferPointer(rebasing: b[from...])) }
            .map { $0 + from }
        if let start = boundaries?.overLimitStart {
            // A `.csv` row over the limit: where it ends cannot be trusted, so the file is refused.
            let before = buffer.prefix(max(0, start - offset))
            line += before.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
            try tooLong([])
        }
        return (end, buffer.count)
    }

    mutating func records(_ raw: ArraySlice<UInt8>, each: (ParsedRecord) -> Void) throws(RecordRejection) {
        try blockSplittingLongLines(raw, each: each)
    }

    mutating func overLimit(_ start: ArraySlice<UInt8>) throws(RecordRejection) {
        try tooLong(Array(start))
    }

    /// The rest of a `.jsonl` line already rejected as too long ends at its line feed; of a
    /// `.json` element, at the `,` or `]` after it.
    func resumption(in buffer: [UInt8]) -> SkipResumption {
        if format == .json { return elements.elementEnd(in: buffer).map { .at($0) } ?? .notYet(keeping: 0) }
        return buffer.firstIndex(of: 0x0A).map { .at($0 + 1) } ?? .notYet(keeping: 0)
    }

    mutating func skipped(_ bytes: ArraySlice<UInt8>, last: Bool) {
        offset += bytes.count
        guard format == .json else {
            if last { line += 1 }
            return
        }
        line += bytes.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
        elements.skip(bytes)
        if last { arrayState = .afterValue }
    }

    func endless(skipped: Int, limit: Int) -> RecordRejection {
        guard format == .json else {
            return RecordRejection(line: line, expected: "a line feed within \(limit) bytes (16 × spool.max_record_bytes)",
                                   found: "a line that goes on past \(skipped) bytes")
        }
        return RecordRejection(line: line, expected: "the end of an array element within \(limit) bytes (16 × spool.max_record_bytes)",
                               found: "an element that goes on past \(skipped) bytes")
    }

    mutating func finish(bytesRead: Int) throws(RecordRejection) -> ParsedFile {
        guard sawText else {
            throw RecordRejection(expected: "a non-empty file", found: bytesRead == 0 ? "an empty file" : "only whitespace")
        }
        if let windows1252Problem, sawMultiByte { throw windows1252Problem }
        if format == .json, let broken = JSONRecordParser.arrayEnd(arrayState, line: line) { throw broken }
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

    /// A record longer than `maxRecordBytes`: a `.jsonl` line or `.json` element is rejected on
    /// its own, a `.csv` row refuses the file (where it ends cannot be trusted).
    private mutating func tooLong(_ start: [UInt8]) throws(RecordRejection) {
        var start = start, line = line
        if format == .json {
            // The element begins after the separator's whitespace (its lines are counted as
            // skipped), the first one after the array's `[`.
            var skip = 0
            if arrayState == .beforeOpen {
                if start.starts(with: [0xEF, 0xBB, 0xBF]) { skip = 3 }
                while skip < start.count, TextDecoding.isSpace(start[skip]) { skip += 1 }
                guard skip < start.count, start[skip] == UInt8(ascii: "[") else {
                    throw RecordRejection(line: line, expected: "a JSON object or an array of objects (JSON)")
                }
                skip += 1
            }
            while skip < start.count, TextDecoding.isSpace(start[skip]) { skip += 1 }
            line += start[..<skip].reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
            start.removeFirst(skip)
        }
        start = Array(start.prefix(200))
        let rejection = RecordRejection(
            line: line, expected: "a record of at most \(settings.maxRecordBytes) bytes (spool.max_record_bytes)",
            found: "<a longer \(format == .csv ? "row" : format == .json ? "element" : "line")>")
        guard format != .csv else { throw rejection }
        try countRecord(at: line)
        // A record too long to read is still a record: the file is not "only whitespace".
        sawText = true
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
        var arrayState = self.arrayState
        defer { self.arrayState = arrayState }
        let parsed: Result<ParsedFile, RecordRejection> = text.withUnsafeBufferPointer { b in
            Result { () throws(RecordRejection) -> ParsedFile in
                let emit: (ParsedRecord) -> Void = { record in
                    var record = record
                    record.line += lineShift
                    record.warnings = record.warnings.map { Self.shiftingLine($0, by: lineShift) }
                    each(record)
                }
                switch format {
                case .csv: return try CSVRecordParser.parse(b, settings: limited, emit: emit)
                case .json: return try JSONRecordParser.parseArrayPart(b, settings: limited, state: &arrayState, emit: emit)
                default: return try JSONRecordParser.parseJSONLines(b, settings: limited, emit: emit)
                }
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
