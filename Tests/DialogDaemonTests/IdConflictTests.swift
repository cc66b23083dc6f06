@testable import DialogCore
import DialogStore
import Foundation
import Testing

/// Issue 19: a different record with a stored id is a conflict, refused with a reason that
/// names the stored record; an amend replaces it and moves its figures, exactly once.
/// Real daemon, real spool, real SQLite (docs/spool.md "ids, conflicts, amends").
@Suite("Id conflicts and amends")
struct IdConflictTests {
    static func anna(_ date: String, header: String = "") -> String {
        "\(header)Id: 7\nDate: \(date)\nEmployee: anna\nDepartment: sales\nOutcome: won\nChannel: phone\nDuration: 45m\nValue: 5.000,00 EUR\n\nRahmenvertrag unterschrieben.\n"
    }

    static func bert(_ date: String, header: String = "") -> String {
        "\(header)Id: 7\nDate: \(date)\nEmployee: bert\nDepartment: service\nOutcome: resolved\nChannel: email\nDuration: 20m\n\nDrucker läuft wieder.\n"
    }

    /// The figures of `roi --by D` for every dimension, without the window (it moves with the clock).
    static func figures(_ daemon: DaemonProcess) throws -> [String: [RoiRow]] {
        var out: [String: [RoiRow]] = [:]
        for by in ["department", "outcome", "channel"] {
            let result = try runDialogctl(["--socket", daemon.socketPath, "--json", "roi", "--window", "30d", "--by", by])
            guard result.status == 0 else { throw ClientError.failed("roi --by \(by) exited \(result.status): \(result.stderr)") }
            let report = try JSONDecoder().decode(InCurrency<RoiReport>.self, from: Data(result.stdout.utf8)).value
            out[by] = report.rows + [RoiRow(key: "total", figures: report.total)]
        }
        return out
    }

    static func status(_ daemon: DaemonProcess) throws -> StatusResult { try daemon.ctlJSON(StatusResult.self, "status") }

    @Test("same id, other content: refused into quarantine with a reason naming the stored record; counted; never dropped")
    func conflictingConvIsRefused() throws {
        let dir = TestDirectory("conflict-conv")
        let daemon = try DaemonProcess(directory: dir, settings: ["privacy.employee_figures": "named"]).start()
        defer { daemon.stop() }
        let annaDate = isoDate(-7200), bertDate = isoDate(-3600)
        daemon.drop("anna.conv", Self.anna(annaDate))
        #expect(daemon.drained())
        daemon.drop("bert.conv", Self.bert(bertDate))
        #expect(daemon.drained())

        #expect(dir.list("spool/quarantine").sorted() == ["bert.conv", "bert.conv.reason"])
        let reason = dir.read("spool/quarantine/bert.conv.reason") ?? ""
        #expect(reason.contains("row 1 ("), "\(reason)")
        #expect(reason.contains(String(annaDate.prefix(16))), "the stored record's date: \(reason)")
        #expect(reason.contains("anna"), "the stored record's employee ([privacy] named): \(reason)")
        #expect(reason.contains("employee, channel, department, outcome, duration, value, text"), "\(reason)")
        #expect(reason.contains("Amends: 7"), "says what to do: \(reason)")
        let status = try Self.status(daemon)
        #expect(status.recordsStored == 1 && status.recordsDuplicate == 0 && status.recordsConflicting == 1)
        #expect(status.filesQuarantined == 1)
        let metrics = try daemon.ctl("metrics").stdout
        #expect(metrics.contains("\ndialogd_records_conflicting_total 1\n"), "\(metrics)")
        let human = try daemon.ctl("status").stdout
        #expect(human.contains("1 conflicting"), "\(human)")

        // The same conversation again, written as JSON with other spellings: a duplicate, not a conflict.
        daemon.drop("anna-again.json", """
            {"ID": "7", "datum": "\(annaDate)", "mitarbeiter": "anna", "abteilung": "Sales", "ergebnis": "WON",
             "kanal": "Phone", "dauer": "45m", "wert": "5000 EUR", "text": "Rahmenvertrag unterschrieben."}
            """)
        #expect(daemon.drained())
        let after = try Self.status(daemon)
        #expect(after.recordsDuplicate == 1 && after.recordsConflicting == 1 && after.filesQuarantined == 1)
        daemon.stop()
        let store = try ConversationStore(path: daemon.databasePath)
        #expect(try store.conversationCount() == 1)
        #expect(try store.conversation(key: "id:7")?.record.employee == "anna")
    }

    @Test("with [privacy] employee_figures = off the reason names row and date, not the employee")
    func conflictReasonKeepsPrivacy() throws {
        let dir = TestDirectory("conflict-privacy")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        daemon.drop("anna.conv", Self.anna(isoDate(-7200)))
        #expect(daemon.drained())
        daemon.drop("bert.conv", Self.bert(isoDate(-3600)))
        #expect(daemon.drained())
        let reason = dir.read("spool/quarantine/bert.conv.reason") ?? ""
        #expect(reason.contains("row 1 (") && !reason.contains("anna"), "\(reason)")
    }

    @Test("an amend (Korrigiert:) replaces the record; ROI figures equal a fresh store holding only the amended one; twice is a duplicate")
    func amendMovesFigures() throws {
        let annaDate = isoDate(-7200), bertDate = isoDate(-3600)
        let dir = TestDirectory("amend-conv")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        daemon.drop("anna.conv", Self.anna(annaDate))
        daemon.drop("other.conv", convRecord(employee: "cora", text: "unrelated"))
        #expect(daemon.drained())
        let before = try Self.figures(daemon)
        daemon.drop("bert.conv", Self.bert(bertDate, header: "Korrigiert: 7\n"))
        #expect(daemon.drained())
        #expect(dir.list("spool/quarantine").isEmpty, "\(dir.list("spool/quarantine"))")
        var status = try Self.status(daemon)
        #expect(status.recordsAmended == 1 && status.recordsConflicting == 0 && status.conversations == 2)
        let amended = try Self.figures(daemon)
        #expect(amended != before)

        // The same amend again (a crash before the move, a writer's retry): no second change.
        daemon.drop("bert-again.conv", Self.bert(bertDate, header: "Amends: 7\n"))
        #expect(daemon.drained())
        status = try Self.status(daemon)
        #expect(status.recordsAmended == 1 && status.recordsDuplicate == 1)
        #expect(try Self.figures(daemon) == amended)
        // And the original, sent again as if new, now conflicts with the amended record.
        daemon.drop("anna-again.conv", Self.anna(annaDate))
        #expect(daemon.drained())
        #expect(try Self.status(daemon).recordsConflicting == 1)
        #expect((dir.read("spool/quarantine/anna-again.conv.reason") ?? "").contains("Amends: 7"))

        // A fresh store with only the amended record (and the unrelated one) has the same figures.
        let freshDir = TestDirectory("amend-fresh")
        let fresh = try DaemonProcess(directory: freshDir).start()
        defer { fresh.stop() }
        fresh.drop("bert.conv", Self.bert(bertDate))
        fresh.drop("other.conv", convRecord(employee: "cora", text: "unrelated"))
        #expect(fresh.drained())
        #expect(try Self.figures(fresh) == amended)

        daemon.stop()
        let store = try ConversationStore(path: daemon.databasePath)
        let row = try store.conversation(key: "id:7")
        #expect(row?.rowID == 1, "the amend keeps the row")
        #expect(row?.record.employee == "bert" && row?.sourceFile == "bert.conv")

        // The classifier's learning moved too: its saved counts equal a model that learned only
        // the stored rows (anna's "sales"/"won" taken back, bert's labels learned).
        let saved = try #require(try store.loadModels()).models
        var relearned = Classifier()
        try store.forEachLearnable(after: 0) { document, labels in
            for (dimension, label) in labels { relearned.learn(document, dimension: dimension, label: label) }
        }
        for dimension in Dimension.allCases {
            let (got, want) = (Self.counts(saved[dimension]?.bayes), Self.counts(relearned.models[dimension]?.bayes))
            #expect(got.count == want.count && got == want, "\(dimension): \(got.keys.sorted()) vs \(want.keys.sorted())")
        }
    }

    /// A naive Bayes model's evidence by label name (labels without any left out), so two models
    /// that learned the same documents in another order, or took one back, compare equal.
    static func counts(_ bayes: NaiveBayes?) -> [String: [Int: Float]] {
        guard let bayes else { return [:] }
        var out: [String: [Int: Float]] = [:]
        let stride = bayes.labels.count
        for (c, label) in bayes.labels.enumerated() {
            var buckets: [Int: Float] = [:]
            for b in 0..<NaiveBayes.buckets where bayes.table[b * stride + c] != 0 { buckets[b] = bayes.table[b * stride + c] }
            if bayes.documents[c] != 0 || !buckets.isEmpty { out[label] = buckets.merging([-1: Float(bayes.documents[c])]) { $1 } }
        }
        return out
    }

    @Test("dialogctl amend FILE drops the refused file with Amends set (.conv with CRLF, .json); a file without id is refused, nothing written")
    func amendCommand() throws {
        let date = isoDate(-3600)
        let dir = TestDirectory("amend-cmd")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        daemon.drop("anna.conv", Self.anna(isoDate(-7200)))
        daemon.drop("x.json", "{\"id\": 8, \"date\": \"\(date)\", \"employee\": \"xaver\", \"text\": \"first\"}")
        #expect(daemon.drained())
        daemon.drop("bert.conv", Self.bert(date).replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(daemon.drained())
        #expect(dir.list("spool/quarantine").contains("bert.conv"))

        // The writer amends the quarantined file as it is.
        let result = try runDialogctl(["--config", daemon.configPath, "amend", dir.sub("spool/quarantine/bert.conv")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("replaces the stored record with id 7"), "\(result.stdout)")
        dir.write("x2.json", "\u{FEFF}  {\"id\": 8, \"date\": \"\(date)\", \"employee\": \"xaver\", \"text\": \"second\"}")
        let json = try runDialogctl(["--config", daemon.configPath, "--json", "amend", dir.sub("x2.json")])
        #expect(json.status == 0 && json.stdout.contains("\"amends\":\"8\""), "\(json.stderr)")
        #expect(daemon.drained())
        let status = try Self.status(daemon)
        #expect(status.recordsAmended == 2 && status.recordsConflicting == 1)

        dir.write("noid.conv", "Date: \(date)\nEmployee: anna\n\nno id\n")
        let refused = try runDialogctl(["--config", daemon.configPath, "amend", dir.sub("noid.conv")])
        #expect(refused.status == 64 && refused.stderr.contains("it has no id"), "\(refused.stderr)")
        dir.write("many.jsonl", "{\"id\": \"8\", \"date\": \"\(date)\", \"employee\": \"a\"}\n")
        let many = try runDialogctl(["--config", daemon.configPath, "amend", dir.sub("many.jsonl")])
        #expect(many.status == 64 && many.stderr.contains("\"amends\" field"), "\(many.stderr)")
        #expect(dir.list("spool/new").isEmpty && dir.list("spool/tmp").isEmpty)

        daemon.stop()
        let store = try ConversationStore(path: daemon.databasePath)
        #expect(try store.conversation(key: "id:7")?.record.employee == "bert")
        #expect(try store.conversation(key: "id:7")?.record.text == "Drucker läuft wieder.")
        #expect(try store.conversation(key: "id:8")?.record.text == "second")
    }

    @Test("a large .csv (streamed in a savepoint) refused at its end takes its amend back: row, figures and model as before")
    func amendUndoneWithItsFile() throws {
        let date = isoDate(-3600)
        let dir = TestDirectory("amend-undone")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        daemon.drop("anna.conv", Self.anna(date))
        #expect(daemon.drained())
        let before = try Self.figures(daemon)
        var csv = "id;amends;date;employee;department;outcome;text\n"
        for i in 0..<1200 {
            csv += i == 600 ? ";7;\(date);bert;service;resolved;corrected\n" : "n\(i);;\(date);emil;;;filler row number \(i) of a large file\n"
        }
        csv += "z;;\(date);emil;;;\"a quote that never closes\n"
        #expect(csv.utf8.count > 64 * 1024)
        daemon.drop("big.csv", csv)
        #expect(daemon.drained())
        #expect(dir.list("spool/quarantine").contains("big.csv"), "\(dir.list("spool/quarantine"))")
        #expect(try Self.figures(daemon) == before)
        daemon.stop()
        let store = try ConversationStore(path: daemon.databasePath)
        #expect(try store.conversationCount() == 1)
        #expect(try store.conversation(key: "id:7")?.record.employee == "anna")
        let saved = try #require(try store.loadModels()).models
        var relearned = Classifier()
        try store.forEachLearnable(after: 0) { document, labels in
            for (dimension, label) in labels { relearned.learn(document, dimension: dimension, label: label) }
        }
        for dimension in Dimension.allCases {
            #expect(Self.counts(saved[dimension]?.bayes) == Self.counts(relearned.models[dimension]?.bayes), "\(dimension)")
        }
    }

    @Test("an amend of an id that is not stored is refused with a reason; nothing is stored")
    func amendOfUnknownIdIsRefused() throws {
        let dir = TestDirectory("amend-unknown")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        daemon.drop("bert.conv", Self.bert(isoDate(-3600), header: "Amends: 7\n"))
        #expect(daemon.drained())
        let reason = dir.read("spool/quarantine/bert.conv.reason") ?? ""
        #expect(reason.contains("field \"amends\"") && reason.contains("no record with this id is stored"), "\(reason)")
        let status = try Self.status(daemon)
        #expect(status.conversations == 0 && status.recordsRejected == 1 && status.recordsConflicting == 0)
        // An amend whose own id differs is refused by the parser: an amend keeps the id it corrects.
        daemon.drop("other.conv", "Amends: 7\n" + Self.bert(isoDate(-3600)).replacingOccurrences(of: "Id: 7", with: "Id: 8"))
        #expect(daemon.drained())
        #expect((dir.read("spool/quarantine/other.conv.reason") ?? "").contains("the record's own id \"8\""))
    }

    @Test(".jsonl and .csv: a conflicting record goes to the rejects with its reason, an amend applies, the rest is stored")
    func conflictsAndAmendsInsideMultiRecordFiles() throws {
        let date = isoDate(-3600)
        let dir = TestDirectory("conflict-multi")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        daemon.drop("first.jsonl", """
            {"id": "a", "date": "\(date)", "employee": "anna", "department": "sales", "outcome": "won", "value": "100 EUR", "text": "a1"}
            {"id": "b", "date": "\(date)", "employee": "anna", "department": "sales", "outcome": "lost", "text": "b1"}

            """)
        #expect(daemon.drained())
        daemon.drop("second.jsonl", """
            {"id": "a", "date": "\(date)", "employee": "anna", "department": "sales", "outcome": "won", "value": "100 EUR", "text": "a1"}
            {"id": "b", "date": "\(date)", "employee": "bert", "department": "service", "outcome": "resolved", "text": "b2"}
            {"amends": "b", "date": "\(date)", "employee": "anna", "department": "sales", "outcome": "won", "value": "250 EUR", "text": "b1 corrected"}
            {"id": "c", "date": "\(date)", "employee": "cora", "department": "service", "outcome": "resolved", "text": "c1"}

            """)
        #expect(daemon.drained())
        var status = try Self.status(daemon)
        #expect(status.recordsStored == 3 && status.recordsDuplicate == 1 && status.recordsConflicting == 1 && status.recordsAmended == 1)
        #expect(status.recordsRejected == 0)
        #expect(dir.list("spool/cur").contains("second.jsonl"))
        let rejects = dir.read("spool/quarantine/second.jsonl.rejects.jsonl") ?? ""
        #expect(rejects.hasPrefix("{\"line\":2,\"reason\":\"line 2: field \\\"id\\\": expected an id that is not stored yet"), "\(rejects)")
        #expect(rejects.contains("b2") && rejects.split(separator: "\n").count == 1, "the raw line is kept: \(rejects)")

        // CSV, with the German header for amends.
        daemon.drop("third.csv", """
            id;korrigiert;date;employee;department;outcome;value;text
            ;c;\(date);cora;service;resolved;30 EUR;c1 corrected
            d;;\(date);dora;product;idea;;d1
            a;;\(date);anna;sales;won;999 EUR;a1 changed

            """)
        #expect(daemon.drained())
        status = try Self.status(daemon)
        #expect(status.recordsStored == 4 && status.recordsConflicting == 2 && status.recordsAmended == 2)
        let csvRejects = dir.read("spool/quarantine/third.csv.rejects.jsonl") ?? ""
        #expect(csvRejects.contains("\"line\":4") && csvRejects.contains("value"), "\(csvRejects)")

        // A multi-record file in which nothing could be stored is refused as a whole, like an unparsable one.
        daemon.drop("fourth.jsonl", """
            {"id": "a", "date": "\(date)", "employee": "zoe", "text": "other"}

            """)
        #expect(daemon.drained())
        #expect((dir.read("spool/quarantine/fourth.jsonl.reason") ?? "").contains("Amends: a"))

        daemon.stop()
        let store = try ConversationStore(path: daemon.databasePath)
        #expect(try store.conversationCount() == 4)
        #expect(try store.conversation(key: "id:b")?.record.text == "b1 corrected")
        #expect(try store.conversation(key: "id:b")?.record.valueCents == 250_00)
        #expect(try store.conversation(key: "id:c")?.record.text == "c1 corrected")
        #expect(try store.conversation(key: "id:a")?.record.text == "a1")
    }
}

/// docs/spool.md for amends: SIGKILL while amends are being ingested — after a crash the files
/// still in new/ are read again, and an amend already committed is then a duplicate.
@Suite("Id conflicts and amends: crash safety")
struct AmendCrashTests {
    static func original(_ i: Int, date: String) -> String {
        "Id: am-\(i)\nDate: \(date)\nEmployee: e\(i % 5)\nDepartment: sales\nOutcome: won\nChannel: phone\nDuration: \(i % 40 + 5)m\nValue: \(i + 100) EUR\n\norig-\(i)\n"
    }

    /// The corrected record; `header` makes it an amend.
    static func corrected(_ i: Int, date: String, header: String) -> String {
        "\(header)Id: am-\(i)\nDate: \(date)\nEmployee: e\(i % 3)\nDepartment: service\nOutcome: resolved\nChannel: email\nDuration: \(i % 30 + 1)m\nValue: \(i * 3 + 7),50 EUR\n\namended-\(i)\n"
    }

    @Test("SIGKILL at several moments while 600 amends come in: each applied once, figures equal a fresh store of the final records")
    func sigkillDuringAmends() throws {
        let count = 600
        let date = isoDate(-5400)
        let dir = TestDirectory("amend-crash")
        let daemon = DaemonProcess(directory: dir, settings: ["spool.batch_max_files": "32", "log.level": "info"])
        try daemon.start()
        for i in 0..<count { daemon.drop("o\(i).conv", Self.original(i, date: date)) }
        #expect(daemon.drained(60))
        daemon.stop()

        // Amends as single files and inside .jsonl files (ten records each).
        var files: [(String, String)] = []
        for i in stride(from: 0, to: count, by: 2) { files.append(("a\(i).conv", Self.corrected(i, date: date, header: "Amends: am-\(i)\n"))) }
        for start in stride(from: 1, to: count, by: 20) {
            let lines = stride(from: start, to: min(start + 20, count), by: 2).map { i in
                "{\"amends\": \"am-\(i)\", \"date\": \"\(date)\", \"employee\": \"e\(i % 3)\", \"department\": \"service\", \"outcome\": \"resolved\", \"channel\": \"email\", \"duration\": \"\(i % 30 + 1)m\", \"value\": \"\(i * 3 + 7),50 EUR\", \"text\": \"amended-\(i)\"}"
            }
            files.append(("j\(start).jsonl", lines.joined(separator: "\n") + "\n"))
        }
        let waves = [files[0..<80], files[80..<160], files[160..<240], files[240...]]
        var waitingAtKill: [Int] = []
        for (round, wave) in waves.enumerated() {
            for (name, text) in wave { daemon.drop(name, text) }
            try daemon.start()
            usleep([0, 3_000, 10_000, 25_000][round])
            daemon.crash()
            waitingAtKill.append(dir.list("spool/new").count)
        }
        #expect(waitingAtKill.filter { $0 > 0 }.count >= 2, "files waiting at each kill: \(waitingAtKill)")
        try daemon.start()
        defer { daemon.stop() }
        #expect(daemon.drained(60), "new/ not drained; log tail:\n\(daemon.log.suffix(2000))")
        #expect(dir.list("spool/quarantine").isEmpty, "\(dir.list("spool/quarantine").prefix(5))")
        let amended = try IdConflictTests.figures(daemon)

        let freshDir = TestDirectory("amend-crash-fresh")
        let fresh = try DaemonProcess(directory: freshDir, settings: ["spool.batch_max_files": "256"]).start()
        defer { fresh.stop() }
        for i in 0..<count { fresh.drop("f\(i).conv", Self.corrected(i, date: date, header: "")) }
        #expect(fresh.drained(60))
        #expect(waitUntil(10) { (try? fresh.ctlJSON(StatusResult.self, "status").conversations) == count })
        #expect(try IdConflictTests.figures(fresh) == amended)

        daemon.stop()
        let store = try ConversationStore(path: daemon.databasePath)
        #expect(try store.conversationCount() == count)
        #expect(Set(try storedTexts(store)) == Set((0..<count).map { "amended-\($0)" }))
        #expect(try store.integrityCheck() == "ok")
    }
}
