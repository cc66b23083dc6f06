import DialogCore
import Foundation
import Testing

/// "No limit on orders per lookback" (issue 12): every conversation of a customer re-attributes
/// the customer's orders in its lookback, so 20,000 orders dropped for one customer made each of
/// its conversations take seconds to ingest (docs/benchmarks.md "Orders per customer").
/// `[attribution] max_orders` bounds it: an order beyond the cap is refused with a reason.
/// Through the real daemon, spool, SQLite file and dialogctl.
@Suite("orders: at most max_orders per customer and lookback")
struct OrderCapTests {
    static let day = 86_400

    static func json(_ daemon: DaemonProcess, _ arguments: String...) throws -> [String: Any] {
        let run = try runDialogctl(["--socket", daemon.socketPath, "--json"] + arguments)
        #expect(run.status == 0, "\(run.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    }

    static func int(_ value: Any?) -> Int64? { (value as? NSNumber)?.int64Value }

    @Test("orders beyond max_orders of one customer within the lookback are refused per row; others and older ones are stored")
    func capped() throws {
        let dir = TestDirectory("orders-capped")
        let daemon = try DaemonProcess(directory: dir, settings: ["attribution.max_orders": "20", "attribution.lookback": "30d"]).start()
        defer { daemon.stop() }
        daemon.drop("talks.jsonl", #"{"id":"t1","date":"\#(isoDate(-20 * Self.day))","employee":"sara","department":"sales","outcome":"won","customer":"K-666","duration":"10m"}"# + "\n")
        // 30 orders of K-666 over the last 10 days, one of it 100 days back (outside ±30 days), one of another customer.
        var rows = (0..<30).map { "A-\($0);K-666;\"10,00 €\";\(isoDate(-10 * Self.day + $0 * 3600))" }
        rows += ["OLD-1;K-666;\"5,00 €\";\(isoDate(-100 * Self.day))", "B-1;K-777;\"7,00 €\";\(isoDate(-Self.day))"]
        let export = "Auftragsnummer;Kundennummer;Betrag;Bestelldatum\r\n" + rows.map { $0 + "\r\n" }.joined()
        daemon.drop("flood.orders.csv", export)
        #expect(daemon.drained())
        #expect(waitUntil(10) { dir.read("spool/quarantine/flood.orders.csv.rejects.jsonl") != nil })
        let rejects = (dir.read("spool/quarantine/flood.orders.csv.rejects.jsonl") ?? "").split(separator: "\n")
        #expect(rejects.count == 10, "\(rejects.count) rejected")
        let first = String(rejects.first ?? "")
        #expect(first.contains(#""line":22"#) && first.contains(#"field \"customer\""#) && first.contains("at most 20 orders of one customer")
                && first.contains("max_orders") && !first.components(separatedBy: #""raw""#)[0].contains("K-666"), "\(first)")
        let status = try Self.json(daemon, "status")
        #expect(Self.int(status["orders_stored"]) == 22 && Self.int(status["records_rejected"]) == 10, "\(status)")
        // The figures add up over what was stored: 20 × 10.00 credited to t1, 5.00 + 7.00 without a touch.
        let roi = try Self.json(daemon, "roi", "--window", "all", "--by", "department")
        let total = roi["total"] as? [String: Any] ?? [:]
        let rows2 = (roi["rows"] as? [[String: Any]] ?? []).reduce(Int64(0)) { $0 + (Self.int($1["attributed_cents"]) ?? 0) }
        #expect(Self.int(total["orders_cents"]) == 212_00 && Self.int(total["unattributed_cents"]) == 12_00 && rows2 == 200_00, "\(total)")
        // Dropped again: the stored ones are duplicates, the refused ones refused again (nothing doubles).
        daemon.drop("flood-again.orders.csv", export)
        #expect(daemon.drained())
        #expect(waitUntil(10) { Self.int((try? Self.json(daemon, "status"))?["order_duplicates"]) == 22 })
        #expect(Self.int(try Self.json(daemon, "status")["orders_stored"]) == 22)
    }
}
