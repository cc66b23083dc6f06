import DialogCore
import Foundation

/// Money and ratios for people, in the daemon's `[display] language` (English when the reply
/// does not say). One value per reply, so every cell of a table agrees.
struct Numbers {
    var language: DisplayLanguage
    var currency: String?

    init(language: DisplayLanguage?, currency: String?) {
        self.language = language ?? .en
        self.currency = currency
    }

    func money(_ cents: Int64) -> String { MoneyText.plain(cents, currency: currency, language: language) }

    /// For rows that carry their own currency.
    func money(_ cents: Int64, currency: String?) -> String { MoneyText.plain(cents, currency: currency, language: language) }

    func percent(_ ratio: Double?) -> String {
        guard let ratio, ratio.isFinite else { return "-" }
        return localized(String(format: "%.1f%%", ratio * 100))
    }

    func signedPercent(_ ratio: Double?) -> String {
        guard let ratio, ratio.isFinite else { return "n/a" }
        return localized(String(format: "%+.1f%%", ratio * 100))
    }

    func decimal(_ value: Double, places: Int) -> String { localized(String(format: "%.\(places)f", value)) }

    private func localized(_ text: String) -> String {
        language == .de ? text.replacingOccurrences(of: ".", with: ",") : text
    }
}
