/// Parses the mail-like `.conv`/`.txt` form: `Key: value` headers (RFC 822 folding), a blank line,
/// then the transcript, which becomes `text`.
enum ConvParser {
    static func parse(_ b: UnsafeBufferPointer<UInt8>, settings: ParseSettings) throws(RecordRejection) -> ConversationRecord {
        try parseRecord(b, settings: settings).record
    }

    /// The record with its warnings (the file's only record, line 1).
    static func parseRecord(_ b: UnsafeBufferPointer<UInt8>, settings: ParseSettings) throws(RecordRejection) -> ParsedRecord {
        var builder = RecordBuilder(settings: settings)
        var i = 0
        var line = 1
        let n = b.count

        // Leading blank lines are tolerated: people hit Enter before typing.
        while i < n {
            var k = i
            while k < n && b[k] != 0x0A && ByteCursor.isSpace(b[k]) { k += 1 }
            guard k < n && b[k] == 0x0A else { break }
            i = k + 1
            line += 1
        }

        var pendingKey: String? = nil
        var pendingValue = ""
        var pendingLine = 0
        var headerCount = 0
        var bodyStart = n

        func flush(_ builder: inout RecordBuilder) throws(RecordRejection) {
            if let key = pendingKey {
                try builder.add(FieldKey(name: key), .text(pendingValue), line: pendingLine)
            }
        }

        while i < n {
            var e = i
            while e < n && b[e] != 0x0A { e += 1 }
            let lineBytes = UnsafeBufferPointer(rebasing: b[i..<e])
            let next = e + 1
            if lineBytes.allSatisfy(ByteCursor.isSpace) {  // end of headers
                bodyStart = min(next, n)
                line += 1
                break
            }
            if lineBytes.count > settings.maxFieldBytes {
                throw RecordRejection(line: line, expected: "a header line of at most \(settings.maxFieldBytes) bytes",
                                      found: "<\(lineBytes.count) bytes>")
            }
            if lineBytes[0] == 0x20 || lineBytes[0] == 0x09 {
                guard pendingKey != nil else {
                    throw RecordRejection(line: line, expected: "a header line `Key: value` (an indented line continues the header above it, and there is none)",
                                          found: String(decoding: lineBytes, as: UTF8.self))
                }
                let more = String(decoding: lineBytes, as: UTF8.self).trimmingWhitespace()
                if !more.isEmpty { pendingValue += pendingValue.isEmpty ? more : " " + more }
                if pendingValue.utf8.count > settings.maxFieldBytes {
                    throw RecordRejection(line: pendingLine, field: pendingKey, expected: "a value of at most \(settings.maxFieldBytes) bytes",
                                          found: "<\(pendingValue.utf8.count) bytes>")
                }
            } else {
                guard let colon = lineBytes.firstIndex(of: UInt8(ascii: ":")) else {
                    throw RecordRejection(line: line, expected: "a header line `Key: value` (or a blank line before the conversation text)",
                                          found: String(decoding: lineBytes, as: UTF8.self))
                }
                let key = String(decoding: UnsafeBufferPointer(rebasing: lineBytes[..<colon]), as: UTF8.self).trimmingWhitespace()
                guard !key.isEmpty else {
                    throw RecordRejection(line: line, expected: "a header line `Key: value` with a name before the colon",
                                          found: String(decoding: lineBytes, as: UTF8.self))
                }
                try flush(&builder)
                headerCount += 1
                if headerCount > settings.maxHeaders {
                    throw RecordRejection(line: line, expected: "at most \(settings.maxHeaders) header lines")
                }
                pendingKey = key
                pendingValue = String(decoding: UnsafeBufferPointer(rebasing: lineBytes[(colon + 1)...]), as: UTF8.self).trimmingWhitespace()
                pendingLine = line
            }
            i = next
            line += 1
        }
        guard headerCount > 0 else {
            throw RecordRejection(line: 1, expected: "header lines like `Date: 2026-11-28 14:05` before the text")
        }
        try flush(&builder)

        if bodyStart < n {
            // Skip blank lines so the text's line number points at its first real line.
            var s = bodyStart
            var bodyLine = line
            while s < n && ByteCursor.isSpace(b[s]) {
                if b[s] == 0x0A { bodyLine += 1 }
                s += 1
            }
            if s < n {
                let body = String(decoding: UnsafeBufferPointer(rebasing: b[s...]), as: UTF8.self).trimmingWhitespace()
                try builder.add(.known(.text), .text(body), line: bodyLine)
            }
        }
        let record = try builder.finish(recordLine: nil)
        return ParsedRecord(line: 1, record: record, warnings: builder.notes, order: builder.order)
    }
}
