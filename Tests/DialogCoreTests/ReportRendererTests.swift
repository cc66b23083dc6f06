import Foundation
import Testing
@testable import DialogCore

/// The manager's page as a pure function: money per language, figures tagged with their
/// source, a page with no scripts or external assets.
@Suite("Report renderer")
struct ReportRendererTests {
    @Test("money, numbers and percentages per language, from integer cents")
    func money() {
        #expect(MoneyText.format(123_450, currency: "EUR", language: .de) == "1.234,50\u{00A0}€")
        #expect(MoneyText.format(123_450, currency: "EUR", language: .en) == "€1,234.50")
        #expect(MoneyText.format(-5, currency: "EUR", language: .en) == "−€0.05")
        #expect(MoneyText.format(-100_000_000, currency: "EUR", language: .de) == "−1.000.000,00\u{00A0}€")
        #expect(MoneyText.format(99_950, currency: "CHF", language: .en) == "CHF\u{00A0}999.50")
        #expect(MoneyText.format(149_950, currency: "EUR", language: .de, wholeUnits: true) == "1.500\u{00A0}€")
        #expect(MoneyText.format(Int64.min + 1, currency: "EUR", language: .en).hasPrefix("−€92,233,720,368,547,758."))
        #expect(MoneyText.decimal(-123_405, mark: ",") == "-1234,05")
        #expect(MoneyText.percent(0.1234, .de) == "12,3\u{00A0}%")
        #expect(MoneyText.percent(-0.0004, .en) == "0.0%" || MoneyText.percent(-0.0004, .en) == "−0.0%")
        #expect(MoneyText.percent(1.5, .en, signed: true) == "+150.0%")
        #expect(MoneyText.percent(nil, .en) == "–")
    }

    @Test("RFC 3339 and calendar days from Unix seconds, before and after 1970")
    func dates() {
        #expect(RFC3339.string(1_795_910_400, offset: 0) == "2026-11-29T00:00:00Z")
        #expect(RFC3339.string(1_795_910_400, offset: 3600) == "2026-11-29T01:00:00+01:00")
        #expect(RFC3339.string(-1, offset: -9000) == "1969-12-31T21:29:59-02:30")
        #expect(RFC3339.string(951_782_400, offset: 0) == "2000-02-29T00:00:00Z")
    }

    @Test("dated report names; only the newest N of them survive, other files never")
    func archive() {
        #expect(ReportArchive.fileName(at: 1_795_910_400) == "report-2026-11-29.html")
        let names = ["report-2026-11-01.html", "notes.txt", "report-2026-11-15.html", "report-2026-11-08.html", "report-latest.html", "report-2026-11-22.html"]
        #expect(ReportArchive.expired(names, keep: 2) == ["report-2026-11-01.html", "report-2026-11-08.html"])
        #expect(ReportArchive.expired(names, keep: 10).isEmpty)
    }

    static func sums(_ n: Int64, seconds: Int64, cost: Int64, value: Int64) -> RoiSums {
        var s = RoiSums()
        s.conversations = n; s.seconds = seconds; s.costCents = cost; s.valueCents = value
        s.positive = n / 2; s.neutral = n - n / 2
        return s
    }

    static func sample(_ language: DisplayLanguage) -> ReportData {
        let window = TimeSpan(since: 1_793_318_400, until: 1_795_910_400)
        let outcomes = [
            AggregateCell(department: "sales", label: "won", sums: sums(2, seconds: 7200, cost: 11_100, value: 500_000)),
            AggregateCell(department: "service", label: "resolved", sums: sums(3, seconds: 3600, cost: 4_150, value: 9_000)),
            AggregateCell(department: nil, label: nil, sums: sums(1, seconds: 720, cost: 950, value: 0)),
        ]
        let channels = [
            AggregateCell(department: "sales", label: "xing", sums: sums(2, seconds: 7200, cost: 11_100, value: 500_000)),
            AggregateCell(department: "service", label: "email", sums: sums(3, seconds: 3600, cost: 4_150, value: 9_000)),
            AggregateCell(department: nil, label: "chat <&>", sums: sums(1, seconds: 720, cost: 950, value: 0)),
        ]
        let pyramid = Pyramid(window: window, previousWindow: TimeSpan(since: window.since - 2_592_000, until: window.since),
                              outcomes: outcomes, channels: channels, previous: sums(1, seconds: 60, cost: 100, value: 250_000),
                              activity: [], employeeFigures: .off, callCenterContactCostCents: 650)
        let periods = ReportData.periodSpans(endingWith: window, count: 12).enumerated().map { k, span in
            ReportData.Period(span: span, figures: RoiFigures(sums(Int64(k), seconds: 60, cost: 100 * Int64(k), value: 300 * Int64(k) - 500)))
        }
        return ReportData(language: language, currency: "EUR", generatedAt: 1_795_910_400, windowName: "30d", pyramid: pyramid,
                          periods: periods, periodSource: "12 × roi", outcomes: [RoiRow(key: "won", figures: RoiFigures(outcomes[0].sums))],
                          channels: [], classification: .init(conversations: 6, awaitingReview: 1), valuationStale: true)
    }

    /// `data-k` / `data-v` / visible text of every tagged figure.
    static func figures(_ html: String) -> [(key: String, raw: String, text: String)] {
        let pattern = try! NSRegularExpression(pattern: #"class="fig[^"]*" data-k="([^"]*)" data-v="([^"]*)">([^<]*)</t?span>"#)
        return pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { m in
            let s = { (i: Int) in String(html[Range(m.range(at: i), in: html)!]) }
            return (s(1), s(2), s(3).replacingOccurrences(of: "&amp;", with: "&"))
        }
    }

    @Test("every money figure shows its tagged cents in the page's language", arguments: DisplayLanguage.allCases)
    func taggedFigures(language: DisplayLanguage) throws {
        let html = ReportRenderer.render(Self.sample(language))
        let figures = Self.figures(html)
        #expect(figures.count > 30)
        for f in figures where f.key.hasSuffix("_cents") {
            if f.raw == "null" { #expect(f.text == "–"); continue }
            let cents = try #require(Int64(f.raw), "\(f.key)")
            #expect(f.text == MoneyText.format(cents, currency: "EUR", language: language), "\(f.key)")
        }
        let value = try #require(figures.first { $0.key == "executive.figures.value_cents" })
        #expect(value.raw == "509000")
        #expect(figures.contains { $0.key == "practitioners.awaiting_review" && $0.raw == "1" })
        #expect(figures.contains { $0.key == "periods.11.net_cents" && $0.raw == "1700" })
    }

    @Test("one self-contained page: no scripts, no external assets, text escaped, A4 print rules")
    func selfContained() {
        for language in DisplayLanguage.allCases {
            let html = ReportRenderer.render(Self.sample(language))
            #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<html lang=\"\(language.rawValue)\">"))
            #expect(!html.lowercased().contains("<script") && !html.contains("src=") && !html.contains("href=") && !html.contains("url("))
            #expect(!html.contains("chat <&>") && html.contains("chat &lt;&amp;&gt;"))
            #expect(html.contains("@page { size: A4") && html.contains("@media print"))
            #expect(html.contains("<svg class=\"chart trend\"") && html.contains("<svg class=\"chart pyramid\""))
            #expect(html.contains(language == .de ? "Wie die Zahlen entstehen" : "How these figures are made"))
            #expect(html.contains("class=\"warning\""))  // stale valuation is said
        }
    }

    @Test("a Content-Security-Policy meta tag forbids scripts, loads and forms; a channel named with a combining-mark quote stays inside its attribute")
    func contentSecurityPolicy() throws {
        var data = Self.sample(.en)
        let payload = "\"\u{301} style=display:block onfocus=alert(1) x=\""
        data.outcomes = [RoiRow(key: payload, figures: RoiFigures(Self.sums(1, seconds: 60, cost: 100, value: 200)))]
        let html = ReportRenderer.render(data)
        let meta = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">"
        #expect(html.contains(meta))
        let metaAt = try #require(html.range(of: meta)), styleAt = try #require(html.range(of: "<style>"))
        #expect(metaAt.lowerBound < styleAt.lowerBound, "before anything it governs")
        // Every '"' in the page is one the renderer wrote: the payload's shows as &quot;.
        let escaped = "&quot;\u{301} style=display:block onfocus=alert(1) x=&quot;"
        #expect(html.contains(escaped))
    }

    @Test("twelve periods of the window's length, ending with it")
    func periods() {
        let window = TimeSpan(since: 1000 * 3600, until: 1720 * 3600)
        let spans = ReportData.periodSpans(endingWith: window, count: 12)
        #expect(spans.count == 12 && spans.last == window)
        #expect(spans.first == TimeSpan(since: window.since - 11 * 720 * 3600, until: window.until - 11 * 720 * 3600))
        #expect(zip(spans, spans.dropFirst()).allSatisfy { $0.until == $1.since })
    }
}
