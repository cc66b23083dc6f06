/// Formats figures for the page and tags each with its source key and raw value
/// (`data-k`, `data-v`), so a test can check every number against the daemon's answers.
struct ReportFormatter {
    let language: DisplayLanguage
    let currency: String

    func money(_ cents: Int64) -> String { MoneyText.format(cents, currency: currency, language: language) }
    func axisMoney(_ cents: Int64) -> String { MoneyText.format(cents, currency: currency, language: language, wholeUnits: true) }
    func percent(_ ratio: Double?, signed: Bool = false) -> String { MoneyText.percent(ratio, language, signed: signed) }
    func count(_ n: Int64) -> String { MoneyText.grouped(n, language) }

    /// `<span class="fig …" data-k=key data-v=raw>text</span>`
    func figure(_ key: String, _ raw: String, _ text: String, tag: String = "span", classes: String = "") -> String {
        "<\(tag) class=\"fig\(classes.isEmpty ? "" : " " + classes)\" data-k=\"\(Escape.htmlAttribute(key))\" data-v=\"\(Escape.htmlAttribute(raw))\">\(Escape.htmlText(text))</\(tag)>"
    }

    func moneyFigure(_ key: String, _ cents: Int64, classes: String = "") -> String {
        figure(key, String(cents), money(cents), classes: classes + (cents < 0 ? " neg" : ""))
    }

    func ratioFigure(_ key: String, _ ratio: Double?, signed: Bool = false, classes: String = "") -> String {
        figure(key, ratio.map { String($0) } ?? "null", percent(ratio, signed: signed), classes: classes)
    }

    func countFigure(_ key: String, _ n: Int64) -> String { figure(key, String(n), count(n)) }

    /// `28.11.2026` / `Nov 28, 2026`, or without the year.
    func day(_ seconds: Int64, year: Bool = true) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let (y, m, d) = CivilTime.civil(fromDays: days)
        switch language {
        case .de: return "\(RFC3339.pad(d, 2)).\(RFC3339.pad(m, 2))." + (year ? String(y) : "")
        case .en:
            let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
            return "\(names[Int(m) - 1]) \(d)" + (year ? ", \(y)" : "")
        }
    }

    /// A window `[since, until)` as the days it covers (UTC): its last day is until − 1 s.
    func span(_ s: TimeSpan) -> String {
        let hours = s.since % 86_400 != 0 || s.until % 86_400 != 0
        let time = { (t: Int64) in hours ? " " + RFC3339.pad((t % 86_400 + 86_400) % 86_400 / 3600, 2) + ":00" : "" }
        let last = hours ? s.until : s.until - 1
        return day(s.since) + time(s.since) + " – " + day(last) + time(s.until) + (hours ? " UTC" : "")
    }
}
