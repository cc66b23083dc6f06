/// Where a `.json` array read in blocks (`LineRecords` for a large `.json`) stands between blocks.
enum JSONArrayState: Equatable {
    case beforeOpen, afterOpen, afterComma, afterValue, closed
}

extension JSONRecordParser {
    /// One block of a `.json` array read in steps: its elements are read as `parseJSON` reads
    /// them (same records, rejects and reasons); `state` carries the array's syntax from block to
    /// block. An element longer than `maxRecordBytes` is rejected on its own, as a `.jsonl` line.
    static func parseArrayPart(_ b: UnsafeBufferPointer<UInt8>, settings: ParseSettings, state: inout JSONArrayState,
                               emit: (ParsedRecord) -> Void) throws(RecordRejection) -> ParsedFile {
        var p = JSONParser(b, maxDepth: settings.maxJSONDepth)
        var builder = RecordBuilder(settings: settings)
        var file = ParsedFile()
        do {
            while true {
                p.skipWhitespace()
                guard p.i < p.end else { return file }
                let c = b[p.i]
                switch state {
                case .beforeOpen:
                    guard c == UInt8(ascii: "[") else { throw p.error("a JSON object or an array of objects") }
                    p.i += 1
                    state = .afterOpen
                case .afterOpen where c == UInt8(ascii: "]"), .afterValue where c == UInt8(ascii: "]"):
                    p.i += 1
                    state = .closed
                case .afterValue:
                    guard c == UInt8(ascii: ",") else { throw p.error("',' or ']'") }
                    p.i += 1
                    state = .afterComma
                case .afterOpen, .afterComma:
                    try element(&p, builder: &builder, settings: settings, into: &file, emit: emit)
                    state = .afterValue
                case .closed:
                    throw p.error("the end of the JSON text after ']'")
                }
            }
        } catch {
            throw rejection(error)
        }
    }

    /// The refusal of an array whose input ended in `state` (nil: it is whole).
    static func arrayEnd(_ state: JSONArrayState, line: Int) -> RecordRejection? {
        let expected: String
        switch state {
        case .closed: return nil
        case .beforeOpen: expected = "a JSON object or an array of objects"
        case .afterOpen, .afterComma: expected = "a record object {…} or ']'"
        case .afterValue: expected = "',' or ']'"
        }
        return RecordRejection(line: line, expected: "\(expected) (JSON)", found: "<end of input>")
    }

    private static func element(_ p: inout JSONParser, builder: inout RecordBuilder, settings: ParseSettings,
                                into file: inout ParsedFile, emit: (ParsedRecord) -> Void) throws {
        let b = p.b
        let startLine = p.line, start = p.i
        if file.recordCount + file.rejects.count >= settings.maxRecordsPerFile {
            throw RecordRejection(line: startLine, expected: "at most \(settings.maxRecordsPerFile) records in one file")
        }
        let isObject = b[p.i] == UInt8(ascii: "{")
        var problem: RecordRejection?
        var value: JSONValue?
        if isObject {
            problem = try parseRecordObject(&p, depth: 2, builder: &builder, recordLine: startLine, memberLines: false)
        } else {
            value = try p.parseValue(depth: 1)
        }
        if p.i - start > settings.maxRecordBytes {
            file.rejects.append(RejectedRecord(
                rejection: RecordRejection(line: startLine, expected: "a record of at most \(settings.maxRecordBytes) bytes (spool.max_record_bytes)",
                                           found: "<a longer element>"),
                raw: String(decoding: UnsafeBufferPointer(rebasing: b[start..<(start + 200)]), as: UTF8.self)))
            return
        }
        let raw = String(decoding: UnsafeBufferPointer(rebasing: b[start..<p.i]), as: UTF8.self)
        guard isObject else {
            file.rejects.append(RejectedRecord(
                rejection: RecordRejection(line: startLine, expected: notObject, found: value.map(kindName) ?? "<a value>"), raw: raw))
            return
        }
        do {
            let record = try finish(problem, &builder, recordLine: startLine)
            emit(ParsedRecord(line: startLine, record: record, raw: raw, warnings: builder.notes, order: builder.order))
            file.recordCount += 1
        } catch {
            file.rejects.append(RejectedRecord(rejection: error, raw: raw))
        }
    }
}
