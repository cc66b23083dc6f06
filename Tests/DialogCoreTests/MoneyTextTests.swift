import DialogCore
import Testing

@Suite("Money text")
struct MoneyTextTests {
    @Test("English and German grouping and decimal marks, signs, small and large amounts", arguments: [
        (0, "EUR", DisplayLanguage.en, "0.00 EUR"),
        (5, "EUR", .en, "0.05 EUR"),
        (-5, "EUR", .de, "-0,05 EUR"),
        (1_015_75, "EUR", .en, "1,015.75 EUR"),
        (1_015_75, "EUR", .de, "1.015,75 EUR"),
        (-123_456_789_00, "USD", .en, "-123,456,789.00 USD"),
        (-123_456_789_00, "USD", .de, "-123.456.789,00 USD"),
        (99_999, nil, .de, "999,99"),
    ] as [(Int64, String?, DisplayLanguage, String)])
    func format(cents: Int64, currency: String?, language: DisplayLanguage, expected: String) {
        #expect(MoneyText.plain(cents, currency: currency, language: language) == expected)
    }

    @Test("the most negative amount does not trap")
    func extremes() {
        #expect(MoneyText.plain(Int64.min, currency: nil, language: .en) == "-92,233,720,368,547,758.08")
    }
}
