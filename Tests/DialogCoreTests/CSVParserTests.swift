import Testing
@testable import DialogCore

@Suite struct CSVParserTests {
    @Test func germanExcelSemicolons() throws {
        let text = "\u{FEFF}Datum;Mitarbeiter;Kanal;Dauer;Wert;Betreff\r\n"
            + "28.11.2026 14:05;anna.schmidt;XING;25m;1.200,00 €;\"Angebot; 40 Lizenzen\"\r\n"
            + "28.11.2026 15:05;bob;Telefon;1,5 Std;\"50,- €\";\r\n"
        let file = try read(text, "export.csv")
        #expect(file.records.count == 2 && file.rejects.isEmpty)
        let r = file.records[0].record
        #expect(r.channel == "xing" && r.durationSeconds == 1500 && r.valueCents == 120_000 && r.subject == "Angebot; 40 Lizenzen")
        #expect(file.records[1].record.durationSeconds == 5400 && file.records[1].record.valueCents == 5000)
        #expect(file.records[1].record.subject == nil)
    }

    /// An extra column empty in one row and filled in a later one: the empty cell was noted as
    /// given and never cleared, so the later row was refused as "each field only once".
    @Test func extraColumnEmptyThenFilled() throws {
        let text = "date;employee;empfohlen_von\n2026-11-01T10:00:00Z;sara;\n2026-11-01T11:00:00Z;sara;anna\n"
        let file = try read(text, "x.csv")
        #expect(file.records.count == 2 && file.rejects.isEmpty, "\(file.rejects.map(\.rejection))")
        #expect(file.records.last?.record.extras["empfohlen_von"] == "anna")
    }

    @Test func englishCommasQuotesAndEmbeddedNewline() throws {
        let text = """
            date,employee,value,text,tags
            2026-11-28T14:05:00Z,john,"1,200.50","He said ""yes""
            and then ""no"".","b2b, Lead"
            2026-11-28T15:05:00Z,jane,99,plain,
            """
        let file = try read(text, "x.csv")
        #expect(file.records.map(\.line) == [2, 4])
        let r = file.records[0].record
        #expect(r.valueCents == 120_050 && r.text == "He said \"yes\"\nand then \"no\"." && r.tags == ["b2b", "lead"])
        #expect(file.records[0].raw == "2026-11-28T14:05:00Z,john,\"1,200.50\",\"He said \"\"yes\"\"\nand then \"\"no\"\".\",\"b2b, Lead\"")
    }

    @Test func tabDelimited() throws {
        let file = try read("date\temployee\n2026-11-28 14:05\tanna\n", "x.csv")
        #expect(file.records[0].record.employee == "anna")
    }

    @Test func excelSepLine() throws {
        let file = try read("sep=;\ndate;employee\n2026-11-28 14:05;anna\n", "x.csv")
        #expect(file.records.map(\.line) == [3])
    }

    @Test func raggedRowIsRejectedAlone() throws {
        let text = "date;employee;channel\n28.11.2026 14:05;anna;xing\n28.11.2026 14:06;bob\n\n;;\n28.11.2026 14:07;carl;mail\n"
        let file = try read(text, "x.csv")
        #expect(file.records.map(\.line) == [2, 6])
        #expect(file.records[1].record.channel == "email")
        #expect(file.rejects.count == 1)
        #expect(file.rejects[0].rejection.line == 3)
        #expect(file.rejects[0].rejection.description == "line 3: expected 3 fields like the header row, found <2 fields>")
        #expect(file.rejects[0].raw == "28.11.2026 14:06;bob")
    }

    @Test func unbalancedQuoteRejectsFileAtItsLine() {
        let r = rejection("date,employee,text\n2026-11-28 14:05,anna,ok\n2026-11-28 14:06,bob,\"never closed\n2026-11-28 14:07,carl,x\n", "x.csv")
        #expect(r?.line == 3)
        #expect(r?.expected.contains("closing quote") == true)
    }

    @Test func headerWithoutEmployeeRejectsFile() {
        let r = rejection("date,agentname\n2026-11-28 14:05,anna\n", "x.csv")
        #expect(r?.line == 1 && r?.expected.contains("missing: employee") == true)
    }

    @Test func duplicateColumnRejectsFile() {
        #expect(rejection("date,employee,Mitarbeiter\n2026-11-28 14:05,a,b\n", "x.csv")?.field == "Mitarbeiter")
    }

    @Test func badRowValueIsPerRow() throws {
        let file = try read("date,employee,satisfaction\n2026-11-28 14:05,a,7\n2026-11-28 14:05,b,3\n", "x.csv")
        #expect(file.records.count == 1 && file.rejects[0].rejection.field == "satisfaction" && file.rejects[0].rejection.line == 2)
    }

    @Test func headerOnlyIsRejected() {
        #expect(rejection("date,employee\n", "x.csv")?.expected == "at least one record")
    }
}

/// The csv-spectrum cases (max-mapper/csv-spectrum), as records: what a quoted field holds is
/// kept byte for byte, and `""` is an empty string, not a missing value.
@Suite("CSV: csv-spectrum conformance")
struct CSVSpectrumTests {
    let head = "date,employee,"

    @Test("CRLF inside quotes stays CRLF; CRLF between rows ends the row")
    func crlfInsideQuotes() throws {
        let text = head + "text,note\r\n2026-11-28 14:05,anna,\"Once upon \r\na time\",5\r\n2026-11-28 14:06,bob,plain,6\r\n"
        let file = try read(text, "newlines_crlf.csv")
        #expect(file.records.map(\.line) == [2, 4] && file.rejects.isEmpty)
        #expect(file.records[0].record.text == "Once upon \r\na time")
        #expect(file.records[0].record.extras["note"] == "5" && file.records[1].record.text == "plain")
    }

    @Test("LF and a lone CR inside quotes are kept too; lone-CR row ends still end rows")
    func otherLineEnds() throws {
        let file = try read(head + "text\r2026-11-28 14:05,anna,\"a\rb\nc\"\r2026-11-28 14:06,bob,x\r", "cr.csv")
        #expect(file.records.map(\.record.text) == ["a\rb\nc", "x"])
        #expect(file.records.map(\.line) == [2, 5])
    }

    @Test("a quoted empty field is an empty string; an unquoted empty field is absent")
    func quotedEmpty() throws {
        let file = try read(head + "b,c\n2026-11-28 14:05,anna,\"\",\"\"\n2026-11-28 14:06,bob,,3\n", "empty.csv")
        #expect(file.records[0].record.extras == ["b": "", "c": ""])
        #expect(file.records[1].record.extras == ["c": "3"])
    }

    @Test("escaped quotes, quotes with newlines, commas in quotes, JSON in a cell, UTF-8")
    func spectrum() throws {
        let text = head + "a,b,address,json\n"
            + "2026-11-28 14:05,anna,\"ha \"\"ha\"\" ha\",\"ha \n\"\"ha\"\" \nha\",\"Anytown, WW\",\"{\"\"type\"\": \"\"Point\"\", \"\"coordinates\"\": [102.0, 0.5]}\"\n"
            + "2026-11-28 14:06,bob,ʤ,4,x,y\n"
        let file = try read(text, "spectrum.csv")
        let e = file.records[0].record.extras
        #expect(e["a"] == "ha \"ha\" ha" && e["b"] == "ha \n\"ha\" \nha" && e["address"] == "Anytown, WW")
        #expect(e["json"] == #"{"type": "Point", "coordinates": [102.0, 0.5]}"#)
        #expect(file.records[1].record.extras["a"] == "ʤ" && file.records[1].line == 5)
    }

    @Test("the raw row of a reject ends before its CRLF")
    func rawRowWithoutLineEnd() throws {
        let file = try read(head + "satisfaction\r\n2026-11-28 14:05,anna,9\r\n2026-11-28 14:06,bob,3\r\n", "r.csv")
        #expect(file.rejects.map(\.raw) == ["2026-11-28 14:05,anna,9"] && file.rejects[0].rejection.line == 2)
    }
}

/// Extra fields keep the name they were written with (docs/protocol.md: names verbatim).
@Suite("Extras keep their names")
struct ExtraNameTests {
    @Test func csvHeadersVerbatim() throws {
        let file = try read("date,employee,Contact Phone Number,x-cmd\n2026-11-28 14:05,anna,2095257564,run\n", "crm.csv")
        #expect(file.records[0].record.extras == ["Contact Phone Number": "2095257564", "x-cmd": "run"])
    }

    @Test func jsonAndConvKeysVerbatim() throws {
        #expect(try read(jsonRecord(#""x-cmd": "run", " Ticket No ": "T-1""#), "a.json").records[0].record.extras == ["x-cmd": "run", "Ticket No": "T-1"])
        #expect(try read("Date: 2026-11-28 14:05\nEmployee: anna\nX-Cmd: run\n\nhi\n", "a.conv").records[0].record.extras == ["X-Cmd": "run"])
    }

    @Test("two spellings of one name in a record are one field given twice")
    func foldedDuplicate() {
        #expect(rejection(jsonRecord(#""x-cmd": "a", "X_CMD": "b""#), "a.json")?.expected.hasPrefix("each field only once") == true)
    }

    @Test("the content key folds extra names, so records stored before names were kept verbatim keep their key")
    func keyStable() {
        var a = ConversationRecord(date: 1, employee: "anna")
        a.extras = ["Contact Phone Number": "1"]
        var b = a
        b.extras = ["contact_phone_number": "1"]
        #expect(RecordKey.make(for: a) == RecordKey.make(for: b))
    }
}
