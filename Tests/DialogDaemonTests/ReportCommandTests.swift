import DialogCore
import Foundation
import Testing

/// `dialogctl report` against the real daemon: every figure on the page equals the one
/// `pyramid --json` (or, for trend, outcomes and channels, `roi --json`) gives for the window.
@Suite("dialogctl report")
struct ReportCommandTests {
    /// Known conversations: this window, the previous one and older periods of the trend.
    static func seed(_ daemon: DaemonProcess) {
        let day = 86_400
        let lines = [
            (-3600, #""employee":"anna","department":"service","outcome":"resolved","channel":"email","duration":"30m","satisfaction":5,"sentiment":"positive""#),
            (-7200, #""employee":"bert","department":"sales","outcome":"won","channel":"xing","duration":"1h","value":"2.000,00 €""#),
            (-2 * day, #""employee":"bert","department":"sales","outcome":"lost","channel":"email","duration":"30m","sentiment":"negative""#),
            (-3 * day, #""employee":"cora","outcome":"idea","channel":"email","duration":"12m""#),
            (-4 * day, #""employee":"cora","department":"marketing","outcome":"advocacy","channel":"twitter","duration":"6m","satisfaction":4"#),
            (-5 * day, #""employee":"dana","channel":"chat","text":"no labels at all""#),
            (-6 * day, #""employee":"anna","department":"service","outcome":"escalated","channel":"phone","duration":"20m","response_time":"1h""#),
            (-35 * day, #""employee":"anna","department":"sales","outcome":"won","channel":"phone","duration":"45m","value":"1000 EUR""#),
            (-70 * day, #""employee":"bert","department":"service","outcome":"resolved","channel":"chat","duration":"10m""#),
            (-200 * day, #""employee":"bert","department":"service","outcome":"unresolved","channel":"twitter","duration":"10m""#),
        ]
        let text = lines.map { "{\"date\":\"\(isoDate($0.0))\",\($0.1)}" }.joined(separator: "\n") + "\n"
        daemon.drop("known.jsonl", text)
    }

    /// (key, raw value, visible text) of every tagged figure on the page.
    static func figures(_ html: String) -> [(key: String, raw: String, text: String)] {
        let pattern = try! NSRegularExpression(pattern: #"class="fig[^"]*" data-k="([^"]*)" data-v="([^"]*)">([^<]*)</t?span>"#)
        return pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { m in
            let s = { (i: Int) in String(html[Range(m.range(at: i), in: html)!]) }
            return (s(1), s(2), s(3).replacingOccurrences(of: "&amp;", with: "&"))
        }
    }

    /// Walks `a.b.0.c` through decoded JSON.
    static func lookup(_ root: Any, _ path: [String]) -> Any? {
        var node: Any? = root
        for part in path {
            if let array = node as? [Any], let index = Int(part) { node = index < array.count ? array[index] : nil }
            else { node = (node as? [String: Any])?[part] }
        }
        return node
    }

    static func same(_ raw: String, _ value: Any?) -> Bool {
        if raw == "null" { return value == nil || value is NSNull }
        guard let number = value as? NSNumber, let page = Double(raw) else { return false }
        // Cents and counts exactly; ratios to the last bits, which Foundation's JSON parser here
        // does not always round correctly (both print the same digits).
        if Int64(raw) != nil { return Int64(raw) == number.int64Value }
        return abs(page - number.doubleValue) <= 1e-12 * max(1, abs(page))
    }

    func json(_ daemon: DaemonProcess, _ arguments: [String]) throws -> [String: Any] {
        let result = try runDialogctl(["--socket", daemon.socketPath, "--json"] + arguments)
        guard result.status == 0 else { throw ClientError.failed("\(arguments): \(result.stderr)") }
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test("every number on the page equals pyramid --json (and roi --json for trend, outcomes, channels)", arguments: DisplayLanguage.allCases)
    func figuresMatch(language: DisplayLanguage) throws {
        let dir = TestDirectory("report")
        let daemon = DaemonProcess(directory: dir)
        try daemon.start()
        defer { daemon.stop() }
        Self.seed(daemon)
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 10 })

        let out = dir.sub("report.html")
        let run = try daemon.ctl("report", "--window", "30d", "--lang", language.rawValue, "--out", out)
        #expect(run.status == 0, "\(run.stderr)")
        let html = try #require(dir.read("report.html"))
        let window = try #require(html.firstMatch(of: /name="dialogd-window" content="(\d+) (\d+)"/))
        let since = String(window.1), until = String(window.2)
        let span = ["--since", since, "--until", until]

        let pyramid = try json(daemon, ["pyramid"] + span)
        let outcomes = try json(daemon, ["roi", "--by", "outcome"] + span)
        let channels = try json(daemon, ["roi", "--by", "channel"] + span)
        let groups = try json(daemon, ["roi", "--by", "channel_group"] + span)
        let length = Int64(until)! - Int64(since)!
        #expect(length == 30 * 86_400)
        // The trend starts at the first period with data (the seed reaches back 200 days).
        let periods = Array(try (0..<12).map { k in
            let end = Int64(until)! - Int64(11 - k) * length
            return try json(daemon, ["roi", "--since", String(end - length), "--until", String(end)])
        }.drop { (Self.lookup($0, ["total", "conversations"]) as? NSNumber)?.int64Value == 0 })
        guard periods.count == 7 else { Issue.record("200 days back: the 7th-last 30-day period holds the oldest conversation"); return }
        let figures = Self.figures(html)
        #expect(figures.count > 60)
        var checked = Set<String>()
        for f in figures {
            let path = f.key.split(separator: ".").map(String.init)
            let value: Any?
            switch path[0] {
            case "periods": value = Self.lookup(periods[Int(path[1])!], ["total", path[2]])
            case "outcomes", "channels", "channel_groups":
                let rows = ((path[0] == "outcomes" ? outcomes : path[0] == "channels" ? channels : groups)["rows"] as? [[String: Any]]) ?? []
                value = rows.first { $0["key"] as? String == path[1] }?[path[2]]
            default: value = Self.lookup(pyramid, path)
            }
            #expect(Self.same(f.raw, value), "\(f.key): page \(f.raw), daemon \(String(describing: value))")
            if f.key.hasSuffix("_cents"), let cents = Int64(f.raw) {
                #expect(f.text == MoneyText.format(cents, currency: "EUR", language: language), "\(f.key)")
            }
            checked.insert(path[0] == "periods" ? "periods" : f.key)
        }
        // The headline figures are all there, and the last trend point is the window itself.
        // Deflection is shown when it saved money; a loss is explained by the cost per resolution.
        let deflection = try #require(Self.lookup(pyramid, ["executive", "deflection_savings_cents"]) as? Int)
        #expect(deflection < 0, "the seed's service cost more than the call centre would have")
        #expect(!checked.contains("executive.deflection_savings_cents"))
        for key in ["executive.figures.value_cents", "executive.figures.cost_cents", "executive.figures.net_cents",
                    "executive.figures.roi", "executive.value_trend", "executive.cost_per_resolution_cents",
                    "practitioners.awaiting_review", "managers.0.kpis.figures.net_cents", "outcomes.won.value_cents",
                    "channels.email.conversations", "channels.email.cost_cents", "channels.xing.net_cents", "channels.xing.roi",
                    "practitioners.share_of_voice.email", "periods",
                    "channel_groups.social.cost_cents", "channel_groups.social.value_cents", "channel_groups.social.roi",
                    "channel_groups.direct.cost_cents", "channel_groups.direct.value_cents", "channel_groups.direct.roi"] {
            #expect(checked.contains(key), "\(key) is not on the page")
        }
        // The first section answers the social question in one sentence with one chart.
        let first = try #require(html.firstMatch(of: /<section class="([^"]*)">\n<h2>[^<]*<\/h2>\n<p class="answer">(.*?)<\/p>\n<svg/))
        #expect(first.1 == "social")
        #expect(first.2.contains("data-k=\"channel_groups.social.roi\"") && first.2.contains("data-k=\"channel_groups.direct.roi\""))
        #expect(first.2.contains(language == .de ? "Xing" : "xing") || first.2.contains("xing"))
        #expect(html.range(of: "class=\"social\"")!.lowerBound < html.range(of: "class=\"cards\"")!.lowerBound)
        // Sales shows no resolution figures: only service departments have them.
        let managers = try #require(Self.lookup(pyramid, ["managers"]) as? [[String: Any]])
        for m in managers where m["department"] as? String != "service" {
            #expect((m["kpis"] as? [String: Any])?["resolution_rate"] == nil || (m["kpis"] as? [String: Any])?["resolution_rate"] is NSNull)
        }
        // The executive figures are roi's total; roi adds the order figures beside them (issue 14).
        let rawTotal = Self.lookup(periods[6], ["total"]) as? [String: Any] ?? [:]
        let loggedTotal = rawTotal.filter { !["attributed_cents", "orders", "orders_cents", "unattributed_cents"].contains($0.key) }
        #expect(loggedTotal.count == rawTotal.count - 4)
        #expect(NSDictionary(dictionary: loggedTotal) == Self.lookup(pyramid, ["executive", "figures"]) as? NSDictionary)
        #expect((Self.lookup(pyramid, ["executive", "figures", "conversations"]) as? Int) == 7)
        #expect((Self.lookup(periods[5], ["total", "conversations"]) as? Int) == 1)
    }

    @Test("--out-dir writes a dated report and --keep removes the oldest dated ones only")
    func archive() throws {
        let dir = TestDirectory("report-dir")
        let daemon = DaemonProcess(directory: dir)
        try daemon.start()
        defer { daemon.stop() }
        let reports = dir.sub("reports")
        try FileManager.default.createDirectory(atPath: reports, withIntermediateDirectories: true)
        for name in ["report-2020-01-01.html", "report-2020-01-08.html", "report-2020-01-15.html", "keep-me.txt"] {
            dir.write("reports/" + name, "old")
        }
        let run = try daemon.ctl("report", "--out-dir", reports, "--keep", "2", "--lang", "en")
        #expect(run.status == 0, "\(run.stderr)")
        let today = ReportArchive.fileName(at: Int64(Date().timeIntervalSince1970))
        #expect(Set(dir.list("reports")) == [today, "report-2020-01-15.html", "keep-me.txt"])
        #expect(dir.list("reports").contains("keep-me.txt") && !dir.list("reports").contains("report-2020-01-01.html"))
        #expect(dir.read("reports/" + today)?.contains("<!DOCTYPE html>") == true)
    }

    @Test("usage: an output is required, --keep needs --out-dir, --lang is de or en; unreachable is 69")
    func usage() throws {
        #expect(try runDialogctl(["report", "--window", "30d"]).status == 64)
        #expect(try runDialogctl(["report", "--out", "/tmp/x.html", "--keep", "3"]).status == 64)
        #expect(try runDialogctl(["report", "--out", "/tmp/x.html", "--lang", "fr"]).status == 64)
        let dir = TestDirectory("report-down")
        let result = try runDialogctl(["--socket", dir.sub("none.sock"), "report", "--out", dir.sub("r.html")])
        #expect(result.status == 69 && dir.list("").isEmpty)
    }
}
