import DialogCore
import Foundation
import Testing

/// Issue 14's open question (docs/roi.md "What ROI on attributed revenue compares"): the ROI
/// on attributed revenue sets the window's orders against the window's conversations' cost,
/// though the orders' touches may lie a lookback before the window. The pyramid and the report
/// say so, and warn when the window is shorter than the lookback.
@Suite("pyramid and report: what ROI on attributed revenue compares")
struct RevenueBasisTests {
    static let day = 86_400

    @Test("a touch before the window: its credit counts, its cost does not, and the pyramid and the report say so")
    func basisNamed() throws {
        let dir = TestDirectory("revenue-basis")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        // The touch is 40 days old (before a 30-day window, within the 90-day lookback); the
        // window's own conversation has no order.
        daemon.drop("talks.jsonl", [
            #"{"id":"t1","date":"\#(isoDate(-40 * Self.day))","employee":"sara","department":"sales","outcome":"lead","customer":"anna@example.com","duration":"10m"}"#,
            #"{"id":"t2","date":"\#(isoDate(-2 * Self.day))","employee":"sara","department":"sales","outcome":"lead","customer":"bob@example.com","duration":"10m"}"#,
        ].joined(separator: "\n") + "\n")
        daemon.drop("erp.orders.csv", "order_id,customer,date,amount\nA,anna@example.com,\(isoDate(-3600)),1000.00\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(ConversationDetail.self, "show", "t1").summary.attributedCents) == 1000_00 })

        let month = try daemon.ctlJSON(InCurrency<Pyramid>.self, "pyramid", "--window", "30d").value
        let revenue = try #require(month.executive.orderRevenue)
        // The figure as documented: all of the order's 1,000.00 against t2's cost alone.
        #expect(month.executive.figures.conversations == 1 && revenue.attributedCents == 1000_00)
        let cost = month.executive.figures.costCents
        #expect(cost > 0 && revenue.roi == Double(1000_00 - cost) / Double(cost))

        let text = try daemon.ctl("pyramid", "--window", "30d").stdout
        let basis = text.split(separator: "\n").first { $0.hasPrefix("revenue basis:") }.map(String.init) ?? ""
        #expect(basis.contains("orders dated in the window") && basis.contains("up to 90 days before") && basis.contains("cost of the window's conversations"), "\(text)")
        #expect(basis.contains("shorter than the lookback"), "a 30-day window with a 90-day lookback is warned about: \(basis)")
        let year = try daemon.ctl("pyramid", "--window", "365d").stdout
        let yearBasis = year.split(separator: "\n").first { $0.hasPrefix("revenue basis:") }.map(String.init) ?? ""
        #expect(yearBasis.contains("orders dated in the window") && !yearBasis.contains("shorter"), "\(yearBasis)")

        for (language, words) in [(DisplayLanguage.en, ["cost of the conversations dated in this period", "shorter than the lookback"]),
                                  (.de, ["Kosten der Gespräche dieses Zeitraums", "kürzer als der Rückblick"])] {
            let run = try daemon.ctl("report", "--window", "30d", "--lang", language.rawValue, "--out", dir.sub("report.html"))
            #expect(run.status == 0, "\(run.stderr)")
            let html = dir.read("report.html") ?? ""
            for w in words { #expect(html.contains(w), "\(language): \(w)") }
        }
    }
}
