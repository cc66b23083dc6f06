/// One CSV cell as written: its text, and whether it was quoted (`""` is an empty string, an
/// empty unquoted cell is absent).
struct CSVField: Equatable {
    var text: String
    var quoted: Bool
}

/// One CSV row: its fields, the physical line it starts on and the byte range of its raw text.
struct CSVRow {
    var fields: [CSVField]
    var line: Int
    var start: Int
    var end: Int
}

/// RFC 4180 reader (quoted fields, `""` escapes, newlines inside quotes) with the delimiter
/// detected from the header row, since German Excel writes `;` and some tools write tabs.
/// Rows end at LF, CRLF or CR; bytes inside quotes are kept as written (a CRLF stays a CRLF).
struct CSVParser {
    let b: UnsafeBufferPointer<UInt8>
    var i = 0
    var line = 1
    var delimiter: UInt8 = UInt8(ascii: ",")

    init(_ b: UnsafeBufferPointer<UInt8>) {
        self.b = b
    }

    /// Picks `,`, `;` or tab: whichever occurs most (outside quotes) in the first line; an Excel
    /// `sep=;` line chooses explicitly and is skipped.
    mutating func detectDelimiter() {
        let n = b.count
        if n >= 5, b[0] | 0x20 == UInt8(ascii: "s"), b[1] | 0x20 == UInt8(ascii: "e"), b[2] | 0x20 == UInt8(ascii: "p"),
           b[3] == UInt8(ascii: "="), n == 5 || b[5] == 0x0A || b[5] == 0x0D {
            delimiter = b[4]
            i = 5
            skipLineEnd()
            return
        }
        var counts = [0, 0, 0]
        var quoted = false
        var k = i
        while k < n {
            let c = b[k]
            if c == UInt8(ascii: "\"") { quoted.toggle() } else if !quoted {
                if c == 0x0A || c == 0x0D { break }
                if c == UInt8(ascii: ",") { counts[0] += 1 } else if c == UInt8(ascii: ";") { counts[1] += 1 } else if c == 0x09 { counts[2] += 1 }
            }
            k += 1
        }
        if counts[1] > counts[0] && counts[1] >= counts[2] { delimiter = UInt8(ascii: ";") } else if counts[2] > counts[0] && counts[2] > counts[1] { delimiter = 0x09 }
    }

    /// The next row, or `nil` at the end. An unclosed quote rejects the file at the line it opened.
    mutating func nextRow() throws(RecordRejection) -> CSVRow? {
        let n = b.count
        guard i < n else { return nil }
        let rowLine = line, rowStart = i
        var fields: [CSVField] = []
        var field: [UInt8] = []
        while true {
            // One field.
            field.removeAll(keepingCapacity: true)
            if i < n && b[i] == UInt8(ascii: "\"") {
                let quoteLine = line
                i += 1
                var closed = false
                while i < n {
                    let c = b[i]
                    if c == UInt8(ascii: "\"") {
                        if i + 1 < n && b[i + 1] == UInt8(ascii: "\"") { field.append(c); i += 2; continue }
                        i += 1
                        closed = true
                        break
                    }
                    if c == 0x0A || (c == 0x0D && (i + 1 >= n || b[i + 1] != 0x0A)) { line += 1 }
                    field.append(c)
                    i += 1
                }
                guard closed else {
                    throw RecordRejection(line: quoteLine, expected: "a closing quote \" for the quoted field that starts on line \(quoteLine)")
                }
                // Text after the closing quote (`"a"b`) is kept, as spreadsheet programs do.
                while i < n && b[i] != delimiter && !isLineEnd(b[i]) { field.append(b[i]); i += 1 }
                fields.append(CSVField(text: String(decoding: field, as: UTF8.self), quoted: true))
            } else {
                let s = i
                while i < n && b[i] != delimiter && !isLineEnd(b[i]) { i += 1 }
                fields.append(CSVField(text: String(decoding: UnsafeBufferPointer(rebasing: b[s..<i]), as: UTF8.self), quoted: false))
            }
            if i < n && b[i] == delimiter { i += 1; continue }
            let end = i
            skipLineEnd()
            return CSVRow(fields: fields, line: rowLine, start: rowStart, end: end)
        }
    }

    @inline(__always) func isLineEnd(_ c: UInt8) -> Bool { c == 0x0A || c == 0x0D }

    /// Steps over one LF, CRLF or CR at `i` (if any) and counts the line.
    mutating func skipLineEnd() {
        let n = b.count
        guard i < n, isLineEnd(b[i]) else { return }
        if b[i] == 0x0D && i + 1 < n && b[i + 1] == 0x0A { i += 1 }
        i += 1
        line += 1
    }

    /// True for a row with nothing in it (a blank line, or only delimiters as Excel leaves them).
    static func isBlank(_ row: CSVRow) -> Bool {
        row.fields.allSatisfy { $0.text.utf8.allSatisfy(ByteCursor.isSpace) }
    }
}

/// Turns a CSV file into records: the header row names the columns (same names and aliases).
enum CSVRecordParser {
    static func parse(_ b: UnsafeBufferPointer<UInt8>, settings: ParseSettings, emit: (ParsedRecord) -> Void) throws(RecordRejection) -> ParsedFile {
        var csv = CSVParser(b)
        csv.detectDelimiter()
        var header: CSVRow? = nil
        while let row = try csv.nextRow() {
            if !CSVParser.isBlank(row) { header = row; break }
        }
        guard let header else { throw RecordRejection(expected: "a header row naming the columns (date, employee, …)") }
        var keys: [FieldKey?] = []
        var seen: [String: Int] = [:]
        for (col, name) in header.fields.enumerated() {
            let trimmed = name.text.trimmingWhitespace()
            if trimmed.isEmpty { keys.append(nil); continue }  // Excel's empty trailing columns
            let key = FieldKey(name: trimmed)
            let folded: String
            switch key {
            case .known(let f): folded = f.rawValue
            case .extra(let s): folded = Field.normalize(s)
            }
            if let first = seen[folded] {
                throw RecordRejection(line: header.line, field: trimmed,
                                      expected: "each column only once (columns \(first + 1) and \(col + 1) are both \"\(folded)\")")
            }
            seen[folded] = col
            keys.append(key)
        }
        let missingOrderColumns = OrderFields.missingColumns(keys.compactMap { $0 })
        if settings.ordersFile {
            guard missingOrderColumns.isEmpty else {
                throw RecordRejection(line: header.line, expected: "a header row with columns date, customer and amount (missing: \(missingOrderColumns.joined(separator: ", ")))",
                                      found: String(decoding: UnsafeBufferPointer(rebasing: b[header.start..<header.end]), as: UTF8.self))
            }
        } else if !(OrderFields.hasTypeColumn(keys.compactMap { $0 }) && missingOrderColumns.isEmpty) {
            // A file with a type column may hold only orders: then it needs no employee column.
            guard keys.contains(.known(.date)), keys.contains(.known(.employee)) else {
                let missing = [keys.contains(.known(.date)) ? nil : "date", keys.contains(.known(.employee)) ? nil : "employee"]
                    .compactMap { $0 }.joined(separator: " and ")
                throw RecordRejection(line: header.line, expected: "a header row with columns date and employee (missing: \(missing))",
                                      found: String(decoding: UnsafeBufferPointer(rebasing: b[header.start..<header.end]), as: UTF8.self))
            }
        }
        var builder = RecordBuilder(settings: settings)
        // Messages name a column as the file wrote it (`Betrag`), not only its canonical field.
        for (col, key) in keys.enumerated() {
            if case .known(let f)? = key { builder.writtenNames[f] = header.fields[col].text.trimmingWhitespace() }
        }
        var file = ParsedFile()
        while let row = try csv.nextRow() {
            if CSVParser.isBlank(row) { continue }
            if file.recordCount + file.rejects.count >= settings.maxRecordsPerFile {
                throw RecordRejection(line: row.line, expected: "at most \(settings.maxRecordsPerFile) records in one file")
            }
            let raw = String(decoding: UnsafeBufferPointer(rebasing: b[row.start..<row.end]), as: UTF8.self)
            guard row.fields.count == keys.count else {
                file.rejects.append(RejectedRecord(
                    rejection: RecordRejection(line: row.line, expected: "\(keys.count) fields like the header row",
                                               found: "<\(row.fields.count) fields>"),
                    raw: raw))
                continue
            }
            do {
                builder.reset()
                for (k, field) in row.fields.enumerated() {
                    guard let key = keys[k] else { continue }
                    // `""` is an empty string; an unquoted blank cell is no value at all.
                    let absent = !field.quoted && field.text.utf8.allSatisfy(ByteCursor.isSpace)
                    try builder.add(key, absent ? .null : .text(field.text), line: row.line)
                }
                let record = try builder.finish(recordLine: row.line)
                emit(ParsedRecord(line: row.line, record: record, raw: raw, warnings: builder.notes, order: builder.order))
                file.recordCount += 1
            } catch {
                file.rejects.append(RejectedRecord(rejection: error, raw: raw))
            }
        }
        return file
    }
}
