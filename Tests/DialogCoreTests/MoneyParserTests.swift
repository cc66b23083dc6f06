import Testing
@testable import DialogCore

@Suite struct MoneyParserTests {
    @Test(arguments: [
        ("1200", 120_000, nil), ("1,200.50", 120_050, nil), ("1200.50", 120_050, nil), ("1.200,50 €", 120_050, "EUR"),
        ("1.200,00 €", 120_000, "EUR"), ("EUR 1200", 120_000, "EUR"), ("1200 EUR", 120_000, "EUR"), ("€1,200", 120_000, "EUR"),
        ("-50", -5000, nil), ("-50 €", -5000, "EUR"), ("€ -50", -5000, "EUR"), ("1.200", 120_000, nil), ("1,200", 120_000, nil),
        ("1,5", 150, nil), ("1.5", 150, nil), ("0,99 €", 99, "EUR"), ("1.234.567,89", 123_456_789, nil),
        ("1,234,567.89", 123_456_789, nil), ("50,- €", 5000, "EUR"), ("$20", 2000, "USD"), ("20 usd", 2000, "USD"),
        ("12 Euro", 1200, "EUR"), ("1 200", 120_000, nil), ("1'200.50", 120_050, nil), (".50", 50, nil),
    ] as [(String, Int64, String?)])
    func accepted(text: String, cents: Int64, currency: String?) {
        #expect(MoneyParser.parse(text) == ParsedMoney(cents: cents, currency: currency))
    }

    @Test(arguments: [
        "", "abc", "1e308", "NaN", "inf", String(repeating: "9", count: 40), "1.2345", "1,200.5.0", "12,34,567",
        "1.200,500", "--5", "5 EUR EUR", "EUR", "1,2,3", "1.20.00", "9223372036854775807",
    ])
    func rejected(text: String) {
        #expect(MoneyParser.parse(text) == nil)
    }

    @Test(arguments: [
        (#""value": "1200 USD""#, "a value in EUR"),
        (#""value": "$5""#, "a value in EUR"),
        (#""value": "1e308""#, MoneyParser.expected),
        (#""value": "12,345""#, nil),
        (#""value": "99999999999""#, "a value of at most 100000000 EUR"),
        (#""value": 1e308"#, "an amount in currency units with at most 2 decimals, like 1200.50"),
        (#""value": true"#, "text or a number"),
        (#""value": 12.345"#, "an amount in currency units with at most 2 decimals, like 1200.50"),
    ] as [(String, String?)])
    func recordValueChecks(member: String, expected: String?) {
        let r = rejection(jsonRecord(member), "a.json")
        #expect(r?.expected == expected)
        if expected != nil { #expect(r?.field == "value") }
    }

    @Test func jsonNumberValueIsUnits() throws {
        let r = try read(jsonRecord(#""value": 1200.5"#), "a.json").records[0].record
        #expect(r.valueCents == 120_050 && r.currency == "EUR")
        #expect(try read(jsonRecord(#""value": 1.200"#), "a.json").records[0].record.valueCents == 120)
        #expect(try read(jsonRecord(#""value": -50"#), "a.json").records[0].record.valueCents == -5000)
    }
}
