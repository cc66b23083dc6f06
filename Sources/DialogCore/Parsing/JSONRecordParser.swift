/// Turns `.json` (one object or an array of objects) and `.jsonl` (one object per line) into records.
enum JSONRecordParser {
    /// Converts a member value to the format-neutral raw value.
    static func raw(_ v: JSONValue) -> RawValue {
        switch v {
        case .string(let s): return .text(s)
        case .number(let n): return .number(n)
        case .bool(let b): return .bool(b)
        case .null: return .null
        case .array(let items):
            var strings: [String] = []
            strings.reserveCapacity(items.count)
            for item in items {
                guard case .string(let s) = item else { break }
                strings.append(s)
            }
            return strings.count == items.count ? .list(strings) : .structured(kind: "a list", json: v.serialized)
        case .object: return .structured(kind: "an object", json: v.serialized)
        }
    }

    /// Parses the object at the cursor straight into the builder (no intermediate tree, keys
    /// resolved from bytes). Syntax errors throw; the first field problem is returned after the
    /// whole object is consumed, so a multi-record file can go on with the next element.
    static func parseRecordObject(_ p: inout JSONParser, depth: Int, builder: inout RecordBuilder,
                                  recordLine: Int?, memberLines: Bool) throws(JSONError) -> RecordRejection? {
        guard depth <= p.maxDepth else { throw p.error("JSON nested at most \(p.maxDepth) deep") }
        builder.reset()
        var problem: RecordRejection? = nil
        let b = p.b
        p.i += 1
        p.skipWhitespace()
        if p.i < p.end && b[p.i] == UInt8(ascii: "}") { p.i += 1; return nil }
        while true {
            guard p.i < p.end, b[p.i] == UInt8(ascii: "\"") else { throw p.error("a quoted member name") }
            let keyLine = p.line
            // Fast path: an unescaped key is resolved from its bytes.
            var key: FieldKey? = nil
            var k = p.i + 1
            while k < p.end && b[k] != UInt8(ascii: "\"") && b[k] != UInt8(ascii: "\\") && b[k] >= 0x20 { k += 1 }
            if k < p.end && b[k] == UInt8(ascii: "\""), let f = FieldKey.lookup(UnsafeBufferPointer(rebasing: b[(p.i + 1)..<k])) {
                key = .known(f)
                p.i = k + 1
            } else {
                key = FieldKey(name: try p.parseString())
            }
            p.skipWhitespace()
            guard p.i < p.end, b[p.i] == UInt8(ascii: ":") else { throw p.error("':' after the member name") }
            p.i += 1
            p.skipWhitespace()
            let value = try p.parseValue(depth: depth)
            if problem == nil, let key {
                do { try builder.add(key, raw(value), line: memberLines ? keyLine : recordLine) } catch { problem = error }
            }
            p.skipWhitespace()
            guard p.i < p.end else { throw p.error("',' or '}'") }
            if b[p.i] == UInt8(ascii: ",") { p.i += 1; p.skipWhitespace(); continue }
            if b[p.i] == UInt8(ascii: "}") { p.i += 1; return problem }
            throw p.error("',' or '}'")
        }
    }

    /// Finishes a record whose members were all accepted.
    static func finish(_ problem: RecordRejection?, _ builder: inout RecordBuilder, recordLine: Int?) throws(RecordRejection) -> ConversationRecord {
        if let problem { throw problem }
        return try builder.finish(recordLine: recordLine)
    }

    static let notObject = "a JSON object {…} for each record"

    /// One mapping for a whole-array parse and its streamed parts: a syntax error is its own
    /// rejection, a record's refusal stays, anything else is "valid JSON" expected.
    static func rejection(_ error: any Error) -> RecordRejection {
        switch error {
        case let e as JSONError: e.rejection
        case let e as RecordRejection: e
        default: RecordRejection(expected: "valid JSON")
        }
    }

    static func kindName(_ v: JSONValue) -> String {
        switch v {
        case .null: "<null>"
        case .bool(let b): "<\(b)>"
        case .number(let n): "<a number: \(n)>"
        case .string: "<a string>"
        case .array: "<an array>"
        case .object: "<an object>"
        }
    }

    /// `.json`: a single object (any problem rejects the file) or an array (problems reject elements).
    static func parseJSON(_ b: UnsafeBufferPointer<UInt8>, settings: ParseSettings, emit: (ParsedRecord) -> Void) throws(RecordRejection) -> ParsedFile {
        var p = JSONParser(b, maxDepth: settings.maxJSONDepth)
        var builder = RecordBuilder(settings: settings)
        p.skipWhitespace()
        guard p.i < p.end else { throw RecordRejection(expected: "a JSON object or an array of objects") }
        if b[p.i] == UInt8(ascii: "{") {
            let problem: RecordRejection?
            do throws(JSONError) {
                problem = try parseRecordObject(&p, depth: 1, builder: &builder, recordLine: nil, memberLines: true)
                p.skipWhitespace()
                guard p.i >= p.end else { throw p.error("the end of the JSON text after '}'") }
            } catch { throw error.rejection }
            let record = try finish(problem, &builder, recordLine: nil)
            emit(ParsedRecord(line: 1, record: record, warnings: builder.notes, order: builder.order))
            return ParsedFile(recordCount: 1)
        }
        guard b[p.i] == UInt8(ascii: "[") else {
            throw p.error("a JSON object or an array of objects").rejection
        }
        var file = ParsedFile()
        do {
            p.i += 1
            p.skipWhitespace()
            if p.i < p.end && b[p.i] == UInt8(ascii: "]") {
                p.i += 1
            } else {
                while true {
                    // `[`, `[{…},` or `[ ` at the end of the input: nothing to read here.
                    guard p.i < p.end else { throw p.error("a record object {…} or ']'") }
                    let startLine = p.line, start = p.i
                    if file.recordCount + file.rejects.count >= settings.maxRecordsPerFile {
                        throw RecordRejection(line: startLine, expected: "at most \(settings.maxRecordsPerFile) records in one file")
                    }
                    if b[p.i] == UInt8(ascii: "{") {
                        let problem = try parseRecordObject(&p, depth: 2, builder: &builder, recordLine: startLine, memberLines: false)
                        let raw = String(decoding: UnsafeBufferPointer(rebasing: b[start..<p.i]), as: UTF8.self)
                        do {
                            let record = try finish(problem, &builder, recordLine: startLine)
                            emit(ParsedRecord(line: startLine, record: record, raw: raw, warnings: builder.notes, order: builder.order))
                            file.recordCount += 1
                        } catch {
                            file.rejects.append(RejectedRecord(rejection: error, raw: raw))
                        }
                    } else {
                        let value = try p.parseValue(depth: 1)
                        let raw = String(decoding: UnsafeBufferPointer(rebasing: b[start..<p.i]), as: UTF8.self)
                        file.rejects.append(RejectedRecord(
                            rejection: RecordRejection(line: startLine, expected: notObject, found: kindName(value)), raw: raw))
                    }
                    p.skipWhitespace()
                    guard p.i < p.end else { throw p.error("',' or ']'") }
                    if b[p.i] == UInt8(ascii: ",") { p.i += 1; p.skipWhitespace(); continue }
                    if b[p.i] == UInt8(ascii: "]") { p.i += 1; break }
                    throw p.error("',' or ']'")
                }
            }
            p.skipWhitespace()
            guard p.i >= p.end else { throw p.error("the end of the JSON text after ']'") }
        } catch {
            throw rejection(error)
        }
        return file
    }

    /// `.jsonl`/`.ndjson`: every non-blank line is one object; each bad line is rejected on its own.
    static func parseJSONLines(_ b: UnsafeBufferPointer<UInt8>, settings: ParseSettings, emit: (ParsedRecord) -> Void) throws(RecordRejection) -> ParsedFile {
        var builder = RecordBuilder(settings: settings)
        var file = ParsedFile()
        var i = 0, line = 1
        let n = b.count
        while i < n {
            var e = i
            while e < n && b[e] != 0x0A { e += 1 }
            defer { i = e + 1; line += 1 }
            var s = i
            while s < e && ByteCursor.isSpace(b[s]) { s += 1 }
            if s == e { continue }
            if file.recordCount + file.rejects.count >= settings.maxRecordsPerFile {
                throw RecordRejection(line: line, expected: "at most \(settings.maxRecordsPerFile) records in one file")
            }
            let raw = String(decoding: UnsafeBufferPointer(rebasing: b[i..<e]), as: UTF8.self)
            var p = JSONParser(b, from: i, to: e, line: line, maxDepth: settings.maxJSONDepth)
            p.i = s  // columns still count from the start of the line
            do throws(JSONError) {
                guard b[s] == UInt8(ascii: "{") else {
                    let value = try p.parseDocument()
                    file.rejects.append(RejectedRecord(
                        rejection: RecordRejection(line: line, expected: notObject, found: kindName(value)), raw: raw))
                    continue
                }
                let problem = try parseRecordObject(&p, depth: 1, builder: &builder, recordLine: line, memberLines: false)
                p.skipWhitespace()
                guard p.i >= p.end else { throw p.error("the end of the line after '}'") }
                do {
                    let record = try finish(problem, &builder, recordLine: line)
                    emit(ParsedRecord(line: line, record: record, raw: raw, warnings: builder.notes, order: builder.order))
                    file.recordCount += 1
                } catch {
                    file.rejects.append(RejectedRecord(rejection: error, raw: raw))
                }
            } catch {
                file.rejects.append(RejectedRecord(rejection: error.rejection, raw: raw))
            }
        }
        return file
    }
}
