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
