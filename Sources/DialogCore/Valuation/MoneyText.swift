/// The language figures are written in for people (`[display] language`).
public enum DisplayLanguage: String, Sendable, Codable, CaseIterable {
    case en, de
}

/// Integer cents as people read them: `1,234.50 EUR` in English, `1.234,50 EUR` in German.
/// Pure string work, no Foundation locale: the output must not depend on the machine's locale.
public enum MoneyText {
    public static func format(_ cents: Int64, currency: String?, language: DisplayLanguage = .en) -> String {
        let (group, decimal): (Character, Character) = language == .de ? (".", ",") : (",", ".")
        let magnitude = cents.magnitude
        var grouped = ""
        for (index, digit) in String(magnitude / 100).reversed().enumerated() {
            if index > 0, index % 3 == 0 { grouped.append(group) }
            grouped.append(digit)
        }
        let fraction = magnitude % 100
        let number = (cents < 0 ? "-" : "") + String(grouped.reversed()) + String(decimal) + (fraction < 10 ? "0" : "") + String(fraction)
        return currency.map { number + " " + $0 } ?? number
    }
}
