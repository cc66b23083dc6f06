/// Reads an `.mbox` (mboxo or mboxrd) message by message from `fill`, like `StreamedRead` reads
/// `.jsonl`: memory is one read block plus one message (`settings.maxRecordBytes`), whatever the
/// file's size. Every line starting `From ` begins a message; `>From `, `>>From ` … lose one `>`.
/// A message that cannot be a record is listed in the file's rejects and the rest are read.
struct MboxRead {
    static let blockBytes = StreamedRead.blockBytes
    static let rawLimit = 2000

    let settings: ParseSettings
    /// Bytes one `step` reads at most (a caller that serves others between steps makes it small).
    var stepBytes = blockBytes
    private var file = ParsedFile()
    private var sawMessage = false
    // The read in progress, kept between steps.
    private var buffer: [UInt8] = []
    private var chunk: [UInt8] = []
    private var line = 1           // line of buffer[0]
    private var messageLine = 1    // line of the current message's `From `
    private var scanned = 0        // where the next separator search starts
    private var skipping = false   // the current message went over the limit: drop bytes to the next separator
    private var started = false    // the first separator was seen
    private var atEnd = false
    private var total = 0

    init(settings: ParseSettings) { self.settings = settings }

    mutating func run(sizeHint: Int, fill: (UnsafeMutableRawBufferPointer) -> Int, each: (ParsedRecord) -> Void) throws(RecordRejection) -> ParsedFile {
        while try !step(sizeHint: sizeHint, fill: fill, each: each) {}
        return try finish()
    }

    /// Reads once (at most `stepBytes`) and hands out the messages that completes; true at the end.
    mutating func step(sizeHint: Int, fill: (UnsafeMutableRawBufferPointer) -> Int, each: (ParsedRecord) -> Void) throws(RecordRejection) -> Bool {
        guard !atEnd else { return true }
        if chunk.isEmpty {
            chunk = [UInt8](repeating: 0, count: sizeHint >= stepBytes ? stepBytes : max(4096, min(stepBytes, sizeHint + 1)))
        }
        let n = chunk.withUnsafeMutableBytes { fill($0) }
        guard n >= 0 else { throw RecordRejection(expected: "a file that can be read to its end") }
        buffer.append(contentsOf: chunk[..<n])
        total += n
        atEnd = n == 0
        if !started {
            // Leading blank lines are fine; anything else before the first `From ` is not an mbox.
            guard let firstText = buffer.firstIndex(where: { !TextDecoding.isSpace($0) }) else { return atEnd }
            let lineStart = buffer[..<firstText].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
            if buffer.count - lineStart < 5, !atEnd { return false }
            guard buffer[lineStart...].starts(with: Self.separator) else {
                throw RecordRejection(line: buffer[..<lineStart].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 },
                                      expected: "an mbox file whose messages each begin with a `From ` line (a single message is an .eml file)",
                                      found: String(decoding: buffer[lineStart...].prefix(60).prefix { $0 != 0x0A && $0 != 0x0D }, as: UTF8.self))
            }
            line += buffer[..<lineStart].reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
            buffer.removeSubrange(..<lineStart)
            messageLine = line
            started = true
            scanned = 1
        }
        // Hand over every complete message in the buffer; the consumed front goes in one move.
        var consumed = 0
        while let next = Self.nextSeparator(buffer, from: max(scanned, consumed + 1)) {
            if skipping { skipping = false } else { try message(buffer[consumed..<next], line: messageLine, each: each) }
            line += buffer[consumed..<next].reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
            messageLine = line
            consumed = next
        }
        if consumed > 0 { buffer.removeSubrange(..<consumed) }
        scanned = max(1, buffer.count - Self.separator.count)
        if atEnd {
            if !buffer.isEmpty, !skipping { try message(buffer[...], line: messageLine, each: each) }
            buffer = []
            return true
        }
        if buffer.count > settings.maxRecordBytes {
            if !skipping {
                try tooLong(buffer.prefix(Self.rawLimit), line: messageLine)
                skipping = true
            }
            // Keep the tail that may start a separator; count the lines dropped.
            let keep = Self.separator.count + 1
            let drop = buffer.count - keep
            line += buffer[..<drop].reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
            buffer.removeSubrange(..<drop)
            scanned = 0
        }
        return false
    }

    /// The file's totals once `step` returned true; throws when the file as a whole is refused.
    mutating func finish() throws(RecordRejection) -> ParsedFile {
        guard started || sawMessage else {
            throw RecordRejection(expected: "a non-empty file", found: total == 0 ? "an empty file" : "only whitespace")
        }
        return file
    }

    static let separator = Array("From ".utf8)

    /// The offset of the next line that starts `From `, at or after `from`.
    static func nextSeparator(_ b: [UInt8], from: Int) -> Int? {
        var i = max(from, 1)
        while i + separator.count <= b.count {
            guard let lf = b[(i - 1)...].firstIndex(of: 0x0A) else { return nil }
            let start = lf + 1
            if start + separator.count > b.count { return nil }
            if b[start..<(start + separator.count)].elementsEqual(separator) { return start }
            i = start + 1
        }
        return nil
    }

    private mutating func message(_ raw: ArraySlice<UInt8>, line: Int, each: (ParsedRecord) -> Void) throws(RecordRejection) {
        guard !raw.allSatisfy(TextDecoding.isSpace) else { return }
        sawMessage = true
        if file.recordCount + file.rejects.count >= settings.maxRecordsPerFile {
            throw RecordRejection(line: line, expected: "at most \(settings.maxRecordsPerFile) records in one file")
        }
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

    private mutating func tooLong(_ start: ArraySlice<UInt8>, line: Int) throws(RecordRejection) {
        sawMessage = true
        if file.recordCount + file.rejects.count >= settings.maxRecordsPerFile {
            throw RecordRejection(line: line, expected: "at most \(settings.maxRecordsPerFile) records in one file")
        }
        let rejection = RecordRejection(line: line, expected: "a message of at most \(settings.maxRecordBytes) bytes with its attachments (spool.max_record_bytes)",
                                        found: "<a longer message>")
        file.rejects.append(RejectedRecord(rejection: rejection, raw: String(decoding: start, as: UTF8.self)))
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
