import DialogCore
import DialogStore
import Foundation
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// docs/spool.md end to end: the real daemon, a real spool with inotify, a real SQLite file.
@Suite("Ingest of every format")
struct IngestFormatsTests {
    /// One sample per format, each carrying every field; `tag` makes ids and content unique.
    static func samples(_ tag: String, date: String) -> [(name: String, text: String)] {
        [
            ("\(tag).conv", """
                ID: \(tag)-conv
                Datum: \(date)
                Mitarbeiter: anna.schmidt
                Kanal: XING
                Kunde: @kunde123
                Abteilung: Sales
                Ergebnis: lead
                Dauer: 1h30m
                Wert: 1.200,50 €
                Zufriedenheit: 4/5
                Sentiment: positive
                Response-Time: 2h
                Betreff: Angebot 40 Lizenzen
                Tags: b2b, Pilot

                Kunde fragt nach einem Angebot für 40 Lizenzen; Pilot im Januar vereinbart.
                """),
            ("\(tag).txt", "id: \(tag)-txt\r\nDate: \(date)\r\nEmployee: ben\r\nChannel: email\r\nDuration: 25m\r\nValue: EUR 80\r\nOutcome: resolved\r\nDepartment: service\r\n\r\nPrinter fixed.\r\n"),
            ("\(tag).json", """
                {"id": "\(tag)-json", "date": "\(date)", "employee": "carla", "channel": "twitter",
                 "customer": "@c", "department": "marketing", "outcome": "advocacy", "duration": 10,
                 "value": "1,200.00", "satisfaction": 5, "sentiment": "positive", "response_time": "15m",
                 "subject": "Retweet", "text": "Thanks!", "tags": ["campaign-x", "b2c"]}
                """),
            ("\(tag).jsonl", """
                {"id": "\(tag)-jsonl-1", "date": "\(date)", "employee": "dora", "channel": "chat", "duration": "5m", "outcome": "idea", "department": "product", "text": "dark mode please"}
                {"id": "\(tag)-jsonl-2", "date": "\(date)", "employee": "dora", "channel": "chat", "duration": "7m", "outcome": "bug", "department": "product", "text": "export crashes"}

                """),
            ("\(tag).csv", "id;date;employee;channel;duration;value;outcome;department;text\r\n\(tag)-csv-1;\(date);emil;phone;20;\"1.000,00 €\";won;sales;\"Vertrag \"\"Gold\"\"\r\nunterschrieben\"\r\n\(tag)-csv-2;\(date);emil;phone;15;0;lost;sales;zu teuer\r\n"),
        ]
    }

    static let expectedIDs = ["conv", "txt", "json", "jsonl-1", "jsonl-2", "csv-1", "csv-2"]

    @Test("each format, dropped by rename and by direct write, is stored with every field, once")
    func everyFormatStoredOnce() throws {
        let dir = TestDirectory("formats")
        let daemon = try DaemonProcess(directory: dir).start()
        let date = isoDate(-3600)
        for sample in Self.samples("renamed", date: date) { daemon.drop(sample.name, sample.text) }
        // A direct write into new/: the daemon must take it once it is closed (IN_CLOSE_WRITE).
        for sample in Self.samples("direct", date: date) { dir.write("spool/new/\(sample.name)", sample.text) }
        #expect(daemon.drained(), "new/ not drained; log:\n\(daemon.log)")
        #expect(dir.list("spool/cur").count == 10)
        #expect(dir.list("spool/quarantine").isEmpty, "quarantine: \(dir.list("spool/quarantine"))")

        // The same content again, under other names: archived, not counted twice.
        for sample in Self.samples("renamed", date: date) { daemon.drop("again-" + sample.name, sample.text) }
        #expect(daemon.drained())
        #expect(daemon.stop() == 0)
        #expect(dir.list("spool/cur").count == 15)

        let store = try ConversationStore(path: daemon.databasePath)
        #expect(try store.conversationCount() == 14)
        for tag in ["renamed", "direct"] {
            for id in Self.expectedIDs {
                #expect(try store.conversation(key: "id:\(tag)-\(id)") != nil, "missing \(tag)-\(id)")
            }
        }
        let expectedDate = Int64(ISO8601DateFormatter().date(from: date)!.timeIntervalSince1970)

        let conv = try #require(try store.conversation(key: "id:renamed-conv")).record
        #expect(conv.date == expectedDate)
        #expect(conv.employee == "anna.schmidt")
        #expect(conv.channel == "xing")
        // `[privacy] customers = pseudonymous`, the default: a keyed pseudonym, not the handle.
        #expect(conv.customer.map(CustomerIdentity.isPseudonym) == true, "\(conv.customer ?? "nil")")
        #expect(conv.department == "sales")
        #expect(conv.outcome == "lead")
        #expect(conv.durationSeconds == 5400)
        #expect(conv.valueCents == 120_050)
        #expect(conv.satisfaction == 4)
        #expect(conv.sentiment == "positive")
        #expect(conv.responseTimeSeconds == 7200)
        #expect(conv.subject == "Angebot 40 Lizenzen")
        #expect(conv.tags == ["b2b", "pilot"])
        #expect(conv.text == "Kunde fragt nach einem Angebot für 40 Lizenzen; Pilot im Januar vereinbart.")

        let txt = try #require(try store.conversation(key: "id:direct-txt")).record
        #expect(txt.employee == "ben" && txt.durationSeconds == 1500 && txt.valueCents == 8000 && txt.text == "Printer fixed.")

        let json = try #require(try store.conversation(key: "id:renamed-json")).record
        #expect(json.channel == "twitter" && json.durationSeconds == 600 && json.valueCents == 120_000)
        #expect(json.satisfaction == 5 && json.responseTimeSeconds == 900 && json.tags == ["campaign-x", "b2c"])
        #expect(json.department == "marketing" && json.outcome == "advocacy")
        #expect(json.customer.map(CustomerIdentity.isPseudonym) == true && json.customer != conv.customer)

        let jsonl = try #require(try store.conversation(key: "id:renamed-jsonl-2"))
        #expect(jsonl.record.outcome == "bug" && jsonl.line == 2 && jsonl.sourceFile == "renamed.jsonl")

        let csv = try #require(try store.conversation(key: "id:direct-csv-1")).record
        #expect(csv.valueCents == 100_000 && csv.durationSeconds == 1200 && csv.outcome == "won")
        #expect(csv.text == "Vertrag \"Gold\"\r\nunterschrieben")  // bytes inside quotes as written (csv-spectrum)
    }

    @Test("a date whose day name is wrong is stored, and the warning (file, line, field) reaches the daemon log")
    func wrongWeekdayWarnsInTheLog() throws {
        let dir = TestDirectory("weekday")
        let daemon = try DaemonProcess(directory: dir).start()
        // Yesterday at noon UTC, written with the day name of the day after.
        let day = (Int64(Date().timeIntervalSince1970) / 86_400 - 1)
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let parts = utc.dateComponents([.year, .month, .day, .weekday], from: Date(timeIntervalSince1970: Double(day * 86_400)))
        let names = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let wrong = names[parts.weekday! % 7]  // weekday is 1...7 from Sunday: this is the next day's name
        let date = "\(wrong), \(parts.day!) \(months[parts.month! - 1]) \(parts.year!) 12:00:00 GMT"
        daemon.drop("weekday.conv", "Employee: anna\nDate: \(date)\n\nhello\n")
        #expect(daemon.drained(), "log:\n\(daemon.log)")
        #expect(waitUntil(10) { daemon.log.contains("weekday.conv: line 2: field \"date\": the date says") }, "log:\n\(daemon.log)")
        #expect(daemon.stop() == 0)
        #expect(dir.list("spool/quarantine").isEmpty)
        #expect(try ConversationStore(path: daemon.databasePath).conversationCount() == 1)
    }

    @Test("a record without id is keyed by its content: dropping it twice stores it once")
    func contentKeyDeduplicates() throws {
        let dir = TestDirectory("contentkey")
        let daemon = try DaemonProcess(directory: dir).start()
        let text = "Datum: \(isoDate(-60))\nMitarbeiter: anna\nDauer: 5m\n\nkurze Frage\n"
        daemon.drop("a.conv", text)
        #expect(daemon.drained())
        daemon.drop("a.conv", text) // same name again: archived beside the first, not overwritten
        daemon.drop("b.conv", text)
        #expect(daemon.drained())
        daemon.drop("c.conv", text.replacingOccurrences(of: "kurze", with: "lange"))
        #expect(daemon.drained())
        #expect(daemon.stop() == 0)
        #expect(try ConversationStore(path: daemon.databasePath).conversationCount() == 2)
        #expect(dir.list("spool/cur") == ["a.conv", "a.conv.1", "b.conv", "c.conv"])
    }

    @Test("files waiting in new/ before the daemon starts are taken by the start-up scan")
    func startupScan() throws {
        let dir = TestDirectory("startup")
        let daemon = DaemonProcess(directory: dir)
        dir.write("spool/new/early.conv", "Date: \(isoDate(-60))\nEmployee: early\n\nhello\n")
        dir.write("spool/new/.hidden.conv", "Date: \(isoDate(-60))\nEmployee: hidden\n\nhello\n")
        try daemon.start()
        #expect(waitUntil { dir.list("spool/cur") == ["early.conv"] })
        #expect(daemon.stop() == 0)
        #expect(dir.list("spool/new") == [".hidden.conv"], "dot-files are the writer's business")
    }

    @Test("archive_days = 0 deletes originals at once instead of keeping them in cur/")
    func archiveZeroDeletes() throws {
        let dir = TestDirectory("noarchive")
        let daemon = try DaemonProcess(directory: dir, settings: ["spool.archive_days": "0"]).start()
        daemon.drop("gone.conv", "Date: \(isoDate(-60))\nEmployee: x\n\nhi\n")
        #expect(daemon.drained())
        #expect(daemon.stop() == 0)
        #expect(dir.list("spool/cur").isEmpty)
        #expect(try ConversationStore(path: daemon.databasePath).conversationCount() == 1)
    }
}
