import Testing
@testable import DialogCore

@Suite struct JSONLinesTests {
    @Test func linesWithBlankAndBadOnes() throws {
        let text = """
            {"date": "2026-11-28T14:05:00+01:00", "employee": "anna", "channel": "Telefon", "duration": "25m"}

            {"datum": "28.11.2026 15:00", "mitarbeiter": "bob", "wert": "1.200,00 €"}
            {"date": "2026-11-28 16:00", "employee": "carl", "duration": "-5m"}
            {"date": "2026-11-28 16:00", "employee": "dora"
            [1, 2]
            {"date": "2026-11-28 17:00", "employee": "emil", "satisfaction": "4 / 5"}
            """
        let file = try read(text, "batch.jsonl")
        #expect(file.records.map(\.line) == [1, 3, 7])
        #expect(file.records[0].record.channel == "phone")
        #expect(file.records[1].record.valueCents == 120_000)
        #expect(file.records[2].record.satisfaction == 4)
        #expect(file.records[0].raw?.hasPrefix("{\"date\"") == true)
        #expect(file.rejects.map(\.rejection.line) == [4, 5, 6])
        #expect(file.rejects[0].rejection.field == "duration")
        #expect(file.rejects[1].raw == #"{"date": "2026-11-28 16:00", "employee": "dora""#)
        #expect(file.rejects[1].rejection.description.hasPrefix("line 5: expected ',' or '}' (JSON, column 48), found <end of line>"))
        #expect(file.rejects[2].rejection.expected == "a JSON object {…} for each record")
    }

    @Test func ndjsonWithCRLF() throws {
        let text = "{\"date\": \"2026-11-28 14:05\", \"employee\": \"a\"}\r\n{\"date\": \"2026-11-28 14:06\", \"employee\": \"b\"}\r\n"
        #expect(try read(text, "x.ndjson").records.map(\.line) == [1, 2])
    }

    @Test func deepLineIsRejectedAlone() throws {
        let text = jsonRecord() + "\n" + String(repeating: "[", count: 100_000) + "\n" + jsonRecord() + "\n"
        let file = try read(text, "x.jsonl")
        #expect(file.records.count == 2)
        #expect(file.rejects.count == 1 && file.rejects[0].rejection.line == 2)
        #expect(file.rejects[0].rejection.expected.hasPrefix("JSON nested at most 8 deep"))
    }

    @Test func tooManyRecords() {
        let settings = testSettings { $0.maxRecordsPerFile = 2 }
        let text = [jsonRecord(), jsonRecord(), jsonRecord()].joined(separator: "\n")
        #expect(rejection(text, "x.jsonl", settings: settings)?.expected == "at most 2 records in one file")
    }

    @Test func onlyBlankLinesIsEmpty() {
        #expect(rejection("\n  \n{}", "x.jsonl")?.field == "date")
    }
}
