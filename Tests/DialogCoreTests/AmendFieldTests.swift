import Testing
@testable import DialogCore

/// The `amends` field (issue 19): its spellings, its id, and what is not content.
@Suite struct AmendFieldTests {
    static let body = "Datum: 2026-11-28 14:05\nMitarbeiter: anna\n\nText\n"

    @Test("Amends/Korrigiert/Berichtigt/Ersetzt set amends and the id; amends is not content")
    func spellings() throws {
        let plain = try read("Id: crm-7\n" + Self.body, "a.conv").records[0].record
        for header in ["Amends: crm-7", "KORRIGIERT: crm-7", "berichtigt: crm-7", "Ersetzt: crm-7"] {
            let r = try read(header + "\n" + Self.body, "a.conv").records[0].record
            #expect(r.amends == "crm-7" && r.id == "crm-7", "\(header)")
            #expect(RecordCanonicalForm.bytes(of: r) == RecordCanonicalForm.bytes(of: plain), "\(header)")
            #expect(RecordKey.make(for: r) == "id:crm-7")
        }
        let json = try read("{\"amends\": 7, \"date\": \"2026-11-28 14:05\", \"employee\": \"anna\"}", "a.json").records[0].record
        #expect(json.amends == "7" && json.id == "7")
    }

    @Test("an amend whose own id differs, or an amends with a space, is refused with the field")
    func refused() {
        let other = #expect(throws: RecordRejection.self) { try read("Id: 8\nAmends: 7\n" + Self.body, "a.conv") }
        #expect(other?.field == "amends" && other?.description.contains("the record's own id \"8\"") == true, "\(String(describing: other))")
        let spaced = #expect(throws: RecordRejection.self) { try read("Amends: a b\n" + Self.body, "a.conv") }
        #expect(spaced?.field == "amends", "\(String(describing: spaced))")
    }

    @Test("differences name the fields a writer changed, comparing text by bytes")
    func differences() {
        let a = ConversationRecord(id: "7", date: 100, employee: "anna", department: "sales", valueCents: 500, currency: "EUR", text: "caf\u{E9}")
        var b = a
        #expect(RecordContent.isSame(a, b) && RecordContent.differences(a, b).isEmpty)
        b.text = "cafe\u{301}"
        b.utcOffsetSeconds = 3600
        b.currency = nil
        b.extras = ["ticket": "T-1"]
        #expect(!RecordContent.isSame(a, b))
        #expect(RecordContent.differences(a, b) == ["date", "value", "text", "other fields"])
    }
}
