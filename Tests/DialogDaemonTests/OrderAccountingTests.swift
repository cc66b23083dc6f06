import DialogCore
import DialogStore
import Foundation
import Testing

/// Orders where ingestion is accounted, stale order shares in `status`, and correcting a stored
/// order from a file drop (issue 14 findings 2–4) — through the real daemon, spool, SQLite file
/// and dialogctl.
@Suite("orders: accounting, staleness and correction")
struct OrderAccountingTests {
    static let day = 86_400

    static func talk(_ id: String, _ offset: Int, _ department: String, _ customer: String) -> String {
        #"{"id":"\#(id)","date":"\#(isoDate(offset))","employee":"sara","department":"\#(department)","outcome":"lead","customer":"\#(customer)","duration":"10m"}"#
    }

    /// An ERP export with an `amends` column (German tools: `;`, CRLF, German money).
    static func orders(_ rows: [(id: String, customer: String, amount: String, date: String, amends: String)]) -> String {
        "Auftragsnummer;Kundennummer;Betrag;Bestelldatum;korrigiert\r\n"
            + rows.map { "\($0.id);\($0.customer);\"\($0.amount)\";\($0.date);\($0.amends)\r\n" }.joined()
    }

    /// Order dates fixed once per test run, so a row dropped again is the same content.
    static let hourAgo = isoDate(-3600), twoHoursAgo = isoDate(-7200)

    static func json(_ daemon: DaemonProcess, _ arguments: String...) throws -> [String: Any] {
        let run = try runDialogctl(["--socket", daemon.socketPath, "--json"] + arguments)
        #expect(run.status == 0, "\(run.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    }

    static func int(_ value: Any?) -> Int64? { (value as? NSNumber)?.int64Value }

    /// `attributed_cents` per department and the total's order figures (`roi --window 30d`).
    static func figures(_ daemon: DaemonProcess) throws -> (rows: [String: Int64], total: [String: Int64]) {
        let r = try json(daemon, "roi", "--window", "30d", "--by", "department")
        let rows = (r["rows"] as? [[String: Any]] ?? []).reduce(into: [String: Int64]()) { $0[$1["key"] as? String ?? "?"] = int($1["attributed_cents"]) }
        let t = r["total"] as? [String: Any] ?? [:]
        return (rows, ["attributed_cents", "orders", "orders_cents", "unattributed_cents"].reduce(into: [String: Int64]()) { $0[$1] = int(t[$1]) })
    }

    @Test("order figures in status, metrics (promtool-clean) and the batch log; a repeated row without an order number is counted and warned")
    func accounted() throws {
        let dir = TestDirectory("orders-accounted")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        daemon.drop("erp.orders.csv", Self.orders([("A-1", "anna@example.com", "10,00 €", Self.hourAgo, ""), ("", "K-7", "7,00 €", Self.twoHoursAgo, ""),
                                                   ("", "K-7", "7,00 €", Self.twoHoursAgo, "")]))
        #expect(daemon.drained())
        #expect(waitUntil(10) { Self.int((try? Self.json(daemon, "status"))?["orders_stored"]) == 2 })
        // The same export again: every row a duplicate order, none a conversation record.
        daemon.drop("again.orders.csv", Self.orders([("A-1", "anna@example.com", "10,00 €", Self.hourAgo, ""), ("", "K-7", "7,00 €", Self.twoHoursAgo, "")]))
        #expect(daemon.drained())
        #expect(waitUntil(10) { Self.int((try? Self.json(daemon, "status"))?["order_duplicates"]) == 3 })
        let status = try Self.json(daemon, "status")
        #expect(Self.int(status["orders_stored"]) == 2 && Self.int(status["orders_amended"]) == 0, "\(status)")
        #expect(Self.int(status["records_stored"]) == 0 && Self.int(status["records_duplicate"]) == 0, "orders are no records: \(status)")
        #expect(status["attribution_stale"] as? Bool == false)
        let human = try daemon.ctl("status").stdout
        #expect(human.contains("2 stored, 3 duplicate, 0 amended"), "\(human)")

        let batches = daemon.log.split(separator: "\n").filter { $0.contains("batch:") }
        #expect(batches.contains { $0.contains("2 order(s) stored, 1 duplicate order(s)") }, "\(batches)")
        #expect(batches.contains { $0.contains("0 order(s) stored, 2 duplicate order(s)") }, "\(batches)")
        // Only the row repeated inside one file is suspicious (two real orders?); a re-drop is not.
        let warnings = daemon.log.split(separator: "\n").filter { $0.contains("repeat an earlier row") }
        #expect(warnings.count == 1 && warnings[0].contains("erp.orders.csv") && warnings[0].contains("line 4, same as line 3"), "\(warnings)")

        let metrics = try daemon.ctl("metrics").stdout
        for line in ["dialogd_orders_stored_total 2", "dialogd_order_duplicates_total 3", "dialogd_orders_amended_total 0", "dialogd_attribution_stale 0"] {
            #expect(metrics.contains("\n" + line + "\n"), "\(line) in \(metrics)")
        }
        #expect(ExpositionCheck(metrics).problems.isEmpty)
        if let check = try OutputOracles.promtool(metrics) { #expect(check.status == 0, "\(check.output)") }

        #expect(daemon.stop() == 0)
        // The per-file accounting counts the orders with the file's records.
        let store = try ConversationStore(readingOnly: daemon.databasePath)
        let files = try store.database.fetchAll("SELECT name, stored, duplicates FROM ingested_files ORDER BY name") { row in
            "\(row[0] as String) \(row[1] as Int64) \(row[2] as Int64)"
        }
        #expect(files == ["again.orders.csv 0 2", "erp.orders.csv 2 1"], "\(files)")
    }

    @Test("status and metrics say the order shares are stale after an [attribution] change, until recompute")
    func staleUntilRecompute() throws {
        let dir = TestDirectory("orders-stale-status")
        var daemon = try DaemonProcess(directory: dir, settings: ["attribution.model": "linear"]).start()
        daemon.drop("talks.jsonl", [Self.talk("t1", -2 * Self.day, "sales", "anna@example.com"),
                                    Self.talk("t2", -1 * Self.day, "service", "anna@example.com")].joined(separator: "\n") + "\n")
        daemon.drop("erp.orders.csv", Self.orders([("A-1", "anna@example.com", "100,01 €", Self.hourAgo, "")]))
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? Self.figures(daemon).total["attributed_cents"]) == 100_01 })
        #expect(try Self.json(daemon, "status")["attribution_stale"] as? Bool == false)
        daemon.stop()
        daemon = try DaemonProcess(directory: dir, settings: ["attribution.model": "last_touch"]).start()
        defer { daemon.stop() }
        let status = try Self.json(daemon, "status")
        #expect(status["attribution_stale"] as? Bool == true && status["valuation_stale"] as? Bool == false, "\(status)")
        let line = try daemon.ctl("status").stdout.split(separator: "\n").first { $0.hasPrefix("roi figures:") } ?? ""
        #expect(line.contains("stale") && line.contains("[attribution]") && line.contains("dialogctl recompute"), "\(line)")
        #expect(try daemon.ctl("metrics").stdout.contains("\ndialogd_attribution_stale 1\n"))
        // The pyramid says the same, from the same test.
        let pyramid = try Self.json(daemon, "pyramid", "--window", "30d")
        #expect(((pyramid["executive"] as? [String: Any])?["order_revenue"] as? [String: Any])?["stale"] as? Bool == true)

        #expect(try daemon.ctl("recompute").status == 0)
        #expect(try Self.json(daemon, "status")["attribution_stale"] as? Bool == false)
        let after = try daemon.ctl("status").stdout.split(separator: "\n").first { $0.hasPrefix("roi figures:") } ?? ""
        #expect(after.hasSuffix("current"), "\(after)")
        #expect(try Self.figures(daemon).rows == ["sales": 0, "service": 100_01])
    }

    @Test("an amend replaces a stored order: the amount, roi's orders_cents and the shares follow to the cent, exactly once")
    func amendReplacesOrder() throws {
        let dir = TestDirectory("orders-amend")
        let daemon = try DaemonProcess(directory: dir, settings: ["attribution.model": "linear"]).start()
        defer { daemon.stop() }
        daemon.drop("talks.jsonl", [Self.talk("t1", -2 * Self.day, "sales", "anna@example.com"),
                                    Self.talk("t2", -1 * Self.day, "service", "anna@example.com")].joined(separator: "\n") + "\n")
        daemon.drop("erp1.orders.csv", Self.orders([("B-200", "anna@example.com", "500,00 €", Self.hourAgo, ""), ("B-201", "anna@example.com", "20,00 €", Self.hourAgo, "")]))
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? Self.figures(daemon).total["attributed_cents"]) == 520_00 })
        #expect(try Self.figures(daemon).rows == ["sales": 260_00, "service": 260_00])

        // The ERP corrects B-200 to 550.01: the row with korrigiert/amends = B-200 replaces it.
        daemon.drop("erp2.orders.csv", Self.orders([("B-200", "anna@example.com", "550,01 €", Self.hourAgo, "B-200")]))
        #expect(daemon.drained())
        #expect(waitUntil(10) { Self.int((try? Self.json(daemon, "status"))?["orders_amended"]) == 1 })
        var figures = try Self.figures(daemon)
        #expect(figures.total == ["attributed_cents": 570_01, "orders": 2, "orders_cents": 570_01, "unattributed_cents": 0], "\(figures.total)")
        // Linear: 275.00 and 275.01 (the remaining cent to the latest touch) plus 10.00 each of B-201.
        #expect(figures.rows == ["sales": 285_00, "service": 285_01], "\(figures.rows)")
        #expect(dir.list("spool/quarantine").isEmpty, "\(dir.list("spool/quarantine"))")
        let audit = daemon.log.split(separator: "\n").filter { $0.contains("order B-200 amended") }
        #expect(audit.count == 1 && audit[0].contains("erp2.orders.csv") && audit[0].contains("500.00 EUR -> 550.01 EUR")
                && audit[0].contains("was erp1.orders.csv line 2"), "\(audit)")

        // The same amend again (a re-drop, or after a crash): a duplicate, nothing moves.
        daemon.drop("erp2-again.orders.csv", Self.orders([("", "anna@example.com", "550,01 €", Self.hourAgo, "B-200")]))
        // Moved to another customer without conversations: all of it unattributed, no share left.
        daemon.drop("erp3.orders.csv", Self.orders([("B-201", "K-9", "20,00 €", Self.hourAgo, "B-201")]))
        #expect(daemon.drained())
        #expect(waitUntil(10) { Self.int((try? Self.json(daemon, "status"))?["orders_amended"]) == 2 })
        let status = try Self.json(daemon, "status")
        #expect(Self.int(status["order_duplicates"]) == 1 && Self.int(status["orders_stored"]) == 2, "\(status)")
        figures = try Self.figures(daemon)
        #expect(figures.total == ["attributed_cents": 550_01, "orders": 2, "orders_cents": 570_01, "unattributed_cents": 20_00], "\(figures.total)")
        #expect(figures.rows == ["sales": 275_00, "service": 275_01], "\(figures.rows)")

        // The maintained aggregates equal a rebuild from the stored rows.
        #expect(try daemon.ctl("recompute").status == 0)
        #expect(try Self.figures(daemon) == figures)
        #expect(daemon.stop() == 0)
        let store = try ConversationStore(readingOnly: daemon.databasePath)
        let orders = try store.orders()
        #expect(orders.map(\.order.amountCents) == [550_01, 20_00] || orders.map(\.order.amountCents) == [20_00, 550_01], "\(orders)")
        let b200 = try #require(try store.order(key: "id:B-200"))
        #expect(b200.order.amountCents == 550_01 && b200.sourceFile == "erp2.orders.csv" && b200.order.extras.isEmpty, "\(b200)")
        let shares = try store.database.fetchAll("SELECT order_id, sum(share_cents) FROM order_shares GROUP BY 1") { row in [row[0] as Int64, row[1] as Int64] }
        #expect(shares == [[b200.rowID, 550_01]], "\(shares)")
    }

    @Test("an amend of an order number that is not stored is refused and says so; a conflict says how to correct")
    func amendRefusals() throws {
        let dir = TestDirectory("orders-amend-refused")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        daemon.drop("erp1.orders.csv", Self.orders([("B-200", "K-2291", "500,00 €", Self.hourAgo, "")]))
        #expect(daemon.drained())
        #expect(waitUntil(10) { Self.int((try? Self.json(daemon, "status"))?["orders_stored"]) == 1 })
        daemon.drop("unknown.orders.csv", Self.orders([("", "K-2291", "5,00 €", Self.hourAgo, "B-999")]))
        daemon.drop("conflict.orders.csv", Self.orders([("B-200", "K-2291", "550,00 €", Self.hourAgo, "")]))
        #expect(daemon.drained())
        #expect(waitUntil(10) { dir.read("spool/quarantine/conflict.orders.csv.reason") != nil && dir.read("spool/quarantine/unknown.orders.csv.reason") != nil })
        let unknown = dir.read("spool/quarantine/unknown.orders.csv.reason") ?? ""
        #expect(unknown.contains("field \"amends\"") && unknown.contains("B-999") && unknown.contains("no order with this number is stored"), "\(unknown)")
        let conflict = dir.read("spool/quarantine/conflict.orders.csv.reason") ?? ""
        #expect(conflict.contains("line 2") && conflict.contains("already stored with 500.00 EUR") && conflict.contains("erp1.orders.csv line 2")
                && conflict.contains("differs in amount") && conflict.contains("amends=B-200") && conflict.contains("credit note"), "\(conflict)")
        let status = try Self.json(daemon, "status")
        #expect(Self.int(status["records_conflicting"]) == 1 && Self.int(status["records_rejected"]) == 1 && Self.int(status["orders_amended"]) == 0, "\(status)")
        #expect(try Self.figures(daemon).total["orders_cents"] == 500_00)
    }

    /// A single-record file over the parse-ahead size (64 KiB) is read on the loop thread: an
    /// order there has the key it has anywhere else, so the same order in a `.jsonl` is a duplicate.
    @Test("an order in a large single-record file has its own key: the same order elsewhere is a duplicate")
    func largeFileOrderKey() throws {
        let dir = TestDirectory("orders-large-key")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        let notes = (1...4).map { #""note\#($0)":""# + String(repeating: "Lieferung in Teilen. ", count: 1_000) + "\"" }.joined(separator: ",")
        let order = #"{"type":"order","date":"\#(Self.hourAgo)","customer":"K-1","amount":"100.00 EUR",\#(notes)}"#
        daemon.drop("big.json", order)
        #expect(daemon.drained())
        #expect(waitUntil(10) { Self.int((try? Self.json(daemon, "status"))?["orders_stored"]) == 1 })
        daemon.drop("big.jsonl", order + "\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { Self.int((try? Self.json(daemon, "status"))?["order_duplicates"]) == 1 })
        #expect(try Self.figures(daemon).total["orders"] == 1)
        #expect(Self.int(try Self.json(daemon, "status")["orders_stored"]) == 1)
    }
}
