import Testing
@testable import DialogCore

/// What `dialogctl log` writes is checked with the daemon's own parser first.
@Suite("Log entry")
struct LogEntryTests {
    let valuation = ValuationConfig()

    @Test("a valid entry renders as one JSON record and parses back")
    func valid() throws {
        let entry = LogEntry([(.date, "2026-11-28 14:05"), (.employee, "anna"), (.channel, "Xing"), (.outcome, "lead"),
                              (.duration, "25m"), (.value, "1.200,00 €"), (.text, "Angebot \"40 Lizenzen\"\nPilot im Januar"), (.customer, "")])
        let record = try entry.validate(settings: testSettings(), valuation: valuation)
        #expect(record.employee == "anna" && record.channel == "xing" && record.outcome == "lead")
        #expect(record.durationSeconds == 1500 && record.valueCents == 120_000 && record.customer == nil)
        #expect(record.text == "Angebot \"40 Lizenzen\"\nPilot im Januar")
    }

    @Test("refusals name the field, what was expected and what was found", arguments: [
        ([(Field.date, "gestern"), (.employee, "anna")], "date"),
        ([(Field.date, "2026-11-28 14:05")], "employee"),
        ([(Field.date, "2026-11-28 14:05"), (.employee, "anna"), (.duration, "lange")], "duration"),
        ([(Field.date, "2026-11-28 14:05"), (.employee, "anna"), (.value, "12 USD")], "value"),
        ([(Field.date, "2026-11-28 14:05"), (.employee, "anna"), (.department, "salse")], "department"),
        ([(Field.date, "2026-11-28 14:05"), (.employee, "anna"), (.outcome, "wonn")], "outcome"),
    ])
    func refused(fields: [(Field, String)], field: String) {
        #expect(throws: RecordRejection.self) { try LogEntry(fields).validate(settings: testSettings(), valuation: valuation) }
        do { _ = try LogEntry(fields).validate(settings: testSettings(), valuation: valuation) } catch {
            #expect(error.field == field, "\(error)")
        }
    }

    @Test("unknown department names pass when the config could not be read")
    func withoutConfig() throws {
        let entry = LogEntry([(.date, "2026-11-28 14:05"), (.employee, "anna"), (.department, "einkauf")])
        #expect(try entry.validate(settings: testSettings(), valuation: nil).department == "einkauf")
    }

    @Test("file names are sortable and safe")
    func names() {
        #expect(LogEntry.fileName(at: 1_795_910_400, suffix: "x1") == "log-20261129-000000-x1.json")
    }
}
