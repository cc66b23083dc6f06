import DialogCore
import Foundation
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Issue 13: text a dropper controls cannot become markup in the report, a formula in the CSV,
/// a broken metrics line or a terminal escape in dialogctl. Every payload class goes into every
/// text field through the real daemon; independent readers check what comes out.
@Suite("Hostile output", .serialized, .enabled(if: OutputOracles.python != nil, "needs python3 (html.parser and csv as oracles)"))
struct HostileOutputTests {
    static let payloads: [(name: String, text: String)] = [
        ("combining-quote", "\"\u{301} style=display:block;content-visibility:auto oncontentvisibilityautostatechange=document.title=/pwned/.source//"),
        ("script", "</script><script>document.title='pwned'</script>"),
        ("element", "<img src=x onerror=alert(1)><svg onload=alert(2)>"),
        ("attribute-double", "\" onmouseover=\"alert(1)\" x=\""),
        ("attribute-single", "' onfocus='alert(1)' autofocus='"),
        ("attribute-backtick", "` onclick=`alert(1)"),
        ("csv-formula", "=cmd|' /C calc'!A0"),
        ("csv-combining-breakout", "x\"\u{301},=cmd|' /C calc'!A0,\""),
        ("csv-at-plus", "@SUM(1+1)*cmd|' /C calc'!A0"),
        ("csv-plus", "+1+cmd|' /C calc'!A0"),
        ("osc52", "\u{1b}]52;c;cHduZWQ=\u{07}"),
        ("csi", "\u{1b}[2J\u{1b}[1;1Hroot# "),
        ("c1-csi", "\u{9b}31mred\u{85}"),
        ("bidi", "invoice\u{202e}fdp.exe\u{202c} \u{2066}x\u{2069}\u{200f}"),
        ("prometheus", "a\"} 1\nfake_metric{x=\"\\"),
        ("newline", "line one\r\nline two\nnext"),
    ]

    /// What a terminal acts on or reorders by: C0 but LF, DEL, C1, bidi controls and marks.
    static func isHidden(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (v < 0x20 && v != 0x0A) || (0x7F...0x9F).contains(v) || v == 0x061C || v == 0x200E || v == 0x200F
            || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }

    /// A file name from a payload: no `/` or NUL, at most 200 bytes.
    static func fileName(_ i: Int, _ text: String) -> String {
        var name = String(String.UnicodeScalarView(text.unicodeScalars.map { $0 == "/" || $0 == "\0" ? "_" : $0 }))
        while name.utf8.count > 180 { name.removeLast() }
        return "p\(i)-\(name).jsonl"
    }

    /// For each payload: a record with it in every text field but the employee, one with it as
    /// the employee (rejected when it holds controls), one with it as an extra field's name, in
    /// a file named after it; and a broken file named after it, for quarantine.
    static func drop(_ daemon: DaemonProcess, texts: [String], employees: [String]) {
        let date = isoDate(-3600)
        for (i, p) in texts.enumerated() {
            let q = JSONValue.quote(p), e = JSONValue.quote(employees[i])
            let lines = [
                "{\"date\": \"\(date)\", \"employee\": \"agent\(i)\", \"channel\": \(q), \"customer\": \(q), \"department\": \(q), \"outcome\": \(q), \"subject\": \(q), \"text\": \(q), \"tags\": [\(q)], \"duration\": \"5m\", \"value\": \"12.50 EUR\", \"note\": \(q)}",
                "{\"date\": \"\(date)\", \"employee\": \(e), \"text\": \"employee record \(i)\", \"duration\": \"3m\"}",
                "{\"date\": \"\(date)\", \"employee\": \"agent\(i)\", \"text\": \"extra name \(i)\", \(JSONValue.quote("x" + p)): \"v\"}",
            ]
            daemon.drop(fileName(i, p), lines.joined(separator: "\n") + "\n")
            daemon.drop("broken-" + fileName(i, p), "{\"date\": \(q)}\nnot json \(p)\n")
        }
    }

    static func start(_ label: String, texts: [String], employees: [String]? = nil) throws -> DaemonProcess {
        // Named: employee names (payloads too) reach list, show, export and the report.
        let daemon = try DaemonProcess(directory: TestDirectory(label), settings: ["privacy.employee_figures": "named", "privacy.customers": "named"]).start()
        drop(daemon, texts: texts, employees: employees ?? texts)
        #expect(daemon.drained(60))
        // Ingested: the last file's records are listed.
        #expect(waitUntil(30) { (try? daemon.ctl("--json", "list", "--limit", "1000").stdout.contains("\"agent\(texts.count - 1)\"")) ?? false })
        return daemon
    }

    @Test("the report, tokenised as a browser does, has no element or attribute a payload introduced; a CSP forbids scripts")
    func report() throws {
        let hostile = try Self.start("hostile-report", texts: Self.payloads.map(\.text))
        // The baseline has as many names, each as long as its payload: the channel bar shows a
        // label only where it fits, so lengths shape the page.
        let benign = try Self.start("benign-report", texts: Self.payloads.enumerated().map { i, p in
            let tag = "benign\(i)", length = p.text.trimmingCharacters(in: .whitespacesAndNewlines).count
            return tag + String(repeating: "b", count: max(0, length - tag.count))
        }, employees: Self.payloads.enumerated().map { i, p in
            // Rejected like the payload (an employee name with a control), so the figures match.
            p.text.unicodeScalars.contains { $0.value < 0x20 || Self.isHidden($0) } ? "benign\(i)\u{1}" : "benign\(i)"
        })
        func render(_ daemon: DaemonProcess) throws -> OutputOracles.HTML {
            let out = daemon.directory.sub("report.html")
            let r = try daemon.ctl("report", "--window", "30d", "--out", out)
            #expect(r.status == 0, "\(r.stderr)")
            return try OutputOracles.html(out)
        }
        let h = try render(hostile), b = try render(benign)
        let shapes = { (html: OutputOracles.HTML) in Dictionary(html.shapes.map { ($0, 1) }, uniquingKeysWith: +) }
        let introduced = shapes(h).filter { shapes(b)[$0.key] != $0.value }
        #expect(introduced.isEmpty, "elements or attributes the payloads changed: \(introduced)")
        #expect(!h.shapes.contains { $0.hasPrefix("script(") || $0.hasPrefix("img(") || $0.contains(" on") || $0.contains("(on") })
        // Issue 18: a department or channel outside the label vocabulary is no category of its
        // own, so no payload reaches the page as a label (the channel mix shows `unknown`).
        let shown = h.data.joined() + h.attributeValues.joined()
        #expect(!shown.contains("<img src=x onerror=alert(1)><svg onload=alert(2)>"))
        #expect(shown.contains("unknown"))
        #expect(h.csp.count == 1)
        let policy = h.csp.first ?? ""
        #expect(policy.contains("default-src 'none'") && !policy.contains("script-src"), "CSP: \(policy)")
    }

    @Test("the CSV export, read back by Python's csv, gives every payload as written and no cell a spreadsheet runs")
    func csv() throws {
        let daemon = try Self.start("hostile-csv", texts: Self.payloads.map(\.text))
        for delimiter in [",", ";"] {
            let out = daemon.directory.sub("export\(delimiter == "," ? "comma" : "semicolon").csv")
            let r = try daemon.ctl("export", "--window", "30d", "--delimiter", delimiter, "--out", out)
            #expect(r.status == 0, "\(r.stderr)")
            // Python's csv with its default comma: for ';' read the file with that delimiter.
            let script = delimiter == "," ? OutputOracles.csvScript : OutputOracles.csvScript.replacingOccurrences(of: "csv.reader(f)", with: "csv.reader(f, delimiter=';')")
            let rows = try JSONDecoder().decode([[String]].self, from: try OutputOracles.run(script, on: out))
            let header = try #require(rows.first)
            #expect(rows.dropFirst().allSatisfy { $0.count == header.count }, "every record has the header's \(header.count) cells")
            let number = try NSRegularExpression(pattern: "^[-+]?[0-9]+([.,][0-9]+)?$")
            for row in rows.dropFirst() {
                for cell in row {
                    let trimmed = cell.drop { $0 == " " }
                    guard let first = trimmed.unicodeScalars.first, "=+-@\t\r\n＝＋－＠".unicodeScalars.contains(first) else { continue }
                    let isNumber = number.firstMatch(in: cell, range: NSRange(cell.startIndex..., in: cell)) != nil
                    #expect(isNumber, "a cell a spreadsheet would run: \(cell.debugDescription)")
                }
            }
            let customer = try #require(header.firstIndex(of: "customer"))
            let customers = Set(rows.dropFirst().map { $0[customer] }.filter { !$0.isEmpty })
            for (name, p) in Self.payloads {
                // As stored: ingestion trims surrounding whitespace (U+0085 included).
                let stored = p.trimmingCharacters(in: .whitespacesAndNewlines)
                #expect(customers.contains(stored) || customers.contains("'" + stored), "\(name): the customer reads back as stored")
            }
        }
    }

    @Test("metrics stay valid exposition format: the project's lexer always, promtool when installed")
    func metrics() throws {
        let daemon = try Self.start("hostile-metrics", texts: Self.payloads.map(\.text))
        let r = try daemon.ctl("metrics")
        #expect(r.status == 0, "\(r.stderr)")
        let text = r.stdout
        let check = ExpositionCheck(text)
        #expect(check.problems.isEmpty, "\(check.problems)")
        // Issue 18: labels are the configured vocabulary; a payload department counts as unassigned.
        let departments = Set(check.labelValues["department"] ?? [])
        let known = Set(ValuationConfig().departments.keys).union(["unassigned"])
        #expect(!departments.isEmpty && departments.isSubset(of: known), "\(departments)")
        if let (status, output) = try OutputOracles.promtool(text) {
            // promtool also lints (e.g. counters without _total); parse errors are what matter here.
            #expect(status == 0 || !output.contains("error while linting: text format parsing error"), "promtool: \(output)")
            #expect(!output.contains("parsing error"), "promtool: \(output)")
        } else {
            print("Hostile output: promtool is not installed (Debian package prometheus); only the project's exposition check ran")
        }
    }

    @Test("dialogctl's human output shows controls and bidi visibly; --json stays exact")
    func dialogctl() throws {
        let daemon = try Self.start("hostile-ctl", texts: Self.payloads.map(\.text))
        let list = try daemon.ctlJSON(ListResult.self, "list", "--limit", "1000")
        var outputs: [(String, CommandResult)] = []
        func run(_ args: String...) throws { outputs.append((args.joined(separator: " "), try runDialogctl(["--socket", daemon.socketPath] + args))) }
        try run("list", "--limit", "1000")
        try run("quarantine")
        try run("review", "--limit", "1000")
        try run("status")
        for by in ["department", "channel", "outcome"] { try run("roi", "--by", by) }
        try run("kpi")
        try run("pyramid")
        for c in list.conversations { try run("show", String(c.id)) }
        for (_, p) in Self.payloads {
            try run("show", p)
            try run("list", "--channel", p)
            try run("roi", "--channel", p)
        }
        for (command, result) in outputs {
            let hidden = (result.stdout + result.stderr).unicodeScalars.filter(Self.isHidden)
            #expect(hidden.isEmpty, "dialogctl \(command.debugDescription) printed \(hidden.map { String($0.value, radix: 16) })")
        }
        let all = outputs.map { $0.1.stdout + $0.1.stderr }.joined()
        #expect(all.contains("\\x1b]52;c;cHduZWQ=\\x07"), "OSC 52 shown visibly")
        #expect(all.contains("\\u202e"), "a bidi override shown visibly")
        // --json is exact: the stored customer comes back unchanged.
        // A channel outside the vocabulary counts as unknown and keeps its text (issue 18).
        let osc = try #require(list.conversations.first { $0.rawChannel == Self.payloads[10].text })
        let detail = try daemon.ctlJSON(ConversationDetail.self, "show", String(osc.id))
        #expect(detail.customer == Self.payloads[10].text)
    }

    @Test("formats for programs (metrics, CSV, HTML) are exact into a file and shown escaped on a terminal")
    func machineFormatsOnATerminal() throws {
        guard let script = OutputOracles.which("script") else {
            print("Hostile output: util-linux 'script' is not installed; the terminal case was not run")
            return
        }
        let daemon = try Self.start("hostile-tty", texts: Self.payloads.map(\.text))
        for args in [["metrics"], ["export", "--window", "30d"], ["report", "--window", "30d", "--out", "-"]] {
            let command = ([DaemonProcess.binary("dialogctl"), "--socket", daemon.socketPath] + args).map { "'\($0)'" }.joined(separator: " ")
            let dir = TestDirectory("tty")
            // script(1) runs the command on a pseudo-terminal; its line discipline turns LF into CRLF.
            let status = try spawnAndWait([script, "-qec", command, "/dev/null"], environment: nil, stdout: dir.sub("out"), stderr: dir.sub("err"))
            let shown = (dir.read("out") ?? "").replacingOccurrences(of: "\r\n", with: "\n")
            #expect(status == 0, "\(args): \(dir.read("err") ?? "")")
            let hidden = shown.unicodeScalars.filter(Self.isHidden)
            #expect(hidden.isEmpty, "dialogctl \(args) on a terminal printed \(hidden.map { String($0.value, radix: 16) })")
            // Issue 18: metrics and the report carry vocabulary labels only, so the payload reaches
            // just the export (its customer and raw fields).
            guard args[0] == "export" else { continue }
            #expect(shown.lowercased().contains("\\x1b]52;c;chduzwq=\\x07"), "\(args): OSC 52 shown visibly")
            // Into a file the same command is exact: the raw ESC is there.
            let exact = try runDialogctl(["--socket", daemon.socketPath] + args)
            #expect(exact.stdout.lowercased().contains("\u{1b}]52;c;chduzwq=\u{07}"), "\(args): exact into a file")
        }
    }

    @Test("the daemon's log lines show controls in file names and stored text visibly")
    func logLines() throws {
        let daemon = try Self.start("hostile-log", texts: Self.payloads.map(\.text))
        let hidden = daemon.log.unicodeScalars.filter(Self.isHidden)
        #expect(hidden.isEmpty, "the log holds \(hidden.map { String($0.value, radix: 16) })")
    }
}
