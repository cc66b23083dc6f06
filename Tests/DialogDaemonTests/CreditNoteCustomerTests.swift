import DialogCore
import Foundation
import Testing

/// A credit note whose `credits` names an order of another customer or none stored, or that takes
/// back more than its order (issue 14, re-check findings b, F3, F4; docs/roi.md "Credit notes"), in both
/// arrival orders — through the real daemon, spool, SQLite file and dialogctl. In every case
/// the rows' attributed revenue plus the unattributed part equals the orders' amount.
@Suite("credit notes: another customer's order, more than the order")
struct CreditNoteCustomerTests {
    static let day = 86_400

    static func talk(_ id: String, _ offset: Int, _ department: String, _ customer: String) -> String {
        #"{"id":"\#(id)","date":"\#(isoDate(offset))","employee":"sara","department":"\#(department)","outcome":"lead","customer":"\#(customer)","duration":"10m"}"#
    }

    /// An ERP export with the credit note's link (`Gutschrift zu`): `;`, CRLF, German money.
    static func orders(_ rows: [(id: String, customer: String, amount: String, offset: Int, credits: String)]) -> String {
        "Auftragsnummer;Kundennummer;Betrag;Bestelldatum;Gutschrift zu\r\n"
            + rows.map { "\($0.id);\($0.customer);\"\($0.amount)\";\(isoDate($0.offset));\($0.credits)\r\n" }.joined()
    }

    static func json(_ daemon: DaemonProcess, _ arguments: String...) throws -> [String: Any] {
        let run = try runDialogctl(["--socket", daemon.socketPath, "--json"] + arguments)
        #expect(run.status == 0, "\(run.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    }

    static func int(_ value: Any?) -> Int64? { (value as? NSNumber)?.int64Value }

    static func attributed(_ daemon: DaemonProcess, _ id: String) -> Int64 {
        ((try? daemon.ctlJSON(ConversationDetail.self, "show", id))?.summary.attributedCents) ?? 0
    }

    /// The roi invariant by department over all time: rows' attributed + unattributed = orders_cents.
    static func balanced(_ daemon: DaemonProcess) throws -> (orders: Int64?, ordersCents: Int64?, unattributed: Int64?, holds: Bool) {
        let r = try json(daemon, "roi", "--window", "all", "--by", "department")
        let rows = (r["rows"] as? [[String: Any]] ?? []).reduce(Int64(0)) { $0 + (int($1["attributed_cents"]) ?? 0) }
        let t = r["total"] as? [String: Any] ?? [:]
        let (cents, unattributed) = (int(t["orders_cents"]), int(t["unattributed_cents"]))
        return (int(t["orders"]), cents, unattributed, rows + (unattributed ?? 0) == cents)
    }

    /// `roi --json` as bytes, the moments it was made at blanked (`generated_at`, `revision`…).
    static func roiBytes(_ daemon: DaemonProcess) throws -> String {
        let run = try runDialogctl(["--socket", daemon.socketPath, "--json", "roi", "--window", "all", "--by", "department"])
        #expect(run.status == 0, "\(run.stderr)")
        return run.stdout.replacingOccurrences(of: #""(generated_at|generated|as_of|now|revision|computed_at)":[^,}]*"#, with: #""$1":_"#,
                                               options: .regularExpression)
    }

    /// alice's order A-1 (100,00) and bob's credit note naming it (−50,00), in one arrival order.
    static func arrive(noteFirst: Bool, _ dir: TestDirectory) throws -> (daemon: DaemonProcess, roi: String) {
        let daemon = try DaemonProcess(directory: dir).start()
        daemon.drop("talks.jsonl", [Self.talk("t1", -20 * Self.day, "sales", "K-10001"),
                                    Self.talk("u1", -4 * Self.day, "service", "K-20002")].joined(separator: "\n") + "\n")
        #expect(daemon.drained())
        let order = Self.orders([("A-1", "K-10001", "100,00 €", -10 * Self.day, "")])
        let note = Self.orders([("A-1-G", "K-20002", "-50,00 €", -2 * Self.day, "A-1")])
        let files = noteFirst ? [("notes.orders.csv", note), ("erp.orders.csv", order)] : [("erp.orders.csv", order), ("notes.orders.csv", note)]
        for (n, file) in files.enumerated() {
            daemon.drop(file.0, file.1)
            #expect(daemon.drained())
            #expect(waitUntil(10) { Self.int((try? Self.json(daemon, "status"))?["orders_stored"]) == Int64(n + 1) })
        }
        return (daemon, try roiBytes(daemon))
    }

    @Test("a credit note naming another customer's order: stored in both arrival orders, unattributed, the same roi --json, warned, listed")
    func arrivalOrderDoesNotMatter() throws {
        var figures: [String] = []
        for noteFirst in [false, true] {
            let dir = TestDirectory("credit-other-customer-\(noteFirst ? "note-first" : "order-first")")
            let (daemon, roi) = try Self.arrive(noteFirst: noteFirst, dir)
            defer { daemon.stop() }
            figures.append(roi)
            // Stored, not quarantined: real money paid back counts in the order totals, on nobody's conversations.
            #expect((try? FileManager.default.contentsOfDirectory(atPath: dir.sub("spool/quarantine"))) ?? [] == [], "\(noteFirst)")
            let totals = try Self.balanced(daemon)
            #expect(totals.orders == 2 && totals.ordersCents == 50_00 && totals.unattributed == -50_00 && totals.holds, "\(noteFirst): \(totals)")
            #expect(Self.attributed(daemon, "t1") == 100_00 && Self.attributed(daemon, "u1") == 0, "\(noteFirst)")
            // Warned in the log (naming no customer) and on the batch line, as a warning.
            #expect(waitUntil(10) { daemon.log.contains("belongs to another customer") })
            let warning = daemon.log.split(separator: "\n").first { $0.contains("belongs to another customer") }.map(String.init) ?? ""
            #expect(warning.contains("A-1-G") && warning.contains("unattributed") && warning.contains("notes.orders.csv line 2"), "\(warning)")
            #expect(!warning.contains("K-10001") && !warning.contains("K-20002"), "\(warning)")
            #expect(daemon.log.contains("1 credit note(s) naming another customer's order (stored, unattributed)"), "\(daemon.log)")
            // The audit from the store: status, metrics (a gauge) and the credit note's own listing.
            #expect(Self.int(try Self.json(daemon, "status")["credit_notes_mismatched"]) == 1)
            let metrics = try runDialogctl(["--socket", daemon.socketPath, "metrics"]).stdout
            #expect(metrics.contains("# TYPE dialogd_credit_notes_mismatched gauge") && metrics.contains("dialogd_credit_notes_mismatched 1"), "\(metrics)")
            let listed = try runDialogctl(["--socket", daemon.socketPath, "list", "--order", "A-1-G"])
            #expect(listed.stdout.contains("credits A-1: order of another customer — unattributed"), "\(listed.stdout) \(listed.stderr)")
            let order = try Self.json(daemon, "list", "--order", "A-1-G")["order"] as? [String: Any] ?? [:]
            #expect(order["credits"] as? String == "A-1" && order["credit_state"] as? String == "other_customer", "\(order)")
            // recompute makes the same figures from the stored rows.
            #expect(try runDialogctl(["--socket", daemon.socketPath, "recompute"]).status == 0)
            #expect(try Self.roiBytes(daemon) == roi, "\(noteFirst): recompute moved the figures")
            // The count is the store's: a restart keeps it.
            #expect(daemon.stop() == 0)
            try daemon.start()
            #expect(Self.int(try Self.json(daemon, "status")["credit_notes_mismatched"]) == 1, "\(noteFirst)")
        }
        #expect(figures.count == 2 && figures[0] == figures[1], "order first:\n\(figures[0])\ncredit note first:\n\(figures.last ?? "")")
    }

    @Test("a credit note naming an order that is not stored is unattributed and listed so")
    func orderNotStored() throws {
        let dir = TestDirectory("credit-not-stored")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        daemon.drop("talks.jsonl", Self.talk("u1", -4 * Self.day, "service", "K-20002") + "\n")
        daemon.drop("notes.orders.csv", Self.orders([("A-9-G", "K-20002", "-30,00 €", -2 * Self.day, "A-9")]))
        #expect(daemon.drained())
        #expect(waitUntil(10) { Self.int((try? Self.json(daemon, "status"))?["orders_stored"]) == 1 })
        #expect(Self.attributed(daemon, "u1") == 0)
        let totals = try Self.balanced(daemon)
        #expect(totals.ordersCents == -30_00 && totals.unattributed == -30_00 && totals.holds, "\(totals)")
        let listed = try runDialogctl(["--socket", daemon.socketPath, "list", "--order", "A-9-G"]).stdout
        #expect(listed.contains("credits A-9: not stored — unattributed"), "\(listed)")
        #expect(Self.int(try Self.json(daemon, "status")["credit_notes_mismatched"]) == 0)
    }

    @Test("order numbers are bytes: a credit note numbered \"e\u{301}\" naming order \"\u{E9}\" (equal only as Swift Strings) credits that other order")
    func canonicallyEqualNumbers() throws {
        let dir = TestDirectory("credit-nfd")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        let (composed, decomposed) = ("\u{E9}", "e\u{301}")
        daemon.drop("erp.orders.csv", Self.orders([(composed, "K-10001", "100,00 €", -10 * Self.day, "")]))
        #expect(daemon.drained())
        daemon.drop("notes.orders.csv", Self.orders([(decomposed, "K-20002", "-50,00 €", -2 * Self.day, composed)]))
        #expect(daemon.drained())
        #expect(waitUntil(10) { Self.int((try? Self.json(daemon, "status"))?["orders_stored"]) == 2 })
        #expect(Self.int(try Self.json(daemon, "status")["credit_notes_mismatched"]) == 1)
        #expect(daemon.log.contains("1 credit note(s) naming another customer's order"), "\(daemon.log)")
        let order = try #require(try Self.json(daemon, "list", "--order", decomposed)["order"] as? [String: Any])
        #expect(order["credit_state"] as? String == "other_customer", "\(order)")
        #expect((order["id"] as? String)?.sameBytes(as: decomposed) == true && (order["credits"] as? String)?.sameBytes(as: composed) == true)
    }

    @Test("an amend that moves an order to another customer leaves its credit notes unattributed, warned and counted; moving it back links them again")
    func amendMovesOrderAway() throws {
        let dir = TestDirectory("credit-other-customer-amend")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        daemon.drop("talks.jsonl", [Self.talk("t1", -20 * Self.day, "sales", "K-10001"),
                                    Self.talk("u1", -12 * Self.day, "service", "K-20002")].joined(separator: "\n") + "\n")
        daemon.drop("erp.orders.csv", Self.orders([("A-1", "K-10001", "100,00 €", -10 * Self.day, ""),
                                                   ("A-1-G", "K-10001", "-40,00 €", -2 * Self.day, "A-1")]))
        #expect(daemon.drained())
        #expect(waitUntil(10) { Self.int((try? Self.json(daemon, "status"))?["orders_stored"]) == 2 })
        #expect(Self.attributed(daemon, "t1") == 60_00)
        func amend(_ file: String, to customer: String, amended: Int64) {
            daemon.drop(file, "Auftragsnummer;Kundennummer;Betrag;Bestelldatum;korrigiert\r\n"
                            + "A-1;\(customer);\"100,00 €\";\(isoDate(-10 * Self.day));A-1\r\n")
            #expect(daemon.drained())
            #expect(waitUntil(10) { Self.int((try? Self.json(daemon, "status"))?["orders_amended"]) == amended })
        }
        amend("fix.orders.csv", to: "K-20002", amended: 1)
        #expect(waitUntil(10) { daemon.log.contains("belongs to another customer") })
        #expect(Self.int(try Self.json(daemon, "status")["credit_notes_mismatched"]) == 1)
        // A-1 is u1's now; its old customer's credit note is on nobody's conversations.
        #expect(Self.attributed(daemon, "u1") == 100_00 && Self.attributed(daemon, "t1") == 0)
        let figures = try Self.balanced(daemon)
        #expect(figures.ordersCents == 60_00 && figures.unattributed == -40_00 && figures.holds, "\(figures)")
        let roi = try Self.roiBytes(daemon)
        #expect(try runDialogctl(["--socket", daemon.socketPath, "recompute"]).status == 0)
        #expect(try Self.roiBytes(daemon) == roi)
        // Back to its customer: the credit note takes back the order's shares again, nothing is mismatched.
        amend("back.orders.csv", to: "K-10001", amended: 2)
        #expect(waitUntil(10) { Self.attributed(daemon, "t1") == 60_00 })
        #expect(Self.attributed(daemon, "u1") == 0)
        #expect(Self.int(try Self.json(daemon, "status")["credit_notes_mismatched"]) == 0)
        #expect(try Self.balanced(daemon).unattributed == 0)
    }

    @Test("a credit note for more than its order is stored, warned about and counted, in both arrival orders", arguments: [false, true])
    func creditExceedingItsOrder(noteFirst: Bool) throws {
        let dir = TestDirectory("credit-exceeding-\(noteFirst)")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        daemon.drop("talks.jsonl", Self.talk("t1", -20 * Self.day, "sales", "K-10001") + "\n")
        let order = Self.orders([("A-1", "K-10001", "100,00 €", -10 * Self.day, "")])
        let note = Self.orders([("A-1-G", "K-10001", "-150,00 €", -2 * Self.day, "A-1")])
        let files = noteFirst ? [("notes.orders.csv", note), ("erp.orders.csv", order)] : [("erp.orders.csv", order), ("notes.orders.csv", note)]
        for (n, file) in files.enumerated() {
            daemon.drop(file.0, file.1)
            #expect(daemon.drained())
            #expect(waitUntil(10) { Self.int((try? Self.json(daemon, "status"))?["orders_stored"]) == Int64(n + 1) })
        }
        #expect(waitUntil(10) { daemon.log.contains("more than its order") })
        let warning = daemon.log.split(separator: "\n").first { $0.contains("more than its order") }.map(String.init) ?? ""
        #expect(warning.contains("A-1-G") && warning.contains("150.00") && warning.contains("100.00"), "\(warning)")
        // The order's touch gives back 150.00 of its 100.00: the figures follow the books.
        #expect(Self.attributed(daemon, "t1") == -50_00)
        let figures = try Self.balanced(daemon)
        #expect(figures.ordersCents == -50_00 && figures.unattributed == 0 && figures.holds, "\(figures)")
        let status = try Self.json(daemon, "status")
        #expect(Self.int(status["credit_notes_exceeding"]) == 1 && Self.int(status["credit_notes_mismatched"]) == 0, "\(status)")
        let listed = try runDialogctl(["--socket", daemon.socketPath, "list", "--order", "A-1-G"]).stdout
        #expect(listed.contains("credits A-1: its customer's order, exceeds its order by"), "\(listed)")
        #expect(Self.int((try Self.json(daemon, "list", "--order", "A-1-G")["order"] as? [String: Any])?["exceeds_by_cents"]) == 50_00)
        // The count is the store's: a restart keeps it.
        #expect(daemon.stop() == 0)
        try daemon.start()
        #expect(Self.int(try Self.json(daemon, "status")["credit_notes_exceeding"]) == 1)
    }
}
