/// The language figures are written in for people (`[display] language`, `report --lang`).
public enum DisplayLanguage: String, Sendable, Codable, CaseIterable {
    case de, en
}

/// Money and numbers as a German or English reader expects them — `1.234,50 €` or `€1,234.50` —
/// from integer cents, never through floating point.
public enum MoneyText {
    static let symbols = ["EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "CHF": "CHF"]

    /// `1.234,50 €` (de), `€1,234.50` (en); a currency without a symbol is written as its code.
    /// `wholeUnits` rounds to whole units (half away from zero), for chart axes.
    public static func format(_ cents: Int64, currency: String, language: DisplayLanguage, wholeUnits: Bool = false) -> String {
        let number = wholeUnits ? grouped(roundedUnits(cents), language) : amount(cents, language)
        let sign = number.hasPrefix("-") ? "−" : ""
        let digits = number.hasPrefix("-") ? String(number.dropFirst()) : number
        let symbol = symbols[currency.uppercased()] ?? currency.uppercased()
        switch language {
        case .de: return "\(sign)\(digits)\u{00A0}\(symbol)"
        case .en: return symbol.count == 1 ? "\(sign)\(symbol)\(digits)" : "\(sign)\(symbol)\u{00A0}\(digits)"
        }
    }

    /// `1.234,50 EUR` / `1,234.50 EUR`: terminal tables, where the ISO code lines up in columns.
    public static func plain(_ cents: Int64, currency: String?, language: DisplayLanguage) -> String {
        let number = amount(cents, language)
        return currency.map { number + " " + $0 } ?? number
    }

    /// `-1.234,50` / `-1,234.50`: grouped digits and two decimals.
    public static func amount(_ cents: Int64, _ language: DisplayLanguage) -> String {
        let magnitude = cents.magnitude
        let fraction = magnitude % 100
        let units = grouped(Int64(clamping: magnitude / 100), language)
        return (cents < 0 ? "-" : "") + units + (language == .de ? "," : ".") + (fraction < 10 ? "0" : "") + String(fraction)
    }

    /// A whole number with thousands grouped: `12.345` / `12,345`.
    public static func grouped(_ n: Int64, _ language: DisplayLanguage) -> String {
        let separator: Character = language == .de ? "." : ","
        var out = ""
        for (index, digit) in String(n.magnitude).reversed().enumerated() {
            if index > 0, index % 3 == 0 { out.append(separator) }
            out.append(digit)
        }
        return (n < 0 ? "-" : "") + String(out.reversed())
    }

    /// Plain decimal for spreadsheets, no grouping: `-1234.50`, or `-1234,50` with `mark` ",".
    public static func decimal(_ cents: Int64, mark: Character) -> String {
        let magnitude = cents.magnitude
        let fraction = magnitude % 100
        return (cents < 0 ? "-" : "") + String(magnitude / 100) + String(mark) + (fraction < 10 ? "0" : "") + String(fraction)
    }

    /// A ratio as a percentage with one decimal: `12,5 %` / `12.5%`; `–` when unknown.
    public static func percent(_ ratio: Double?, _ language: DisplayLanguage, signed: Bool = false) -> String {
        guard let ratio, ratio.isFinite else { return "–" }
        let tenths = Int64((ratio * 1000).rounded())
        let sign = tenths < 0 ? "−" : (signed && tenths > 0 ? "+" : "")
        let whole = grouped(Int64(tenths.magnitude / 10), language)
        let text = whole + (language == .de ? "," : ".") + String(tenths.magnitude % 10)
        return sign + text + (language == .de ? "\u{00A0}%" : "%")
    }

    static func roundedUnits(_ cents: Int64) -> Int64 {
        cents >= 0 ? (cents + 50) / 100 : -((-cents + 50) / 100)
    }
}
