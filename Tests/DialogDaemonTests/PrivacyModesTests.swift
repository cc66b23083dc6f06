import DialogCore
import Foundation
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// `[privacy] employee_figures` holds on every path that could filter by or name an employee
/// (issue 18 item 6), through the real socket and dialogctl, for each mode. The tests run as
/// the daemon's own user, an admin: the rule is the same for readers.
@Suite("privacy: employees per mode on every command")
struct PrivacyModesTests {
    static func seeded(_ mode: String) throws -> (TestDirectory, DaemonProcess) {
        let dir = TestDirectory("privacy-\(mode)")
        let daemon = DaemonProcess(directory: dir, settings: ["privacy.employee_figures": mode, "classification.min_confidence": "1"])
        try daemon.start()
        let lines = [
            #"{"date":"\#(isoDate(-7200))","employee":"sara.lee","department":"sales","outcome":"won","channel":"xing","duration":"1h","value":"6.500,00 €"}"#,
            #"{"date":"\#(isoDate(-3600))","employee":"sara.lee","department":"sales","outcome":"won","channel":"email","duration":"1h","value":"12.000,00 €"}"#,
            #"{"date":"\#(isoDate(-1800))","employee":"tom.berg","channel":"chat","duration":"10m","text":"qwertz asdfgh"}"#,
        ]
        daemon.drop("sara.lee-deals.jsonl", lines.joined(separator: "\n") + "\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 3 })
        return (dir, daemon)
    }

    /// What an employee may appear as under `mode`.
    static func expectShown(_ employee: String, _ mode: String, real: String, _ context: String) {
        switch mode {
        case "named": #expect(employee == real, "\(context)")
        case "pseudonymous": #expect(employee.hasPrefix("emp-") && employee.count == 14, "\(context): \(employee)")
        default: #expect(employee == "hidden", "\(context): \(employee)")
        }
    }

    @Test("list, show, export, review, labels, roi, pyramid, kpi, report", arguments: ["off", "pseudonymous", "named"])
    func everyCommand(mode: String) throws {
        let (dir, daemon) = try Self.seeded(mode)
        defer { daemon.stop() }
        let named = mode == "named"

        // Filters by employee: only with names.
        guard case .line(let labels) = try RawControlClient(path: daemon.socketPath).request(#"{"command":"labels","args":{"employee":"sara.lee"}}"#) else {
            Issue.record("labels: no reply"); return
        }
        #expect(labels.contains("\"ok\":true") == named && labels.contains("privacy") != named, "labels: \(labels)")
        for command in ["list", "export", "roi", "kpi", "pyramid"] {
            let run = try daemon.ctl(command, "--employee", "sara.lee")
            if named {
                #expect(run.status == 0, "\(command): \(run.stderr)")
            } else {
                #expect(run.status != 0 && run.stderr.contains("privacy") && !run.stdout.contains("6,500"), "\(command) --employee under \(mode): \(run.stdout) \(run.stderr)")
            }
        }
        if named {
            let hers = try daemon.ctlJSON(ListResult.self, "list", "--employee", "sara.lee")
            #expect(hers.conversations.count == 2)
        }

        // Names in listings.
        let list = try daemon.ctlJSON(ListResult.self, "list")
        #expect(list.conversations.count == 3)
        for row in list.conversations { Self.expectShown(row.employee, mode, real: row.channel == "chat" ? "tom.berg" : "sara.lee", "list") }
        for command in [["list"], ["export", "--format", "csv"], ["export", "--format", "jsonl"], ["--json", "review"], ["pyramid"]] {
            let run = try runDialogctl(["--socket", daemon.socketPath] + command)
            #expect(run.status == 0, "\(command): \(run.stderr)")
            #expect(run.stdout.contains("sara") == named && run.stdout.contains("tom.berg") == named, "\(command) under \(mode): \(run.stdout)")
        }
        let jsonList = try runDialogctl(["--socket", daemon.socketPath, "--json", "list"])
        #expect(jsonList.stdout.contains("sara") == named, "\(jsonList.stdout)")

        // One conversation: its employee and the file it came from (named after her).
        let sara = try #require(list.conversations.first { $0.channel == "xing" })
        let detail = try daemon.ctlJSON(ConversationDetail.self, "show", String(sara.id))
        Self.expectShown(detail.summary.employee, mode, real: "sara.lee", "show")
        #expect(detail.sourceFile.contains("sara") == named, "show source file: \(detail.sourceFile)")
        let shown = try daemon.ctl("show", String(sara.id))
        #expect(shown.status == 0 && shown.stdout.contains("sara") == named, "\(shown.stdout)")

        let review = try daemon.ctlJSON(ReviewResult.self, "review")
        let tom = try #require(review.items.first { $0.channel == "chat" }, "the unlabelled conversation awaits review")
        Self.expectShown(tom.employee, mode, real: "tom.berg", "review")

        let byEmployee = try daemon.ctl("roi", "--by", "employee")
        #expect((byEmployee.status == 0) == (mode != "off"), "\(byEmployee.stderr)")
        #expect(byEmployee.stdout.contains("sara") == named, "\(byEmployee.stdout)")

        // The report: no names unless named, and no configuration jargon in its notes.
        let report = try daemon.ctl("report", "--out", dir.sub("report.html"), "--lang", "en")
        #expect(report.status == 0, "\(report.stderr)")
        let html = dir.read("report.html") ?? ""
        if !named { #expect(!html.contains("sara") && !html.contains("tom.berg")) }
        #expect(!html.contains("employee_figures") && !html.contains("[privacy]"), "plain language in the notes")
        let german = try daemon.ctl("report", "--out", dir.sub("bericht.html"), "--lang", "de")
        #expect(german.status == 0 && !(dir.read("bericht.html") ?? "").contains("employee_figures"))
        if mode == "off" {
            #expect(html.contains("Figures per employee are not shown"), "the notes say it in words")
        }
    }

    @Test("a reader (query_group, another uid) gets the same: no names, no employee filter, under off",
          .enabled(if: FileManager.default.isExecutableFile(atPath: ControlAccessTests.setpriv)))
    func reader() throws {
        let dir = TestDirectory("privacy-reader")
        chmod(dir.path, 0o755)
        let daemon = DaemonProcess(directory: dir, settings: ["socket.mode": "0666", "access.query_group": "nogroup"])
        try daemon.start()
        defer { daemon.stop() }
        daemon.drop("sara.lee.conv", convRecord(employee: "sara.lee", text: "deal", department: "sales", value: "6.500,00 €"))
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 1 })
        let asReader = { (arguments: [String]) in try runDialogctl(["--socket", daemon.socketPath] + arguments, prefix: ControlAccessTests.asNobody) }
        let filtered = try asReader(["list", "--employee", "sara.lee"])
        #expect(filtered.status == 1 && filtered.stderr.contains("privacy") && !filtered.stdout.contains("6,500"), "\(filtered.stdout) \(filtered.stderr)")
        for command in [["list"], ["show", "1"], ["--json", "show", "1"], ["export"]] {
            let run = try asReader(command)
            #expect(run.status == 0 && !run.stdout.contains("sara"), "\(command): \(run.stdout) \(run.stderr)")
        }
    }

    @Test("dialogctl log names its files without the employee, so file listings do not name people")
    func logFileNames() {
        let name = LogEntry.fileName(at: 1_795_910_400, suffix: "x1")
        #expect(name == "log-20261129-000000-x1.json")
    }
}
