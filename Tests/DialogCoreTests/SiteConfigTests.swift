@testable import DialogCore
import Testing

/// `[site]` (issue 19, README "Many sites"): a short token naming the site, and how shipped
/// copies are counted.
@Suite("Site configuration")
struct SiteConfigTests {
    @Test("[site] id takes a short lowercase token; anything else is refused naming the form")
    func siteID() throws {
        let config = try DialogConfig.parse("[site]\nid = berlin-2\nshipped_figures = Recomputed\n")
        #expect(config.site.id == "berlin-2" && config.site.resolvedID == "berlin-2")
        #expect(config.site.shippedFigures == .recomputed)
        for bad in ["Berlin", "-x", "a b", "a/b", "site:x", String(repeating: "a", count: 33), "münchen"] {
            do {
                _ = try DialogConfig.parse("[site]\nid = \(bad)\n")
                Issue.record("\(bad) must be refused")
            } catch {
                #expect(error.description.contains("site.id") && error.description.contains("lowercase"), "\(error)")
            }
        }
        #expect(throws: ConfigError.self) { try DialogConfig.parse("[site]\nshipped_figures = maybe\n") }
    }

    @Test("the default id is the host name's first label, lowercased, or local")
    func hostDefault() {
        #expect(SiteID.fromHostName("Berlin-01.example.com") == "berlin-01")
        #expect(SiteID.fromHostName("") == "local")
        #expect(SiteID.fromHostName("host_with space") == "local")
        #expect(SiteID.isValid(SiteID.hostDefault))
        #expect(DialogConfig(layout: .system).site.resolvedID == SiteID.hostDefault)
    }

    @Test("a dialogd object with site and revision makes a shipped copy; an older export's is ignored; a malformed one is refused")
    func shippedCopyParsing() throws {
        let reader = RecordReader(settings: ParseSettings(timeZone: .gmt, currency: "EUR", now: 1_795_000_000))
        let line = #"{"id":"7","date":"2026-11-20T10:00:00Z","employee":"anna","department":"sales","outcome":"won","value":"12.00 EUR","#
        let shipped = try reader.read(Array((line + #""dialogd":{"site":"north","revision":4,"key":"id:7","department_counted":"sales","outcome_counted":"won","duration_s_counted":600,"cost_cents":1000,"value_cents_counted":1200,"labels":{"department":{"label":"sales","source":"review","confidence":1}}}}"#).utf8), fileName: "x.jsonl")
        let record = try #require(shipped.records.first?.record)
        #expect(record.shipped?.site == "north" && record.shipped?.revision == 4 && record.shipped?.key == "id:7")
        #expect(record.shipped?.priced == PricedConversation(department: "sales", outcome: "won", durationSeconds: 600, costCents: 1000, valueCents: 1200))
        #expect(record.shipped?.labels.department?.source == .review)
        #expect(record.extras.isEmpty, "the dialogd object is no extra field")
        let older = try reader.read(Array((line + #""dialogd":{"row_id":3,"key":"id:7","cost_cents":1000}}"#).utf8), fileName: "x.jsonl")
        #expect(older.records.first?.record.shipped == nil && older.records.first?.record.extras.isEmpty == true)
        for bad in [#""dialogd":{"site":"North","revision":4}"#, #""dialogd":{"site":"north","revision":0}"#,
                    #""dialogd":{"site":"north","revision":2,"key":"id:8"}"#, #""dialogd":"text""#] {
            // The file's only record refused: the whole file is, naming the field.
            do {
                _ = try reader.read(Array((line + bad + "}").utf8), fileName: "x.jsonl")
                Issue.record("\(bad) must be refused")
            } catch {
                #expect(error.field == "dialogd", "\(bad): \(error)")
            }
        }
    }
}
