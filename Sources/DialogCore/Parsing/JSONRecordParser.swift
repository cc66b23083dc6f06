/// Turns `.json` (one object or an array of objects) and `.jsonl` (one object per line) into records.
enum JSONRecordParser {
    /// Feeds one JSON object's members to the builder.
    static func build(_ members: [JSONMember], builder: inout RecordBuilder, recordLine: Int?, memberLines: Bool) throws(RecordRejection) -> ConversationRecord {
        builder.reset()
        for m in members {
            let raw: RawValue
            switch m.value {
            case .string(let s): raw = .text(s)
            case .number(let n): raw = .number(n)
            case .bool(let b): raw = .bool(b)
            case .null: raw = .null
            case .array(let items):
                var strings: [String] = []
                strings.reserveCapacity(items.count)
                for item in items {
                    guard case .string(let s) = item else { break }
                    strings.append(s)
                }
                raw = strings.count == items.count ? .list(strings) : .structured(kind: "a list", json: m.value.serialized)
            case .object: raw = .structured(kind: "an object", json: m.value.serialized)
            }
            try builder.add(FieldKey(name: m.key), raw, line: memberLines ? m.line : recordLine)
        }
        return try builder.finish(recordLine: recordLine)
    }

    static let notObject = "a JSON object {…} for each record"

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
    static func parseJSON(_ b: UnsafeBufferPointer<UInt8>, settings: ParseSettings) throws(RecordRejection) -> ParsedFile {
        var p = JSONParser(b, maxDepth: settings.maxJSONDepth)
        var builder = RecordBuilder(settings: settings)
        p.skipWhitespace()
        guard p.i < p.end else { throw RecordRejection(expected: "a JSON object or an array of objects") }
        if b[p.i] == UInt8(ascii: "{") {
            let value: JSONValue
            do { value = try p.parseDocument() } catch { throw error.rejection }
            guard case .object(let members) = value else { throw RecordRejection(expected: notObject) }
            let record = try build(members, builder: &builder, recordLine: nil, memberLines: true)
            return ParsedFile(records: [ParsedRecord(line: 1, record: record)])
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
                    let startLine = p.line, start = p.i
                    let value = try p.parseValue(depth: 1)
                    let raw = String(decoding: UnsafeBufferPointer(rebasing: b[start..<p.i]), as: UTF8.self)
                    if file.records.count + file.rejects.count >= settings.maxRecordsPerFile {
                        throw RecordRejection(expected: "at most \(settings.maxRecordsPerFile) records in one file")
                    }
                    if case .object(let members) = value {
                        do {
                            let record = try build(members, builder: &builder, recordLine: startLine, memberLines: false)
                            file.records.append(ParsedRecord(line: startLine, record: record, raw: raw))
                        } catch {
                            file.rejects.append(RejectedRecord(rejection: error, raw: raw))
                        }
                    } else {
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
        } catch let e as JSONError {
            throw e.rejection
        } catch let e as RecordRejection {
            throw e
        } catch {
            throw RecordRejection(expected: "valid JSON")
        }
        return file
    }

    /// `.jsonl`/`.ndjson`: every non-blank line is one object; each bad line is rejected on its own.
    static func parseJSONLines(_ b: UnsafeBufferPointer<UInt8>, settings: ParseSettings) throws(RecordRejection) -> ParsedFile {
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
            if file.records.count + file.rejects.count >= settings.maxRecordsPerFile {
                throw RecordRejection(line: line, expected: "at most \(settings.maxRecordsPerFile) records in one file")
            }
            let raw = String(decoding: UnsafeBufferPointer(rebasing: b[i..<e]), as: UTF8.self)
            var p = JSONParser(b, from: i, to: e, line: line, maxDepth: settings.maxJSONDepth)
            do {
                let value = try p.parseDocument()
                guard case .object(let members) = value else {
                    file.rejects.append(RejectedRecord(
                        rejection: RecordRejection(line: line, expected: notObject, found: kindName(value)), raw: raw))
                    continue
                }
                do {
                    let record = try build(members, builder: &builder, recordLine: line, memberLines: false)
                    file.records.append(ParsedRecord(line: line, record: record, raw: raw))
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
