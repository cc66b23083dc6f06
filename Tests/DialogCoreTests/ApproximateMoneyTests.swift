import Testing
@testable import DialogCore

/// `Wert: ca. 500 €` and its kin (issue 18 item 9): the amount is taken and the record kept,
/// with a warning naming the line, instead of quarantining the whole file.
@Suite struct ApproximateMoneyTests {
    @Test(arguments: [
        ("ca. 500 €", 50_000, "EUR"), ("ca 500", 50_000, nil), ("~500 €", 50_000, "EUR"), ("~ 500", 50_000, nil),
        ("approx. 500", 50_000, nil), ("approx 1,200.50 EUR", 120_050, "EUR"), ("etwa 500 €", 50_000, "EUR"),
        ("Ca. 1.200,00 €", 120_000, "EUR"), ("circa 80", 8000, nil), ("≈ 500 €", 50_000, "EUR"), ("about 500", 50_000, nil),
        ("ungefähr 500 €", 50_000, "EUR"), ("rund 500 €", 50_000, "EUR"),
    ] as [(String, Int64, String?)])
    func approximate(text: String, cents: Int64, currency: String?) {
        #expect(MoneyParser.parse(text) == ParsedMoney(cents: cents, currency: currency, approximate: true))
    }

    @Test("an exact amount is not approximate; a marker alone or twice is no amount")
    func exact() {
        #expect(MoneyParser.parse("500 €") == ParsedMoney(cents: 50_000, currency: "EUR"))
        for text in ["ca.", "~", "ca. ~500", "ca. abc", "500 ca."] { #expect(MoneyParser.parse(text) == nil, "\(text)") }
    }

    @Test("a record with an approximate value is kept, with a warning naming its line and field")
    func kept() throws {
        let file = try read("Datum: 2026-11-28 14:05\nMitarbeiter: anna\nWert: ca. 500 €\n\nText\n", "a.conv")
        #expect(file.records.first?.record.valueCents == 50_000)
        #expect(file.warnings.count == 1)
        let warning = try #require(file.warnings.first)
        #expect(warning.contains("line 3") && warning.contains("value") && warning.contains("ca. 500 €") && warning.contains("500.00"), "\(warning)")

        let lines = (1...30).map { i in jsonRecord(#""id": "r\#(i)", "value": "~\#(i)0 €""#) }.joined(separator: "\n") + "\n"
        let many = try read(lines, "b.jsonl")
        #expect(many.records.count == 30 && many.rejects.isEmpty)
        #expect(many.warnings.count <= 11, "a long file's warnings are summed up, not one line each: \(many.warnings.count)")
        #expect(many.warnings.last?.contains("30") == true, "\(many.warnings)")
    }
}
