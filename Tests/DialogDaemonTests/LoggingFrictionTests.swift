import DialogCore
import Foundation
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Friction for the people who log and read (issue 18 item 9), through the real binaries.
@Suite("friction: approximate values, short prompts, batch lines, report directory and trend, docs")
struct LoggingFrictionTests {
    @Test("`Wert: ca. 500 €` is stored with a warning in the daemon log; the file is archived, not quarantined")
    func approximateValue() throws {
        let dir = TestDirectory("friction-approx")
        let daemon = DaemonProcess(directory: dir)
        try daemon.start()
        defer { daemon.stop() }
        daemon.drop("ca.conv", "Datum: \(isoDate(-3600))\nMitarbeiter: anna\nKanal: email\nWert: ca. 500 €\n\nDemo vereinbart\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 1 })
        #expect(dir.list("spool/quarantine").isEmpty)
        let row = try #require(try daemon.ctlJSON(ListResult.self, "list").conversations.first)
        #expect(row.valueCents == 50_000)
        #expect(waitUntil(5) { daemon.log.contains("<4>spool: ca.conv: line 4: value") }, "\(daemon.log)")
    }

    @Test("log --value \"ca. 500 €\" is written, and the person logging hears that it counts as 500.00")
    func approximateLogged() throws {
        let dir = TestDirectory("friction-approx-log")
        let daemon = DaemonProcess(directory: dir)
        for area in ["tmp", "new"] { try FileManager.default.createDirectory(atPath: dir.sub("spool/\(area)"), withIntermediateDirectories: true) }
        let result = try runDialogctl(["--config", daemon.configPath, "log", "--employee", "anna", "--text", "Demo", "--value", "ca. 500 €"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("note: value \"ca. 500 €\" is approximate; counted as 500.00 EUR"), "\(result.stderr)")
        #expect(dir.list("spool/new").count == 1)
    }

    @Test("one info line per committed batch: files, records, duplicates, rejects, ms")
    func batchLine() throws {
        let dir = TestDirectory("friction-batch")
        let daemon = DaemonProcess(directory: dir, settings: ["log.level": "info"])
        try daemon.start()
        defer { daemon.stop() }
        let good = #"{"date":"\#(isoDate(-3600))","employee":"anna","text":"one"}"#
        let bad = #"{"date":"gestern","employee":"anna"}"#
        daemon.drop("a.jsonl", good + "\n" + good + "\n" + bad + "\n")
        #expect(daemon.drained())
        let pattern = #"<6>batch: 1 file\(s\), 1 record\(s\) stored, 1 duplicate\(s\), 1 rejected, in \d+ ms"#
        #expect(waitUntil(10) { daemon.log.range(of: pattern, options: .regularExpression) != nil }, "\(daemon.log)")
    }

    @Test("interactive log asks only what is missing; date defaults to now, employee to the caller")
    func shortPrompts() throws {
        let dir = TestDirectory("friction-log")
        let daemon = DaemonProcess(directory: dir)
        for area in ["tmp", "new"] { try FileManager.default.createDirectory(atPath: dir.sub("spool/\(area)"), withIntermediateDirectories: true) }
        // channel, text, department, outcome, duration, value, then the confirmation.
        dir.write("answers", "phone\nKunde will Demo\nsales\nlead\n20m\n\ny\n")
        var environment = ProcessInfo.processInfo.environment
        environment["USER"] = "sara.lee"
        environment["SUDO_USER"] = nil
        environment["LOGNAME"] = nil
        let before = Int64(Date().timeIntervalSince1970)
        let result = try runDialogctl(["--config", daemon.configPath, "log", "--interactive", "--customer", "@kunde"], environment: environment, stdin: dir.sub("answers"))
        #expect(result.status == 0, "\(result.stderr)")
        for label in ["Date", "Employee", "Customer", "Subject", "Sentiment", "satisfaction"] {
            #expect(!result.stderr.contains(label + " [") && !result.stderr.contains(label + ": "), "not asked: \(label): \(result.stderr)")
        }
        #expect(result.stderr.contains("sara.lee"), "says whom it logs for: \(result.stderr)")
        let name = try #require(dir.list("spool/new").first)
        let bytes = Array((dir.read("spool/new/" + name) ?? "").utf8)
        let record = try #require(try RecordReader(settings: ParseSettings(timeZone: TimeZone(identifier: "UTC")!, currency: "EUR", now: before))
            .read(bytes, fileName: "x.json").records.first?.record)
        #expect(record.employee == "sara.lee" && record.channel == "phone" && record.outcome == "lead" && record.customer == "@kunde")
        #expect(abs(record.date - before) < 120, "the date defaults to now")
    }

    @Test("report --out-dir creates its directory (0750) and its parents")
    func outDirectory() throws {
        let dir = TestDirectory("friction-outdir")
        let daemon = DaemonProcess(directory: dir)
        try daemon.start()
        defer { daemon.stop() }
        let target = dir.sub("reports/weekly/sales")
        let run = try daemon.ctl("report", "--out-dir", target, "--lang", "en")
        #expect(run.status == 0, "\(run.stderr)")
        var st = stat()
        #expect(stat(target, &st) == 0 && st.st_mode & 0o777 == 0o750, "mode \(String(st.st_mode & 0o777, radix: 8))")
        #expect(dir.list("reports/weekly/sales").count == 1)
    }

    @Test("a 90-day report's trend starts at the first data, not years of empty periods")
    func trendStart() throws {
        let dir = TestDirectory("friction-trend")
        let daemon = DaemonProcess(directory: dir)
        try daemon.start()
        defer { daemon.stop() }
        daemon.drop("a.conv", convRecord(employee: "anna", text: "first and only"))
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 1 })
        let run = try daemon.ctl("report", "--window", "90d", "--out", dir.sub("r.html"), "--lang", "en")
        #expect(run.status == 0, "\(run.stderr)")
        let html = dir.read("r.html") ?? ""
        #expect(html.contains("periods.0.net_cents") && !html.contains("periods.1.net_cents"), "one period with data, no empty ones before it")
    }

    @Test("docs: roi.md does not promise classification for later; classification.md names no data outside the repository without saying so")
    func docs() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let roi = try String(contentsOfFile: root + "/docs/roi.md", encoding: .utf8)
        #expect(!roi.contains("later release"), "classification exists")
        let classification = try String(contentsOfFile: root + "/docs/classification.md", encoding: .utf8)
        #expect(!classification.contains("../"), "a path outside the repository")
        #expect(classification.contains("not in the repository") && classification.contains("optional"))
    }
}
