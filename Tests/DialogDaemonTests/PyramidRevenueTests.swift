import DialogCore
import Foundation
import Testing

/// Revenue from orders beside the logged value in `pyramid`, `kpi` and the report (issue 14),
/// through the real daemon, spool, SQLite file and dialogctl: figures only where they apply,
/// each one the same as `roi --json` gives, customer conversion counted exactly.
@Suite("pyramid and kpi: order revenue and customer conversion")
struct PyramidRevenueTests {
    static let day = 86_400

    static func conversation(_ id: String, _ days: Int, _ department: String, customer: String?) -> String {
        let who = customer.map { #","customer":"\#($0)""# } ?? ""
        return #"{"id":"\#(id)","date":"\#(isoDate(days * day))","employee":"sara","department":"\#(department)","outcome":"lead","channel":"email","duration":"10m"\#(who)}"#
    }

    /// docs/roi.md "Customer conversion", worked example: lookback 10 days.
    static func seedWorkedExample(_ daemon: DaemonProcess) {
        daemon.drop("talks.jsonl", [
            conversation("a1", -20, "sales", customer: "anna@example.com"),
            conversation("b1", -12, "service", customer: "bob@example.com"),
            conversation("c1", -5, "sales", customer: "Carol@Example.com"),
            conversation("c2", -3, "service", customer: "carol@example.com"),
            conversation("d1", -4, "marketing", customer: "dan@example.com"),
            conversation("h1", -8, "service", customer: "hans@example.com"),
            conversation("n1", -6, "service", customer: nil),
            conversation("f1", -40, "sales", customer: "frank@example.com"),
        ].joined(separator: "\n") + "\n")
        daemon.drop("erp.orders.csv", "order_id,customer,date,amount\n"
            + "A,anna@example.com,\(isoDate(-15 * day)),100.00\n"
            + "B,bob@example.com,\(isoDate(-1 * day)),80.00\n"
            + "C,carol@example.com,\(isoDate(-2 * day)),50.00\n"
            + "D,dan@example.com,\(isoDate(-1 * day)),-20.00\n"
            + "H,hans@example.com,\(isoDate(-10 * day)),30.00\n"
            + "F,frank@example.com,\(isoDate(-35 * day)),60.00\n")
    }

    /// The value of a `label:  value` line of dialogctl's text output.
    static func line(_ label: String, in text: String) -> String? {
        text.split(separator: "\n").first { $0.hasPrefix(label + ":") }.map { $0.dropFirst(label.count + 1).trimmingCharacters(in: .whitespaces) }
    }

    /// dialogctl's English percentage: one decimal.
    static func percent(_ ratio: Double?) -> String { ratio.map { String(format: "%.1f%%", $0 * 100) } ?? "-" }

    static func json(_ daemon: DaemonProcess, _ arguments: String...) throws -> [String: Any] {
        let run = try runDialogctl(["--socket", daemon.socketPath, "--json"] + arguments)
        #expect(run.status == 0, "\(arguments): \(run.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    }

    @Test("kpi: conversion of the worked example to the exact count, overall, per department and filtered")
    func conversionWorkedExample() throws {
        let dir = TestDirectory("conversion")
        let daemon = try DaemonProcess(directory: dir, settings: ["attribution.lookback": "10d"]).start()
        defer { daemon.stop() }
        Self.seedWorkedExample(daemon)
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 8 })

        let kpi = try daemon.ctlJSON(InCurrency<KpiResult>.self, "kpi", "--window", "30d").value
        let lookback = Int64(10 * Self.day)
        var expected = CustomerConversion(customers: 5, ordered: 2, lookbackSeconds: lookback)
        #expect(kpi.kpis.customerConversion == expected, "\(String(describing: kpi.kpis.customerConversion))")
        #expect(expected.rate == 0.4)
        #expect(kpi.customerConversionByDepartment == [
            "sales": CustomerConversion(customers: 2, ordered: 2, lookbackSeconds: lookback),
            "service": CustomerConversion(customers: 3, ordered: 1, lookbackSeconds: lookback),
            "marketing": CustomerConversion(customers: 1, ordered: 0, lookbackSeconds: lookback),
        ], "\(String(describing: kpi.customerConversionByDepartment))")
        // A filter narrows the customers: service alone (bob, carol, hans).
        let service = try daemon.ctlJSON(InCurrency<KpiResult>.self, "kpi", "--window", "30d", "--department", "Kundendienst").value
        expected = CustomerConversion(customers: 3, ordered: 1, lookbackSeconds: lookback)
        #expect(service.kpis.customerConversion == expected)
        // A window without conversations naming a customer: no rate, not 0 %.
        let empty = try daemon.ctlJSON(InCurrency<KpiResult>.self, "kpi", "--window", "24h").value
        #expect(empty.kpis.customerConversion == CustomerConversion(customers: 0, ordered: 0, lookbackSeconds: lookback))
        #expect(empty.kpis.customerConversion?.rate == nil)

        let text = try daemon.ctl("kpi", "--window", "30d")
        #expect(Self.line("customer conversion", in: text.stdout) == "40.0% (2 of 5 customers ordered within 10 days after)", "\(text.stdout)")
        let rows = text.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(rows.contains(["service", "3", "1", "33.3%"]) && rows.contains(["sales", "2", "2", "100.0%"]), "\(text.stdout)")
        let raw = try Self.json(daemon, "kpi", "--window", "30d")
        let conversion = (raw["kpis"] as? [String: Any])?["customer_conversion"] as? [String: Any]
        #expect(conversion?["customers"] as? Int == 5 && conversion?["ordered"] as? Int == 2 && conversion?["has_orders"] as? Bool == true)
    }

    @Test("pyramid: attributed revenue, its ROI and the unattributed share beside the logged figures, equal to roi --json; the report shows them")
    func pyramidRevenue() throws {
        let dir = TestDirectory("pyramid-revenue")
        let daemon = try DaemonProcess(directory: dir, settings: ["attribution.lookback": "10d"]).start()
        defer { daemon.stop() }
        Self.seedWorkedExample(daemon)
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 8 })

        let pyramid = try daemon.ctlJSON(InCurrency<Pyramid>.self, "pyramid", "--window", "30d").value
        let roi = try daemon.ctlJSON(InCurrency<RoiReport>.self, "roi", "--window", "30d", "--by", "department").value
        let e = pyramid.executive, r = try #require(e.orderRevenue)
        // anna 100.00 → sales; carol 50.00 → sales and service 25.00 each; dan −20.00 → marketing;
        // bob (11 days: past the lookback) and hans (ordered first) unattributed: 80.00 + 30.00.
        #expect(r.model == "linear" && r.lookbackSeconds == Int64(10 * Self.day) && r.halfLifeSeconds == nil && !r.stale && r.hasOrders)
        #expect(r.ordersInWindow == 5 && r.ordersCents == 240_00 && r.attributedCents == 130_00 && r.unattributedCents == 110_00)
        #expect(r.unattributedShare == 110_00.0 / 240_00.0)
        #expect(r.attributedCents == roi.total.attributedCents && r.ordersCents == roi.total.ordersCents
                && r.unattributedCents == roi.total.unattributedCents && r.ordersInWindow == roi.total.orders)
        #expect(e.figures.costCents > 0 && r.roi == Double(130_00 - e.figures.costCents) / Double(e.figures.costCents))
        let departments = Dictionary(uniqueKeysWithValues: e.valueByDepartment.map { ($0.key, $0.figures) })
        #expect(departments.mapValues(\.attributedCents) == ["sales": 125_00, "service": 25_00, "marketing": -20_00])
        for row in roi.rows {
            let mine = try #require(departments[row.key])
            #expect(mine.attributedCents == row.figures.attributedCents && mine.costCents == row.figures.costCents)
            #expect(mine.attributedRoi == Double((row.figures.attributedCents ?? 0) - row.figures.costCents) / Double(row.figures.costCents))
        }
        // A filter: the filtered conversations' share, no figures about all orders.
        let sales = try daemon.ctlJSON(InCurrency<Pyramid>.self, "pyramid", "--window", "30d", "--department", "sales").value
        let s = try #require(sales.executive.orderRevenue)
        #expect(s.attributedCents == 125_00 && s.ordersInWindow == 5 && s.ordersCents == nil && s.unattributedCents == nil && s.unattributedShare == nil)

        let text = try daemon.ctl("pyramid", "--window", "30d")
        #expect(Self.line("order revenue", in: text.stdout) == "130.00 EUR attributed (linear, lookback 10 days)", "\(text.stdout)")
        let roiOnValue = PyramidRevenueTests.percent(e.figures.roi), roiOnRevenue = PyramidRevenueTests.percent(r.roi)
        #expect(Self.line("roi side by side", in: text.stdout) == "\(roiOnValue) on logged value, \(roiOnRevenue) on attributed revenue", "\(text.stdout)")
        #expect(Self.line("no conversation before", in: text.stdout) == "110.00 EUR (45.8%) of 240.00 EUR order revenue from 5 order(s)", "\(text.stdout)")
        #expect(text.stdout.contains("ATTRIBUTED") && text.stdout.contains("ROI ON REVENUE"), "\(text.stdout)")

        // The report: every figure of the revenue section is pyramid --json's, for the page's window.
        for language in DisplayLanguage.allCases {
            let run = try daemon.ctl("report", "--window", "30d", "--lang", language.rawValue, "--out", dir.sub("report.html"))
            #expect(run.status == 0, "\(run.stderr)")
            let html = try #require(dir.read("report.html"))
            let window = try #require(html.firstMatch(of: /name="dialogd-window" content="(\d+) (\d+)"/))
            let raw = try Self.json(daemon, "pyramid", "--since", String(window.1), "--until", String(window.2))
            let section = try #require(html.firstMatch(of: /<section class="revenue">(.*?)<\/section>/.dotMatchesNewlines()))
            let figures = ReportCommandTests.figures(String(section.1))
            let keys = Set(figures.map(\.key))
            for key in ["executive.order_revenue.attributed_cents", "executive.order_revenue.roi", "executive.figures.roi",
                        "executive.order_revenue.unattributed_cents", "executive.order_revenue.unattributed_share",
                        "executive.order_revenue.orders_cents", "executive.order_revenue.orders",
                        "executive.value_by_department.0.attributed_cents", "executive.value_by_department.0.attributed_roi"] {
                #expect(keys.contains(key), "\(key) is not on the \(language) page")
            }
            for f in figures {
                let value = ReportCommandTests.lookup(raw, f.key.split(separator: ".").map(String.init))
                #expect(ReportCommandTests.same(f.raw, value), "\(f.key): page \(f.raw), daemon \(String(describing: value))")
            }
            #expect(section.1.contains(language == .de ? "linear, Rückblick 10 Tage" : "linear, lookback 10 days"))
        }
    }

    @Test("without any order: the pyramid, kpi and the report say so and show no revenue figure, no 0 % and no −100 %")
    func noOrders() throws {
        let dir = TestDirectory("no-orders")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        daemon.drop("talks.jsonl", Self.conversation("a1", -2, "sales", customer: "anna@example.com") + "\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 1 })

        let raw = try Self.json(daemon, "pyramid", "--window", "30d")
        let revenue = try #require((raw["executive"] as? [String: Any])?["order_revenue"] as? [String: Any])
        #expect(Set(revenue.keys) == ["model", "lookback_s", "stale", "has_orders"], "\(revenue)")
        #expect(revenue["has_orders"] as? Bool == false && revenue["lookback_s"] as? Int == 90 * Self.day)
        let rows = (raw["executive"] as? [String: Any])?["value_by_department"] as? [[String: Any]] ?? []
        #expect(!rows.isEmpty && rows.allSatisfy { $0["attributed_cents"] == nil && $0["attributed_roi"] == nil }, "\(rows)")
        let kpi = try Self.json(daemon, "kpi", "--window", "30d")
        let conversion = try #require((kpi["kpis"] as? [String: Any])?["customer_conversion"] as? [String: Any])
        #expect(Set(conversion.keys) == ["has_orders", "lookback_s"], "\(conversion)")

        let text = try daemon.ctl("pyramid", "--window", "30d")
        #expect(Self.line("order revenue", in: text.stdout)?.hasPrefix("- (no orders stored") == true, "\(text.stdout)")
        #expect(!text.stdout.contains("ATTRIBUTED") && !text.stdout.contains("roi side by side"), "\(text.stdout)")
        #expect(Self.line("customer conversion", in: try daemon.ctl("kpi", "--window", "30d").stdout) == "- (no orders stored)")
        let run = try daemon.ctl("report", "--window", "30d", "--out", dir.sub("report.html"))
        #expect(run.status == 0, "\(run.stderr)")
        let html = try #require(dir.read("report.html"))
        #expect(html.contains("<section class=\"revenue\">") && html.contains("No orders are stored"))
        #expect(!html.contains("executive.order_revenue."))
    }
}
