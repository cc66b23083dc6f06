import DialogCore
import Foundation
import Testing

/// `roi`, `kpi`, `pyramid` and `recompute` through the real `dialogctl` against the real
/// daemon (docs/roi.md, docs/protocol.md): known records in, figures out to the cent.
@Suite("dialogctl ROI commands")
struct RoiCommandTests {
    struct Known {
        var name, employee, department, outcome, channel: String
        var minutes: Int64
        var valueCents: Int64
    }

    static let records = [
        Known(name: "a.conv", employee: "anna", department: "service", outcome: "resolved", channel: "email", minutes: 30, valueCents: 10_50),
        Known(name: "b.conv", employee: "bert", department: "sales", outcome: "won", channel: "phone", minutes: 60, valueCents: 1_000_00),
        Known(name: "c.conv", employee: "cora", department: "service", outcome: "escalated", channel: "phone", minutes: 20, valueCents: 5_25),
    ]

    /// The config's default rates (the test daemon sets none), applied by hand: docs/roi.md.
    static func cost(_ k: Known) -> Int64 {
        let rates = ValuationConfig()
        let hourly = rates.departments[k.department]?.hourlyCostCents ?? rates.defaultHourlyCostCents
        return (k.minutes * 60 * hourly + 1800) / 3600 + rates.costPerConversationCents
    }

    static func seeded(_ label: String, settings: [String: String] = [:]) throws -> (TestDirectory, DaemonProcess) {
        let dir = TestDirectory(label)
        let daemon = DaemonProcess(directory: dir, settings: settings)
        try daemon.start()
        for k in records {
            daemon.drop(k.name, """
                Date: \(isoDate(-3600))\nEmployee: \(k.employee)\nDepartment: \(k.department)\nOutcome: \(k.outcome)
                Channel: \(k.channel)\nDuration: \(k.minutes)m\nValue: \(Format2.units(k.valueCents)) EUR\n\nabout \(k.name)\n
                """)
        }
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == records.count })
        return (dir, daemon)
    }

    func json<T: Decodable>(_ daemon: DaemonProcess, _ type: T.Type, _ arguments: String...) throws -> T {
        let result = try runDialogctl(["--socket", daemon.socketPath, "--json"] + arguments)
        guard result.status == 0 else { throw ClientError.failed("dialogctl \(arguments) exited \(result.status): \(result.stderr)") }
        return try JSONDecoder().decode(T.self, from: Data(result.stdout.utf8))
    }

    @Test("roi --json: totals and department rows to the cent, docs/protocol.md shape; human output shows them")
    func roi() throws {
        let (_, daemon) = try Self.seeded("roi-cmd")
        defer { daemon.stop() }
        let cost = Self.records.reduce(0) { $0 + Self.cost($1) }
        let value = Self.records.reduce(0) { $0 + $1.valueCents }

        let answer = try json(daemon, InCurrency<RoiReport>.self, "roi", "--window", "30d", "--by", "department")
        let r = answer.value
        #expect(answer.currency == "EUR")
        #expect(r.total.conversations == 3 && r.total.minutes == 110)
        #expect(r.total.costCents == cost && r.total.valueCents == value && r.total.netCents == value - cost)
        #expect(r.total.roi == Double(value - cost) / Double(cost))
        #expect(r.rows.map(\.key) == ["sales", "service"])
        for row in r.rows {
            let mine = Self.records.filter { $0.department == row.key }
            #expect(row.figures.conversations == Int64(mine.count))
            #expect(row.figures.costCents == mine.reduce(0) { $0 + Self.cost($1) })
            #expect(row.figures.valueCents == mine.reduce(0) { $0 + $1.valueCents })
        }
        #expect(r.previous?.conversations == 0)
        #expect(r.window.until - r.window.since == 30 * 86400)

        // The wire keys of docs/protocol.md, exactly.
        let raw = try #require(try JSONSerialization.jsonObject(with: Data(try daemon.ctl("--json", "roi", "--by", "department").stdout.utf8)) as? [String: Any])
        #expect(Set(["window", "rows", "total", "previous"]).isSubset(of: raw.keys))
        let total = try #require(raw["total"] as? [String: Any])
        #expect(Set(total.keys) == ["conversations", "minutes", "cost_cents", "value_cents", "net_cents", "roi",
                                    "attributed_cents", "orders", "orders_cents", "unattributed_cents"])

        let filtered = try json(daemon, InCurrency<RoiReport>.self, "roi", "--department", "service", "--by", "outcome")
        #expect(filtered.value.rows.map(\.key) == ["escalated", "resolved"] && filtered.value.total.conversations == 2)

        let human = try daemon.ctl("roi", "--by", "department")
        #expect(human.status == 0, "\(human.stderr)")
        #expect(human.stdout.contains("1,015.75 EUR"), "value total: \(human.stdout)")
        #expect(human.stdout.contains(Format2.money(value - cost)) && human.stdout.contains(Format2.money(cost)), "\(human.stdout)")
        #expect(human.stdout.contains(String(format: "%.1f%%", Double(value - cost) / Double(cost) * 100)))
        #expect(human.stdout.contains("previous") && human.stdout.contains("trend:"))
        let lines = human.stdout.split(separator: "\n").filter { $0.hasPrefix("sales") || $0.hasPrefix("service") || $0.hasPrefix("total") }
        #expect(lines.count == 3 && Set(lines.map(\.count)).count == 1, "aligned rows: \(human.stdout)")

        let privacy = try daemon.ctl("roi", "--by", "employee")
        #expect(privacy.status == 1 && privacy.stderr.contains("[privacy]"), "\(privacy.stderr)")
    }

    @Test("kpi and pyramid in both modes; recompute as admin; status and metrics carry the figures")
    func kpiPyramidRecompute() throws {
        let (_, daemon) = try Self.seeded("roi-kpi")
        defer { daemon.stop() }
        let serviceCost = Self.records.filter { $0.department == "service" }.reduce(0) { $0 + Self.cost($1) }

        let kpi = try json(daemon, InCurrency<KpiResult>.self, "kpi", "--window", "7d").value.kpis
        #expect(kpi.figures.conversations == 3)
        #expect(kpi.resolutionRate == 0.5 && kpi.leadConversion == 1)
        #expect(kpi.costPerResolutionCents == serviceCost)
        #expect(kpi.shareOfVoice["phone"] == 2.0 / 3)
        let kpiText = try daemon.ctl("kpi")
        #expect(kpiText.status == 0 && kpiText.stdout.contains("resolution rate:") && kpiText.stdout.contains("50.0%"), "\(kpiText.stdout)")
        #expect(kpiText.stdout.contains(Format2.money(serviceCost)))

        let pyramid = try json(daemon, InCurrency<Pyramid>.self, "pyramid").value
        #expect(pyramid.executive.figures.valueCents == 1_015_75)
        #expect(pyramid.managers.map(\.department) == ["sales", "service"])
        #expect(pyramid.practitioners.employeeFigures == "off" && pyramid.practitioners.activity.isEmpty)
        let pyramidText = try daemon.ctl("pyramid", "--since", "2d")
        #expect(pyramidText.status == 0, "\(pyramidText.stderr)")
        for title in ["EXECUTIVE", "MANAGERS", "PRACTITIONERS", "1,015.75 EUR"] {
            #expect(pyramidText.stdout.contains(title), "\(title): \(pyramidText.stdout)")
        }

        let recompute = try daemon.ctlJSON(RecomputeResult.self, "recompute")
        #expect(recompute.conversations == 3 && !recompute.valuationStale)
        #expect(try daemon.ctl("recompute").stdout.hasPrefix("recomputed 3 conversation(s)"))
        let after = try json(daemon, InCurrency<RoiReport>.self, "roi").value
        #expect(after.total.valueCents == 1_015_75, "recompute with the same rates changes nothing")

        #expect(try daemon.ctlJSON(StatusResult.self, "status").valuationStale == false)
        #expect(try daemon.ctl("status").stdout.contains("roi figures:    current"))
        let metrics = try daemon.ctlJSON(MetricsResult.self, "metrics").text
        #expect(metrics.contains("dialogd_roi_value_cents{currency=\"EUR\",department=\"sales\"} 100000\n"), "\(metrics)")
        #expect(metrics.contains("dialogd_roi_cost_cents{currency=\"EUR\",department=\"service\"} \(serviceCost)\n"))
        #expect(metrics.contains("dialogd_valuation_stale 0\n"))
    }

    @Test("list with roi's filters lists exactly the conversations each roi row counts (department implied by the outcome, unassigned)")
    func listTracesRoi() throws {
        let (_, daemon) = try Self.seeded("roi-trace", settings: ["privacy.employee_figures": "named"])
        defer { daemon.stop() }
        daemon.drop("implied.conv", "Date: \(isoDate(-3600))\nEmployee: dora\nOutcome: lead\nChannel: chat\n\nno department written\n")
        daemon.drop("none.conv", "Date: \(isoDate(-3600))\nEmployee: emil\nChannel: chat\n\nvöllig anderes Thema\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == Self.records.count + 2 })
        let report = try json(daemon, InCurrency<RoiReport>.self, "roi", "--window", "7d", "--by", "department").value
        #expect(report.rows.map(\.key) == ["sales", "service", "unassigned"])
        for row in report.rows {
            let listed = try daemon.ctlJSON(ListResult.self, "list", "--department", row.key, "--since", String(report.window.since),
                                            "--until", String(report.window.until), "--limit", "1000")
            #expect(Int64(listed.conversations.count) == row.figures.conversations, "\(row.key)")
        }
        let sales = try daemon.ctlJSON(ListResult.self, "list", "--department", "sales").conversations.map(\.employee)
        #expect(Set(sales) == ["bert", "dora"], "the lead counts under sales, its outcome's department")
        let unclassified = try daemon.ctlJSON(ListResult.self, "list", "--outcome", "unclassified").conversations.map(\.employee)
        #expect(unclassified == ["emil"])
    }

    @Test("[display] language = de: German money and percentages in every table; JSON keeps cents and says the language")
    func germanFormatting() throws {
        let (_, daemon) = try Self.seeded("roi-de", settings: ["display.language": "de"])
        defer { daemon.stop() }
        let roi = try daemon.ctl("roi", "--by", "department")
        #expect(roi.status == 0 && roi.stdout.contains("1.015,75 EUR") && !roi.stdout.contains("1,015.75"), "\(roi.stdout)")
        let kpi = try daemon.ctl("kpi")
        #expect(kpi.stdout.contains("resolution rate:") && kpi.stdout.contains("50,0%"), "\(kpi.stdout)")
        let pyramid = try daemon.ctl("pyramid")
        #expect(pyramid.stdout.contains("1.015,75 EUR"), "\(pyramid.stdout)")
        let list = try daemon.ctl("list")
        #expect(list.stdout.contains("1.000,00 EUR") && list.stdout.contains("10,50 EUR"), "\(list.stdout)")
        let id = try daemon.ctlJSON(ListResult.self, "list", "--department", "sales").conversations[0].key
        let show = try daemon.ctl("show", id)
        #expect(show.stdout.contains("1.000,00 EUR"), "\(show.stdout)")

        let json = try json(daemon, InCurrency<RoiReport>.self, "roi")
        #expect(json.language == .de && json.value.total.valueCents == 1_015_75)
        #expect(try daemon.ctl("--json", "roi").stdout.contains("\"language\" : \"de\""))
    }

    @Test("bad values exit 64 before anything is sent; bad arguments on the wire are bad_argument")
    func validation() throws {
        let dir = TestDirectory("roi-usage")
        for arguments in [["roi", "--window", "5x"], ["roi", "--window", "30d", "--since", "1d"], ["roi", "--by", "planet"],
                          ["kpi", "--since", "soon"], ["pyramid", "--since", "2026-02-01", "--until", "2026-01-01"],
                          ["kpi", "--department", ""], ["recompute", "now"], ["pyramid", "--by", "department"]] {
            let result = try runDialogctl(["--socket", dir.sub("none.sock")] + arguments)
            #expect(result.status == 64, "\(arguments): \(result.status) \(result.stderr)")
        }
        let daemon = DaemonProcess(directory: dir)
        try daemon.start()
        defer { daemon.stop() }
        let raw = try RawControlClient(path: daemon.socketPath)
        for request in [#"{"command":"roi","args":{"window":"5x"}}"#, #"{"command":"roi","args":{"window":"0d"}}"#, #"{"command":"kpi","args":{"since":"yesterday"}}"#,
                        #"{"command":"roi","args":{"by":"planet"}}"#, #"{"command":"pyramid","args":{"by":"department"}}"#] {
            guard case .line(let line) = raw.request(request) else { Issue.record("no reply to \(request)"); continue }
            #expect(line.hasPrefix(#"{"error":{"code":"bad_argument","#), "\(request): \(line)")
        }
        guard case .line(let dated) = raw.request(#"{"command":"roi","args":{"since":"2026-01-01","until":"2026-01-02T00:00:00Z"}}"#) else {
            Issue.record("no reply"); return
        }
        // A date without an offset is local midnight in [records] timezone (Europe/Berlin), as in records.
        #expect(dated.contains(#""window":{"since":1767222000,"until":1767312000}"#), "\(dated)")
    }
}

/// Expected renderings, written out independently of dialogctl's Format.
enum Format2 {
    static func units(_ cents: Int64) -> String { String(format: "%lld.%02lld", cents / 100, cents % 100) }

    static func money(_ cents: Int64) -> String {
        let sign = cents < 0 ? "-" : ""
        let whole = String(abs(cents) / 100)
        var grouped = ""
        for (i, c) in whole.reversed().enumerated() {
            if i > 0, i % 3 == 0 { grouped.append(",") }
            grouped.append(c)
        }
        return sign + String(grouped.reversed()) + String(format: ".%02lld EUR", abs(cents) % 100)
    }
}
