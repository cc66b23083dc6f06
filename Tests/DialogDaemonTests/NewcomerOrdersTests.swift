import DialogCore
import Foundation
import Testing

/// An outside newcomer (a finance-minded admin with only the README and docs/) brings an ERP
/// export with German column names into the real daemon and checks the figures and the
/// erasure against the docs. Each test is one open finding of issue 14.
@Suite("newcomer: ERP orders, revenue figures, erasure")
struct NewcomerOrdersTests {
    static let day = 86_400

    static func talk(_ id: String, _ offset: Int, _ department: String, _ customer: String, text: String = "Gespräch") -> String {
        #"{"id":"\#(id)","date":"\#(isoDate(offset))","employee":"sara","channel":"e-mail","department":"\#(department)","outcome":"lead","customer":"\#(customer)","duration":"10m","subject":"Betreff \#(id)","text":"\#(text)"}"#
    }

    /// An ERP export as German tools write it: `;`, CRLF, German column names and money.
    static func orders(_ rows: [(id: String, customer: String, amount: String, offset: Int)]) -> String {
        "Auftragsnummer;Kundennummer;Betrag;Bestelldatum\r\n"
            + rows.map { "\($0.id);\($0.customer);\"\($0.amount)\";\(isoDate($0.offset))\r\n" }.joined()
    }

    static func json(_ daemon: DaemonProcess, _ arguments: String...) throws -> [String: Any] {
        let run = try runDialogctl(["--socket", daemon.socketPath, "--json"] + arguments)
        #expect(run.status == 0, "\(run.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    }

    static func ordersStored(_ daemon: DaemonProcess) -> Int64? {
        ((try? json(daemon, "roi", "--window", "30d"))?["total"] as? [String: Any])?["orders"].flatMap { ($0 as? NSNumber)?.int64Value }
    }

    /// roi.md "Erasure": a file in cur/ that mentions the address keeps its records, blanked —
    /// and the address must not stay in the store either, in the text of the record from that file.
    @Test("forget: the address is gone from the store, not only from the original that held it")
    func forgetLeavesNoAddressInOtherTexts() throws {
        let dir = TestDirectory("newcomer-forget-mention")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        daemon.drop("anna.jsonl", Self.talk("a1", -2 * Self.day, "Vertrieb", " Anna.Schmidt@Example.COM ") + "\n")
        daemon.drop("dora.jsonl", Self.talk("d1", -Self.day, "marketing", "dora@example.com",
                                            text: "Dora empfiehlt ihre Kollegin Anna.Schmidt@Example.com weiter.") + "\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 2 })
        let result = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", "anna.schmidt@example.com")
        // Dora's original is hers, not anna's: it stays, the mention blanked as in the store
        // (issue 14 re-check finding a; it used to be deleted whole) …
        #expect(result.rewritten == ["cur/dora.jsonl"] && !result.files.contains("cur/dora.jsonl"), "\(result)")
        #expect((dir.read("spool/cur/dora.jsonl") ?? "").contains("ihre Kollegin [forgotten] weiter."))
        // … and the record made from it no longer holds the address.
        let dora = try daemon.ctlJSON(ConversationDetail.self, "show", "d1")
        #expect(!(dora.text ?? "").lowercased().contains("anna.schmidt@example.com"), "\(dora.text ?? "")")
        let bytes = [daemon.databasePath, daemon.databasePath + "-wal"].compactMap { FileManager.default.contents(atPath: $0) }
            .map { String(decoding: $0, as: UTF8.self) }.joined().lowercased()
        #expect(!bytes.contains("anna.schmidt@example.com"), "the forgotten address is still in the database file")
    }

    /// README "Nothing is silently dropped"; an admin reconciling an ERP export needs to see how
    /// many orders a file stored and how many were duplicates. Today the batch line says
    /// "0 record(s) stored, 0 duplicate(s)" and status has no order figure at all.
    @Test("orders are counted where ingestion is accounted: status and the batch log")
    func ordersAreAccounted() throws {
        let dir = TestDirectory("newcomer-orders-accounted")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        // Two identical rows without an order number: stored once (content key), the second a duplicate.
        daemon.drop("erp.orders.csv", Self.orders([("A-1", "anna@example.com", "1.000,01 €", -3600),
                                                   ("", "K-2291", "7,00 €", -7200), ("", "K-2291", "7,00 €", -7200)]))
        #expect(daemon.drained())
        #expect(waitUntil(10) { Self.ordersStored(daemon) == 2 })
        let status = try Self.json(daemon, "status")
        #expect(status.keys.contains { $0.contains("order") }, "status has no order figure: \(status.keys.sorted())")
        let batch = daemon.log.split(separator: "\n").last { $0.contains("batch:") } ?? ""
        #expect(batch.contains("order"), "the batch line says nothing of the orders: \(batch)")
        let metrics = try daemon.ctl("metrics")
        #expect(metrics.stdout.contains("order"), "metrics have no order counter")
    }

    /// README/roi.md "Tracing a figure": `dialogctl list` (and `show`) give the cents a
    /// conversation was credited. `show --json` has them; the table for people does not.
    @Test("show for people gives the attributed revenue, as the docs say")
    func showGivesAttributed() throws {
        let dir = TestDirectory("newcomer-show-attributed")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        daemon.drop("talks.jsonl", Self.talk("t1", -2 * Self.day, "Vertrieb", "Anna@Example.com") + "\n")
        daemon.drop("erp.orders.csv", Self.orders([("A-1", " anna@example.COM", "123,45 €", -3600)]))
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(ConversationDetail.self, "show", "t1").summary.attributedCents) == 123_45 })
        let human = try daemon.ctl("show", "t1")
        #expect(human.stdout.lowercased().contains("attributed") && human.stdout.contains("123.45"), "\(human.stdout)")
    }

    /// dialogctl(1) status: "the ROI figures are current or stale". After an [attribution] change
    /// the pyramid says `recompute` is pending, status still says "current".
    @Test("status says the figures are stale while order shares were made with another model")
    func statusStaleAfterModelChange() throws {
        let dir = TestDirectory("newcomer-model-stale")
        var daemon = try DaemonProcess(directory: dir, settings: ["attribution.model": "linear"]).start()
        daemon.drop("talks.jsonl", [Self.talk("t1", -3 * Self.day, "sales", "anna@example.com"),
                                    Self.talk("t2", -2 * Self.day, "service", "anna@example.com"),
                                    Self.talk("t3", -1 * Self.day, "marketing", "anna@example.com")].joined(separator: "\n") + "\n")
        daemon.drop("erp.orders.csv", Self.orders([("A-1", "anna@example.com", "100,00 €", -3600)]))
        #expect(daemon.drained())
        #expect(waitUntil(10) { Self.ordersStored(daemon) == 1 })
        daemon.stop()
        daemon = try DaemonProcess(directory: dir, settings: ["attribution.model": "position"]).start()
        defer { daemon.stop() }
        let pyramid = try Self.json(daemon, "pyramid", "--window", "30d")
        let revenue = (pyramid["executive"] as? [String: Any])?["order_revenue"] as? [String: Any]
        #expect(revenue?["stale"] as? Bool == true, "precondition: the pyramid knows the shares are stale")
        let status = try daemon.ctl("status")
        let line = status.stdout.split(separator: "\n").first { $0.hasPrefix("roi figures:") } ?? ""
        #expect(!line.contains("current"), "status: \(line)")
    }

    /// spool.md "Orders": the same order number with other content is refused. An ERP corrects
    /// amounts; conversations are told to send `Amends: ID`, orders are told nothing.
    @Test("an order conflict says how to correct the stored order")
    func orderConflictSaysHowToCorrect() throws {
        let dir = TestDirectory("newcomer-order-conflict")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        daemon.drop("erp1.orders.csv", Self.orders([("B-200", "K-2291", "500,00 €", -3600)]))
        #expect(daemon.drained())
        #expect(waitUntil(10) { Self.ordersStored(daemon) == 1 })
        daemon.drop("erp2.orders.csv", Self.orders([("B-200", "K-2291", "550,00 €", -3600)]))
        #expect(daemon.drained())
        #expect(waitUntil(10) { dir.read("spool/quarantine/erp2.orders.csv.reason") != nil })
        let reason = (dir.read("spool/quarantine/erp2.orders.csv.reason") ?? "").lowercased()
        #expect(reason.contains("amend") || reason.contains("credit"), "no way to correct named: \(reason)")
    }

    /// `forget` prints "figures kept under forgotten-…"; listing those records is refused with a
    /// message that calls the label an identity and asks for a pseudonym.
    @Test("list --customer takes the label forget printed")
    func listByForgottenLabel() throws {
        let dir = TestDirectory("newcomer-forgotten-list")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        daemon.drop("talks.jsonl", [Self.talk("a1", -2 * Self.day, "sales", "anna@example.com"),
                                    Self.talk("a2", -1 * Self.day, "service", "ANNA@example.com")].joined(separator: "\n") + "\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 2 })
        let result = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", "anna@example.com")
        let label = try #require(result.anonymousLabel)
        let run = try daemon.ctl("list", "--customer", label)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.split(separator: "\n").count == 3, "\(run.stdout)")
    }

    /// With orders stored, `kpi` shows lead conversion and customer conversion; the pyramid's
    /// managers table heads lead conversion just "CONVERSION" (the report says "Lead conversion").
    @Test("the pyramid names which conversion its managers column is")
    func pyramidNamesLeadConversion() throws {
        let dir = TestDirectory("newcomer-pyramid-conversion")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        daemon.drop("talks.jsonl", Self.talk("t1", -2 * Self.day, "sales", "anna@example.com") + "\n")
        daemon.drop("erp.orders.csv", Self.orders([("A-1", "anna@example.com", "10,00 €", -3600)]))
        #expect(daemon.drained())
        #expect(waitUntil(10) { Self.ordersStored(daemon) == 1 })
        let run = try daemon.ctl("pyramid", "--window", "30d")
        let header = run.stdout.split(separator: "\n").first { $0.hasPrefix("DEPARTMENT") && $0.contains("CONVERSION") } ?? ""
        #expect(header.contains("LEAD CONVERSION") || header.contains("LEAD CONV"), "\(header)")
    }
}
