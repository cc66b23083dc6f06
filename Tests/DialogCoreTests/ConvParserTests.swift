import Testing
@testable import DialogCore

@Suite struct ConvParserTests {
    static let designExample = """
        Datum: 2026-11-28 14:05
        Mitarbeiter: anna.schmidt
        Kanal: xing
        Kunde: @kunde123
        Dauer: 25m
        Ergebnis: lead
        Wert: 1.200,00 €

        Kunde fragt nach einem Angebot für 40 Lizenzen; Pilot im Januar vereinbart.

        """

    @Test func designExampleGerman() throws {
        let file = try read(Self.designExample, "anna.conv")
        #expect(file.records.count == 1 && file.rejects.isEmpty && file.warnings.isEmpty)
        let r = file.records[0].record
        #expect(r.date == 1_795_871_100)  // 14:05 CET = 13:05Z
        #expect(r.utcOffsetSeconds == 3600)
        #expect(r.employee == "anna.schmidt")
        #expect(r.channel == "xing")
        #expect(r.customer == "@kunde123")
        #expect(r.durationSeconds == 1500)
        #expect(r.outcome == "lead")
        #expect(r.valueCents == 120_000)
        #expect(r.currency == "EUR")
        #expect(r.text == "Kunde fragt nach einem Angebot für 40 Lizenzen; Pilot im Januar vereinbart.")
    }

    @Test func englishWithBOMAndCRLF() throws {
        let text = "\u{FEFF}Date: Sat, 28 Nov 2026 14:05:00 +0100\r\nEmployee: john.doe\r\nChannel: X\r\n"
            + "Response-Time: 2h\r\nSatisfaction: 4/5\r\nSentiment: Positive\r\nTags: Campaign-X, b2b, campaign-x\r\n"
            + "Department: Customer Service\r\nCRM-Ticket: 4711\r\n\r\nCustomer asked about pricing.\r\n"
        let r = try read(text, "john.txt").records[0].record
        #expect(r.date == 1_795_871_100 && r.utcOffsetSeconds == 3600)
        #expect(r.channel == "twitter")
        #expect(r.responseTimeSeconds == 7200)
        #expect(r.satisfaction == 4)
        #expect(r.sentiment == "positive")
        #expect(r.tags == ["campaign-x", "b2b"])
        #expect(r.department == "customer_service")
        #expect(r.extras == ["CRM-Ticket": "4711"])  // extra names as written (issue 12)
        #expect(r.text == "Customer asked about pricing.")
    }

    @Test func foldedHeaderContinues() throws {
        let r = try read("Date: 2026-11-28 14:05\nEmployee: anna\nSubject: Angebot für\n  40 Lizenzen\n\nText", "a.conv").records[0].record
        #expect(r.subject == "Angebot für 40 Lizenzen")
    }

    @Test func headersOnlyWithoutBody() throws {
        let r = try read("Date: 2026-11-28 14:05\nEmployee: anna\n", "a.conv").records[0].record
        #expect(r.text == nil && r.channel == "unknown")
    }

    @Test func headerWithoutColonNamesItsLine() {
        let r = rejection("Datum: 2026-11-28 14:05\nMitarbeiter: anna\nKunde fragt nach\n\nText", "a.conv")
        #expect(r?.line == 3)
        #expect(r?.expected.contains("`Key: value`") == true)
        #expect(r?.found == "\"Kunde fragt nach\"")
    }

    @Test func plainTextWithoutHeadersIsRejected() {
        #expect(rejection("Just some notes about a call.\n", "a.txt")?.line == 1)
    }

    @Test func tenThousandHeadersAreRejected() {
        var text = "Date: 2026-11-28 14:05\nEmployee: anna\n"
        for k in 0..<10_000 { text += "X-Extra-\(k): v\n" }
        let r = rejection(text, "a.conv")
        #expect(r?.expected == "at most 100 header lines")
        #expect(r?.line == 101)
    }

    @Test func duplicateHeaderNamesBothLines() {
        let r = rejection("Date: 2026-11-28 14:05\nEmployee: anna\nMitarbeiter: bob\n", "a.conv")
        #expect(r?.line == 3)
        #expect(r?.field == "employee")
        #expect(r?.expected.contains("line 2") == true)
    }

    @Test func overlongHeaderLineIsRejected() {
        let settings = testSettings { $0.maxFieldBytes = 100 }
        let r = rejection("Date: 2026-11-28 14:05\nSubject: " + String(repeating: "x", count: 200) + "\nEmployee: a\n", "a.conv", settings: settings)
        #expect(r?.line == 2)
    }

    @Test func missingEmployeeIsRejected() {
        let r = rejection("Date: 2026-11-28 14:05\nKanal: xing\n\nHallo", "a.conv")
        #expect(r?.field == "employee")
    }

    @Test func fieldErrorNamesTheHeaderLine() {
        let r = rejection("Datum: 2026-11-28 14:05\nMitarbeiter: anna\nDauer: -5m\n", "a.conv")
        #expect(r?.line == 3)
        #expect(r?.description == "line 3: field \"duration\": expected a duration that is not negative, found \"-5m\"")
    }

    @Test func decadesOffDateIsRejected() {
        let r = rejection("Datum: 1996-11-28 14:05\nMitarbeiter: anna\n", "a.conv")
        #expect(r?.field == "date")
        #expect(r?.expected == "a date within 3650 days before and 2 days after now")
    }

    @Test func textHeaderAndBodyConflict() {
        #expect(rejection("Date: 2026-11-28 14:05\nEmployee: a\nText: one\n\ntwo", "a.conv")?.field == "text")
    }

    @Test func badSentimentIsRejected() {
        #expect(rejection("Date: 2026-11-28 14:05\nEmployee: a\nStimmung: super\n", "a.conv")?.field == "sentiment")
    }

    @Test func germanSentimentIsAccepted() throws {
        #expect(try read("Date: 2026-11-28 14:05\nEmployee: a\nStimmung: Negativ\n", "a.conv").records[0].record.sentiment == "negative")
    }
}
