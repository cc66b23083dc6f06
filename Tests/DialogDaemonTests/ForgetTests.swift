import DialogCore
import DialogStore
import Foundation
import Testing

/// Erasure (issue 14, GDPR Art. 17) and storage limitation through the real daemon, spool,
/// SQLite file and dialogctl: the identity and the texts go, the anonymous figures stay.
@Suite("privacy: forget a customer, text_days")
struct ForgetTests {
    static func talk(_ id: String, _ offset: Int, _ customer: String, _ text: String) -> String {
        #"{"id":"\#(id)","date":"\#(isoDate(offset))","employee":"sara","department":"sales","outcome":"lead","customer":"\#(customer)","subject":"Re: \#(text)","text":"\#(text)","phone":"+49 170 1234567","duration":"10m","value":"50 EUR"}"#
    }

    static func storeBytes(_ daemon: DaemonProcess) -> String {
        [daemon.databasePath, daemon.databasePath + "-wal"].compactMap { FileManager.default.contents(atPath: $0) }
            .map { String(decoding: $0, as: UTF8.self) }.joined()
    }

    static func total(_ daemon: DaemonProcess) throws -> [String: Int64] {
        let run = try runDialogctl(["--socket", daemon.socketPath, "--json", "roi", "--window", "30d"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let total = json["total"] as? [String: Any] ?? [:]
        return total.compactMapValues { ($0 as? NSNumber)?.int64Value }
    }

    @Test("forget removes identity, texts and the originals holding them; figures and attributed revenue stay")
    func forget() throws {
        let dir = TestDirectory("forget")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        daemon.drop("talks.jsonl", [Self.talk("a1", -7200, "Anna@Example.com", "SECRET-ANNA-4711"),
                                    Self.talk("b1", -7000, "bob@example.com", "bob-stays-text")].joined(separator: "\n") + "\n")
        daemon.drop("anna.jsonl", Self.talk("a2", -5000, "anna@example.com", "SECRET-ANNA-4712") + "\n")
        daemon.drop("erp.orders.csv", "order_id,customer,date,amount\nA-1,ANNA@example.com,\(isoDate(-3600)),300.00\n")
        // A record that was refused still holds the address in quarantine/.
        daemon.drop("broken.jsonl", #"{"date":"nonsense","employee":"x","customer":"anna@example.com"}"# + "\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 3 })
        #expect(waitUntil(10) { dir.list("spool/quarantine").contains { $0.hasPrefix("broken") } })
        let before = try Self.total(daemon)
        #expect(before["attributed_cents"] == 300_00)
        let pseudonym = try #require(try daemon.ctlJSON(ConversationDetail.self, "show", "a1").customer)

        let result = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", " anna@EXAMPLE.com")
        #expect(result.conversations == 2 && result.orders == 1 && result.texts == 2, "\(result)")
        #expect(Set(result.files).isSuperset(of: ["cur/anna.jsonl", "cur/erp.orders.csv"]), "\(result.files)")
        // A file with other customers' records keeps them: only anna's line goes (issue 14 finding 7).
        #expect(result.rewritten == ["cur/talks.jsonl"], "\(result)")
        let talks = dir.read("spool/cur/talks.jsonl") ?? ""
        #expect(!talks.lowercased().contains("anna@example.com") && !talks.contains("SECRET-ANNA") && talks.contains("bob-stays-text"), "\(talks)")
        #expect(result.files.contains { $0.hasPrefix("quarantine/broken") }, "\(result.files)")
        #expect(!dir.list("spool/cur").contains("anna.jsonl") && !dir.list("spool/quarantine").contains { $0.hasPrefix("broken") })

        // The figures are the same, to the cent; the records count under a random label.
        #expect(try Self.total(daemon) == before)
        let a1 = try daemon.ctlJSON(ConversationDetail.self, "show", "a1")
        #expect(a1.text == nil && a1.summary.subject == nil && a1.extras.isEmpty && a1.customer == result.anonymousLabel)
        #expect(a1.customer?.hasPrefix("forgotten-") == true && a1.summary.attributedCents == 150_00)
        #expect(try daemon.ctlJSON(ConversationDetail.self, "show", "b1").text == "bob-stays-text")
        #expect(try daemon.ctlJSON(ListResult.self, "list", "--customer", pseudonym).conversations.isEmpty)
        // Said in the log, without the customer.
        #expect(daemon.log.contains("forget: uid") && !daemon.log.lowercased().contains("anna@example.com") && !daemon.log.contains(pseudonym))
        // Gone from the file and its WAL at once, not only after the daemon stops.
        #expect(!Self.storeBytes(daemon).contains("SECRET-ANNA"), "the text is still in the database file or its WAL")
        #expect(daemon.stop() == 0)
        let bytes = Self.storeBytes(daemon)
        #expect(!bytes.contains("SECRET-ANNA") && !bytes.contains(pseudonym), "the text is still in the file")
        #expect(bytes.contains("bob-stays-text"))
    }

    @Test("text_days removes old subjects and texts and keeps every figure")
    func textDays() throws {
        let dir = TestDirectory("text-days")
        let daemon = try DaemonProcess(directory: dir, settings: ["privacy.text_days": "2"]).start()
        defer { daemon.stop() }
        daemon.drop("talks.jsonl", [Self.talk("old", -3 * 86_400, "c@x.de", "OLD-TEXT-1"),
                                    Self.talk("new", -3600, "c@x.de", "NEW-TEXT-2")].joined(separator: "\n") + "\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 2 })
        let before = try Self.total(daemon)
        #expect(try daemon.ctl("reload").status == 0)
        #expect(waitUntil(10) { daemon.log.contains("removed subject and text of 1 conversation(s) older than 2 days") }, "\(daemon.log)")
        #expect(try daemon.ctlJSON(ConversationDetail.self, "show", "old").text == nil)
        #expect(try daemon.ctlJSON(ConversationDetail.self, "show", "new").text == "NEW-TEXT-2")
        #expect(try Self.total(daemon) == before)
        #expect(daemon.stop() == 0)
        #expect(!Self.storeBytes(daemon).contains("OLD-TEXT-1"))
    }

    /// docs/roi.md "Erasure": a rejects file holds every customer's refused rows of one export;
    /// forget of one customer number rewrites it without that customer's lines (whole words:
    /// K-400015 is another customer) and keeps the others'.
    @Test("forget of a customer number rewrites a rejects file without its lines and keeps the other customers' rows")
    func rejectsFileKeepsOthers() throws {
        let dir = TestDirectory("forget-rejects-rewrite")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        daemon.drop("sap.orders.csv", "Auftragsnummer;Kundennummer;Betrag;Bestelldatum\r\n"
            + "X-1;K-40001;\"kaputt\";\(isoDate(-3600))\r\nY-1;K-400015;\"kaputt\";\(isoDate(-3600))\r\n"
            + "Z-1;K-50002;\"kaputt\";\(isoDate(-3600))\r\nZ-2;K-50002;\"10,00 €\";\(isoDate(-3600))\r\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { dir.read("spool/quarantine/sap.orders.csv.rejects.jsonl") != nil })
        let result = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", "K-40001")
        #expect(result.rewritten == ["cur/sap.orders.csv", "quarantine/sap.orders.csv.rejects.jsonl"], "\(result)")
        let export = dir.read("spool/cur/sap.orders.csv") ?? ""
        #expect(export.hasPrefix("Auftragsnummer;") && !export.contains("K-40001;") && export.contains("Z-2;K-50002"), "\(export)")
        #expect(result.anonymousLabel == nil, "K-40001 has no stored order")
        let left = dir.read("spool/quarantine/sap.orders.csv.rejects.jsonl") ?? ""
        #expect(!left.contains("K-40001;") && left.contains("K-400015") && left.contains("K-50002"), "\(left)")
        #expect(left.split(separator: "\n").count == 2, "\(left)")
        #expect(dir.list("spool/quarantine").allSatisfy { !$0.hasPrefix(".") }, "a temporary was left behind")
    }
}
