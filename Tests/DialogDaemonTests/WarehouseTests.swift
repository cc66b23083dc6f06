import Foundation
import Testing
@testable import DialogCore

/// docs/warehouse.md on real parts: a real dialogd's CSV and JSON-lines exports loaded into a
/// real throwaway PostgreSQL server with the documented SQL files (not copies), whose figures
/// must equal `dialogctl roi`'s to the cent.
@Suite("PostgreSQL warehouse recipe", .enabled(if: ThrowawayPostgres.binDirectory != nil,
                                              "needs PostgreSQL 15 or newer server binaries (Debian: apt-get install postgresql; or set PG_BINDIR)"),
       .enabled(if: ThrowawayPostgres.canDropRoot, "runs as root without /usr/bin/setpriv: PostgreSQL refuses to run as root"))
struct WarehouseTests {
    static let recipe = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path + "/docs/warehouse/"
    /// A session zone with a 45-minute offset: the SQL must not depend on it.
    static let session = ["PGTZ": "Pacific/Chatham"]

    /// A few hundred conversations over 45 days: every department, outcomes known, aliased
    /// (German), unknown (`Interessnt`: review) and missing; values exact, approximate, absent;
    /// texts with formulas, quotes, line breaks and backslashes; extras and tags.
    static func seed(_ daemon: DaemonProcess) -> Int {
        let departments: [String?] = ["sales", "Vertrieb", "service", "Kundendienst", "Kundenservice", "marketing", "product",
                                      "Produktentwicklung", "Vetrieb", nil]
        let outcomes: [String?] = ["won", "gewonnen", "lost", "verloren", "resolved", "gelöst", "escalated", "eskaliert", "lead",
                                   "Anfrage", "Interessnt", "idea", nil, "advocacy", "Beschwerde", "unresolved"]
        let channels: [String?] = ["twitter", "email", "E-Mail", "Telefon", "phone", "xing", "chat", "Brieftaube", "forum", nil, "whatsapp"]
        let values: [String?] = [nil, "1.200,00 €", "ca. 500 €", "~80", "250.50 EUR", nil, "etwa 1.999,99 €", "3 EUR", nil]
        let durations: [String?] = [nil, "30m", "1h", "1,5h", "7m", "90s", nil]
        let texts: [String?] = ["Kunde sagt: \"zu teuer\", will Rabatt;\nRückruf morgen — Grüße", "=SUM(A1:A9)", nil,
                                "Pfad C:\\Temp\\neu und \\u00e9 bleibt Text", "  -2+3 ist keine Formel", "Wo bleibt meine Erstattung?",
                                "Tolles Produkt, gerne weiterempfehlen", nil]
        let count = 360
        var lines: [String] = []
        for i in 0..<count {
            var fields: [String] = []
            // Spread over 45 days back, minutes apart, so windows cut through the data.
            fields.append(#""date":"\#(isoDate(-((i * 10_837) % (45 * 86_400)) - 60))""#)
            if i % 3 != 0 { fields.append(#""id":"crm-\#(i)""#) }
            fields.append(#""employee":"\#(["anna", "bert", "Jürgen Groß", "cora"][i % 4])""#)
            if let d = departments[i % departments.count] { fields.append(#""department":\#(JSONValue.quote(d))"#) }
            if let o = outcomes[(i / 2) % outcomes.count] { fields.append(#""outcome":\#(JSONValue.quote(o))"#) }
            if let c = channels[(i / 3) % channels.count] { fields.append(#""channel":\#(JSONValue.quote(c))"#) }
            if let v = values[(i / 5) % values.count] { fields.append(#""value":\#(JSONValue.quote(v))"#) }
            if let d = durations[(i / 7) % durations.count] { fields.append(#""duration":"\#(d)""#) }
            if i % 4 == 0 { fields.append(#""satisfaction":\#(i % 5 + 1),"response_time":"\#(i % 90 + 1)m""#) }
            if i % 6 == 0 { fields.append(#""sentiment":"positive""#) }
            fields.append(#""subject":"Fall \#(i)""#)
            if let t = texts[i % texts.count] { fields.append(#""text":\#(JSONValue.quote(t))"#) }
            if i % 5 == 0 { fields.append(#""ticket":"T-\#(i)","Contact Phone Number":"0800 \#(i)""#) }
            if i % 8 == 0 { fields.append(#""tags":["vip","rabatt"]"#) }
            lines.append("{" + fields.joined(separator: ",") + "}")
        }
        daemon.drop("crm.jsonl", lines.joined(separator: "\n") + "\n")
        // A German spreadsheet: aliases, decimal commas, an approximate value.
        var csv = "Datum;Mitarbeiter;Abteilung;Ergebnis;Kanal;Dauer;Wert;Text\r\n"
        for i in 0..<40 {
            let row = [isoDate(-(i * 31_337) % (40 * 86_400) - 120), "eva", ["Vertrieb", "Kundendienst", "Marketing", ""][i % 4],
                       ["gewonnen", "gelöst", "Empfehlung", "Interessnt", ""][i % 5], ["Telefon", "E-Mail", "XING"][i % 3],
                       ["25m", "1,5h", ""][i % 3], ["\"1.200,00 €\"", "\"ca. 300 €\"", ""][i % 3], "Woche \(i)"]
            csv += row.joined(separator: ";") + "\r\n"
        }
        daemon.drop("woche.csv", csv)
        // One conversation inside the first and one inside the last hour of `edges`' window,
        // outside its exact bounds: counted only when both round outwards to whole hours.
        daemon.drop("edges.jsonl", edges.hours.map { #"{"date":"\#(iso($0 + 600))","employee":"anna","department":"sales","outcome":"won","value":"77 €"}"# }
            .joined(separator: "\n") + "\n")
        daemon.drop("angebot.conv", "Datum: \(isoDate(-4000))\nMitarbeiter: anna\nAbteilung: Vertrieb\nErgebnis: Anfrage\nKanal: Xing\nWert: 10.000,00 €\n\nAngebot über 10.000 €\n")
        return count + 40 + 2 + 1
    }

    /// A window whose edges are not whole hours: from 50 minutes into an hour 20 days back to
    /// 5 minutes into an hour 3 days back; `hours` are those two hours' starts.
    static let edges: (since: String, until: String, hours: [Int]) = {
        let now = Int(Date().timeIntervalSince1970)
        let first = (now - 20 * 86_400) / 3600 * 3600, last = (now - 3 * 86_400) / 3600 * 3600
        return (iso(first + 3000), iso(last + 300), [first, last])
    }()

    static func iso(_ unix: Int) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(unix)))
    }

    /// `roi --json` figures by key, and the total under "".
    static func figures(_ report: RoiReport) -> [String: RoiFigures] {
        // The warehouse carries conversations, not orders: compare the logged figures (issue 14's
        // attribution keys are roi's additions beside them).
        func logged(_ f: RoiFigures) -> RoiFigures {
            var f = f
            (f.attributedCents, f.orders, f.ordersCents, f.unattributedCents) = (nil, nil, nil, nil)
            return f
        }
        var out = Dictionary(uniqueKeysWithValues: report.rows.map { ($0.key, logged($0.figures)) })
        out[""] = logged(report.total)
        return out
    }

    /// A roi-by-*.sql answer (psql --csv): first column the key (empty: the total), then the figures.
    static func figures(csv: String) throws -> [String: RoiFigures] {
        var out: [String: RoiFigures] = [:]
        let lines = csv.split(separator: "\n").map(String.init)
        #expect(lines.first == "\(lines.first?.split(separator: ",").first ?? ""),conversations,minutes,cost_cents,value_cents,net_cents,roi")
        for line in lines.dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard cells.count == 7, let n = Int64(cells[1]), let m = Int64(cells[2]), let c = Int64(cells[3]), let v = Int64(cells[4]),
                  let net = Int64(cells[5]) else { throw ClientError.failed("not a figures row: \(line)") }
            var f = RoiFigures(RoiSums())
            (f.conversations, f.minutes, f.costCents, f.valueCents, f.netCents) = (n, m, c, v, net)
            f.roi = cells[6].isEmpty ? nil : Double(cells[6])
            out[cells[0]] = f
        }
        return out
    }

    func sql(_ pg: ThrowawayPostgres, _ file: String, _ variables: [String: String] = [:]) throws -> [String: RoiFigures] {
        let args = variables.sorted { $0.key < $1.key }.flatMap { ["-v", "\($0.key)=\($0.value)"] }
        let run = try pg.psql(["--csv"] + args + ["-f", Self.recipe + file], environment: Self.session)
        #expect(run.status == 0, "\(file): \(run.stderr)")
        return try Self.figures(csv: run.stdout)
    }

    /// `dialogctl --json roi ARGS…`.
    func roi(_ daemon: DaemonProcess, _ arguments: String...) throws -> RoiReport {
        let result = try runDialogctl(["--socket", daemon.socketPath, "--json", "roi"] + arguments)
        guard result.status == 0 else { throw ClientError.failed("dialogctl roi \(arguments) exited \(result.status): \(result.stderr)") }
        return try JSONDecoder().decode(InCurrency<RoiReport>.self, from: Data(result.stdout.utf8)).value
    }

    func load(_ pg: ThrowawayPostgres, _ file: String, from export: String) throws -> CommandResult {
        try pg.psql(["-v", "ON_ERROR_STOP=1", "-f", Self.recipe + file], stdin: export, environment: Self.session)
    }

    @Test("a real dialogd's CSV and JSON-lines exports, loaded into a real PostgreSQL with docs/warehouse/, give roi by department, month and channel group to the cent")
    func recipe() throws {
        let clock = ContinuousClock()
        let begun = clock.now
        let pg = try ThrowawayPostgres()
        let pgReady = clock.now - begun
        let dir = TestDirectory("warehouse")
        let daemon = DaemonProcess(directory: dir, settings: ["privacy.employee_figures": "pseudonymous"])
        try daemon.start()
        defer { daemon.stop() }
        let expected = Self.seed(daemon)
        #expect(daemon.drained())
        #expect(waitUntil(20) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == expected },
                "\(String(describing: try? daemon.ctlJSON(StatusResult.self, "status")))")
        #expect(dir.list("spool/quarantine").isEmpty)
        // Relabels (review): a mistyped outcome and department get theirs, a sale moves to marketing.
        let review = try daemon.ctlJSON(ReviewResult.self, "review", "--limit", "500")
        let typo = try #require(review.items.first { $0.unmatchedOutcome == "Interessnt" && $0.unmatchedDepartment == "Vetrieb" })
        let sale = try #require(try daemon.ctlJSON(ListResult.self, "list", "--department", "sales", "--limit", "1").conversations.first)
        for (row, args) in [(typo.id, ["--department", "Vertrieb", "--outcome", "gewonnen"]), (sale.id, ["--department", "marketing"])] {
            let run = try runDialogctl(["--socket", daemon.socketPath, "relabel", String(row)] + args)
            #expect(run.status == 0, "\(run.stderr)")
        }

        #expect(try pg.psql(["-v", "ON_ERROR_STOP=1", "-f", Self.recipe + "schema.sql"]).status == 0)
        let csvFile = dir.sub("all.csv"), jsonlFile = dir.sub("all.jsonl")
        #expect(try daemon.ctl("export", "--window", "all", "--page-size", "97", "--out", csvFile).status == 0)
        #expect(try daemon.ctl("export", "--window", "all", "--format", "jsonl", "--page-size", "97", "--out", jsonlFile).status == 0)

        let loadCSV = try load(pg, "load-csv.sql", from: csvFile)
        #expect(loadCSV.status == 0, "\(loadCSV.stderr)")
        try compare(pg, daemon, "CSV")
        // The table as the CSV filled it, to compare with the JSON lines' below.
        #expect(try pg.psql(["-v", "ON_ERROR_STOP=1", "-c", "CREATE TABLE from_csv AS SELECT * FROM dialogd.conversations"]).status == 0)

        let loadJSONL = try load(pg, "load-jsonl.sql", from: jsonlFile)
        #expect(loadJSONL.status == 0, "\(loadJSONL.stderr)")
        try compare(pg, daemon, "JSON lines")
        let differences = try pg.psql(["--csv", "-t", "-c", """
            SELECT count(*) FROM ((TABLE from_csv EXCEPT ALL TABLE dialogd.conversations)
                UNION ALL (TABLE dialogd.conversations EXCEPT ALL TABLE from_csv)) AS d
            """])
        #expect(differences.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "both exports load the same rows, every column: \(differences)")

        // What the rows hold: pseudonyms only, labels as written and counted, review cases, extras.
        let facts = try pg.psql(["--csv", "-t", "-c", """
            SELECT count(*), count(*) FILTER (WHERE employee ~ '^emp-[0-9a-f]{10}$'),
                   count(*) FILTER (WHERE department_written = 'Vetrieb' AND department_counted = 'unassigned'),
                   count(*) FILTER (WHERE outcome_written = 'Interessnt'),
                   count(*) FILTER (WHERE channel_written = 'Telefon' AND channel_counted = 'phone'),
                   count(*) FILTER (WHERE text = '=SUM(A1:A9)'), count(*) FILTER (WHERE text = 'Pfad C:\\Temp\\neu und \\u00e9 bleibt Text'),
                   count(*) FILTER (WHERE extras ->> 'Contact Phone Number' LIKE '0800 %'),
                   count(*) FILTER (WHERE value_cents IS NULL), count(*) FILTER (WHERE labels #>> '{department,source}' = 'review')
            FROM dialogd.conversations
            """])
        let numbers = facts.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",").compactMap { Int($0) }
        #expect(numbers.count == 10 && numbers[0] == expected && numbers[1] == expected, "\(facts)")
        #expect(numbers.count == 10 && numbers[2...9].allSatisfy { $0 > 0 }, "\(facts)")
        let relabelled = try pg.psql(["--csv", "-t", "-c", """
            SELECT department_counted || ' ' || outcome_counted || ' ' || (labels #>> '{department,source}') FROM dialogd.conversations
            WHERE row_id IN (\(typo.id), \(sale.id)) ORDER BY row_id = \(sale.id)
            """])
        #expect(relabelled.stdout == "sales won review\nmarketing \(sale.outcomeCounted ?? "") review\n", "\(relabelled)")
        #expect(try !String(contentsOfFile: csvFile, encoding: .utf8).contains("Jürgen"), "names stay in the daemon")

        // A --records-only export has no figures: refused with a reason, the table left as it was.
        let plain = dir.sub("plain.jsonl")
        #expect(try daemon.ctl("export", "--window", "all", "--format", "jsonl", "--records-only", "--out", plain).status == 0)
        let refused = try load(pg, "load-jsonl.sql", from: plain)
        #expect(refused.status != 0 && refused.stderr.contains("without a \"dialogd\" object"), "\(refused)")
        #expect(try pg.psql(["--csv", "-t", "-c", "SELECT count(*) FROM dialogd.conversations"]).stdout.hasPrefix("\(expected)\n"))
        // A writer's `\u0000` is stored; PostgreSQL text cannot hold it (and psql's \copy ends a
        // line at a NUL byte): both exports load, with U+FFFD in its place.
        daemon.drop("nul.jsonl", #"{"id":"nul-1","date":"\#(isoDate(-7200))","employee":"anna","department":"sales","outcome":"won","value":"12 €","text":"a\u0000b, \u0000","tags":["x\u0000"]}"# + "\n")
        #expect(daemon.drained())
        #expect(waitUntil(20) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == expected + 1 })
        let roiWithNul = try roi(daemon, "--window", "all", "--by", "department")
        for (format, file, loader) in [("csv", csvFile, "load-csv.sql"), ("jsonl", jsonlFile, "load-jsonl.sql")] {
            #expect(try daemon.ctl("export", "--window", "all", "--format", format, "--out", file).status == 0)
            let loaded = try load(pg, loader, from: file)
            #expect(loaded.status == 0, "\(format): \(loaded.stderr)")
            let found = try pg.psql(["--csv", "-t", "-c", "SELECT count(*) FROM dialogd.conversations WHERE text = 'a\u{FFFD}b, \u{FFFD}' AND tags = '{x\u{FFFD}}'"])
            #expect(found.stdout == "1\n", "\(format): \(found)")
            #expect(try sql(pg, "roi-by-department.sql", ["since": "-infinity", "until": "infinity"]) == Self.figures(roiWithNul), "\(format)")
        }
        print("warehouse: initdb + start \(pgReady), whole test \(clock.now - begun)")
    }

    /// The SQL's figures equal `roi`'s: all, a window whose edges are not whole hours, the
    /// default 30 days, by department, month and channel group.
    func compare(_ pg: ThrowawayPostgres, _ daemon: DaemonProcess, _ loaded: String) throws {
        let all = ["since": "-infinity", "until": "infinity"]
        let roiAll = try roi(daemon, "--window", "all", "--by", "department")
        #expect(roiAll.rows.count >= 5)
        #expect(try sql(pg, "roi-by-department.sql", all) == Self.figures(roiAll), "\(loaded): all, by department")

        let (since, until, _) = Self.edges
        let edges = try roi(daemon, "--since", since, "--until", until, "--by", "department")
        #expect(edges.window.since % 3600 == 0 && edges.window.until % 3600 == 0)
        #expect(try sql(pg, "roi-by-department.sql", ["since": since, "until": until]) == Self.figures(edges), "\(loaded): \(since) to \(until)")

        // A window without conversations: a total of zeros, as roi says, not NULLs.
        let (quietSince, quietUntil) = (Self.iso(Self.edges.hours[0] - 400 * 86_400), Self.iso(Self.edges.hours[0] - 399 * 86_400))
        let quiet = try roi(daemon, "--since", quietSince, "--until", quietUntil, "--by", "department")
        #expect(quiet.rows.isEmpty && quiet.total.conversations == 0)
        #expect(try sql(pg, "roi-by-department.sql", ["since": quietSince, "until": quietUntil]) == Self.figures(quiet), "\(loaded): an empty window")

        // The default window ends with the current hour: compare when the hour did not turn meanwhile.
        var same = false
        for _ in 0..<3 where !same {
            let before = try roi(daemon, "--by", "department")
            let fromSQL = try sql(pg, "roi-by-department.sql")
            let after = try roi(daemon, "--by", "department")
            guard before.window == after.window else { continue }
            same = true
            #expect(fromSQL == Self.figures(before), "\(loaded): the default 30 days")
            #expect(before.total.conversations < roiAll.total.conversations, "the data reach beyond 30 days")
        }
        #expect(same)

        let months = try roi(daemon, "--window", "all", "--by", "month")
        #expect(try sql(pg, "roi-by-month.sql", all.merging(["tz": "Europe/Berlin"]) { $1 }) == Self.figures(months), "\(loaded): by month")
        let groups = try roi(daemon, "--window", "all", "--by", "channel_group")
        #expect(groups.rows.map(\.key) == ["direct", "other", "social"])
        #expect(try sql(pg, "roi-by-channel-group.sql", all) == Self.figures(groups), "\(loaded): by channel group")
    }
}
