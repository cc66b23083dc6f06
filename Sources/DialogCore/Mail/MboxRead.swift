/// Reads an `.mbox` (mboxo or mboxrd) message by message with the stepping loop `.jsonl` uses
/// (`SteppedRead`), so it has the same bounds: memory is one read block plus one message
/// (`settings.maxRecordBytes`), a step scans only what it read, and a message over the limit is
/// skipped no further than 16 × `maxRecordBytes`.
typealias MboxRead = SteppedRead<MboxMessages>

extension SteppedRead where Cutter == MboxMessages {
    init(settings: ParseSettings) {
        self.init(cutter: MboxMessages(settings: settings))
    }
}

/// The messages of an `.mbox` for `SteppedRead`. Every line starting `From ` begins a message;
/// `>From `, `>>From ` … lose one `>`. Blank lines before the first `From ` line are dropped as
/// they are read; anything else there refuses the file. A message that cannot be a record is
/// listed in the file's rejects and the rest are read.
struct MboxMessages: RecordCutter {
    static let rawLimit = 2000
    static let separator = Array("From ".utf8)

    let settings: ParseSettings
    var maxRecordBytes: Int { settings.maxRecordBytes }
    private var file = ParsedFile()
    private var sawMessage = false
    /// Line of the next byte handed to `records` or `skipped`.
    private var line = 1
    /// Line of the message being skipped as too long.
    private var overLimitLine = 1
    /// `records` met the first `From ` line.
    private var begun = false

    /// Where `cut` is: blank lines before the first message, its `From ` line, the messages.
    private enum Phase { case blanks, firstLine, messages }
    private var phase = Phase.blanks

    init(settings: ParseSettings) { self.settings = settings }

    mutating func cut(_ buffer: [UInt8], from: Int) throws(RecordRejection) -> (end: Int?, scanned: Int) {
        var from = from
        switch phase {
        case .blanks:
            // Whole blank lines go at once; the first line with text must be a `From ` line.
            let blanks = Self.blanks(buffer[from...])
            guard blanks.text != nil else { return (blanks.lastLineEnd, buffer.count) }
            let lineStart = blanks.lastLineEnd ?? buffer[..<from].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
            phase = .firstLine
            if lineStart > 0 { return (lineStart, lineStart) }
            fallthrough
        case .firstLine:
            guard buffer.count >= Self.separator.count else { return (nil, 0) }
            guard buffer.starts(with: Self.separator) else { throw notAnMbox(buffer[...], line: line) }
            phase = .messages
            from = 1
        case .messages:
            break
        }
        // The last `From ` line in the buffer ends the messages before it; one split across the
        // previous read is found by looking back a separator's length.
        var last: Int?
        var i = max(1, from - Self.separator.count)
        while let next = Self.nextSeparator(buffer[...], from: i) {
            last = next
            i = next + 1
        }
        return (last, buffer.count)
    }

    mutating func records(_ raw: ArraySlice<UInt8>, each: (ParsedRecord) -> Void) throws(RecordRejection) {
        var start = raw.startIndex
        if !begun {
            let blanks = Self.blanks(raw)
            line += blanks.lines
            guard blanks.text != nil else { return }
            let lineStart = blanks.lastLineEnd ?? raw.startIndex
            guard raw[lineStart...].starts(with: Self.separator) else { throw notAnMbox(raw[lineStart...], line: line) }
            begun = true
            start = lineStart
        }
        while start < raw.endIndex {
            let end = Self.nextSeparator(raw, from: start + 1) ?? raw.endIndex
            try message(raw[start..<end], line: line, each: each)
            line += Self.lines(in: raw[start..<end])
            start = end
        }
    }

    mutating func overLimit(_ start: ArraySlice<UInt8>) throws(RecordRejection) {
        guard phase == .messages else {
            throw RecordRejection(line: line, expected: "an mbox file whose messages each begin with a `From ` line",
                                  found: "a line of more than \(settings.maxRecordBytes) bytes of blanks")
        }
        sawMessage = true
        overLimitLine = line
        try countRecord(at: line)
        let rejection = RecordRejection(line: line, expected: "a message of at most \(settings.maxRecordBytes) bytes with its attachments (spool.max_record_bytes)",
                                        found: "<a longer message>")
        file.rejects.append(RejectedRecord(rejection: rejection, raw: String(decoding: start.prefix(Self.rawLimit), as: UTF8.self)))
    }

    /// The next message begins at the next `From ` line; the last bytes may begin one.
    func resumption(in buffer: [UInt8]) -> SkipResumption {
        Self.nextSeparator(buffer[...], from: 1).map { .at($0) } ?? .notYet(keeping: Self.separator.count + 1)
    }

    mutating func skipped(_ bytes: ArraySlice<UInt8>, last: Bool) {
        line += Self.lines(in: bytes)
    }

    func endless(skipped: Int, limit: Int) -> RecordRejection {
        RecordRejection(line: overLimitLine, expected: "a `From ` line within \(limit) bytes after a message over the limit (16 × spool.max_record_bytes)",
                        found: "a message that goes on past \(skipped) bytes")
    }

    mutating func finish(bytesRead: Int) throws(RecordRejection) -> ParsedFile {
        guard begun || sawMessage else {
            throw RecordRejection(expected: "a non-empty file", found: bytesRead == 0 ? "an empty file" : "only whitespace")
        }
        return file
    }

    private func notAnMbox(_ text: ArraySlice<UInt8>, line: Int) -> RecordRejection {
        RecordRejection(line: line, expected: "an mbox file whose messages each begin with a `From ` line (a single message is an .eml file)",
                        found: String(decoding: text.prefix(60).prefix { $0 != 0x0A && $0 != 0x0D }, as: UTF8.self))
    }

    static func lines(in bytes: ArraySlice<UInt8>) -> Int {
        bytes.withUnsafeBufferPointer { b in
            var n = 0
            for c in b where c == 0x0A { n += 1 }
            return n
        }
    }

    /// The blank lines `bytes` begins with: where the first other byte is, the end of the last
    /// line feed before it (or in all of `bytes` when all blank) and how many line feeds that is.
    static func blanks(_ bytes: ArraySlice<UInt8>) -> (text: Int?, lastLineEnd: Int?, lines: Int) {
        bytes.withUnsafeBufferPointer { b in
            var lines = 0
            var lastLineEnd: Int?
            for i in 0..<b.count {
                let c = b[i]
                if c == 0x0A {
                    lines += 1
                    lastLineEnd = bytes.startIndex + i + 1
                } else if !TextDecoding.isSpace(c) {
                    return (bytes.startIndex + i, lastLineEnd, lines)
                }
            }
            return (nil, lastLineEnd, lines)
        }
    }

    /// The offset of the next line that starts `From `, at or after `from` (at least one past the slice's start).
    static func nextSeparator(_ b: ArraySlice<UInt8>, from: Int) -> Int? {
        var i = max(from, b.startIndex + 1)
        while i + separator.count <= b.endIndex {
            guard let lf = b[(i - 1)...].firstIndex(of: 0x0A) else { return nil }
            let start = lf + 1
            if start + separator.count > b.endIndex { return nil }
            if b[start..<(start + separator.count)].elementsEqual(separator) { return start }
            i = start + 1
        }
        return nil
    }

    private func countRecord(at line: Int) throws(RecordRejection) {
        if file.recordCount + file.rejects.count >= settings.maxRecordsPerFile {
            throw RecordRejection(line: line, expected: "at most \(settings.maxRecordsPerFile) records in one file")
        }
    }

    private mutating func message(_ raw: ArraySlice<UInt8>, line: Int, each: (ParsedRecord) -> Void) throws(RecordRejection) {
        guard !raw.allSatisfy(TextDecoding.isSpace) else { return }
        sawMessage = true
        try countRecord(at: line)
        let unescaped = Self.unescaped(raw)
        do {
            var record = try MailRecordParser.parseRecord(unescaped[...], line: line, settings: settings, inMbox: true)
            record.raw = nil
            file.recordCount += 1
            each(record)
        } catch {
            var rejection = error
            if rejection.line == nil { rejection.line = line }
            file.rejects.append(RejectedRecord(rejection: rejection, raw: String(decoding: raw.prefix(Self.rawLimit), as: UTF8.self)))
        }
    }

    /// mboxrd: a body line `>From `, `>>From ` … loses one `>` (the `From ` line itself stays).
    static func unescaped(_ raw: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = raw.startIndex
        var lineStart = true
        while i < raw.endIndex {
            if lineStart, raw[i] == 0x3E {
                var k = i
                while k < raw.endIndex, raw[k] == 0x3E { k += 1 }
                if raw[k...].starts(with: separator) { i += 1 }
            }
            let c = raw[i]
            out.append(c)
            lineStart = c == 0x0A
            i += 1
        }
        return out
    }
}
