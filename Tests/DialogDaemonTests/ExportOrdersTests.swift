import DialogCore
import Foundation
import Testing

/// `export` carries the orders dated in the window as `type: order` lines (issue 14, finding 6):
/// re-ingested by another daemon they are the same orders with the same attribution, and
/// dropped back into the store they came from they change nothing.
@Suite("dialogctl export: orders")
struct ExportOrdersTests {
    static func orders(_ daemon: DaemonProcess) -> Int64? {
        let run = try? daemon.ctl("--json", "roi", "--window", "all")
        guard let text = run?.stdout, let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let total = object["total"] as? [String: Any] else { return nil }
        return (total["orders"] as? NSNumber)?.int64Value
    }

    static func attributed(_ daemon: DaemonProcess, _ id: String) -> Int64? {
        (try? daemon.ctlJSON(ConversationDetail.self, "show", id))?.summary.attributedCents
    }

    @Test("jsonl export → another daemon: the same orders, the same shares; back into its own store: no change")
    func roundTrip() throws {
        let dirA = TestDirectory("export-orders-a")
        let a = try DaemonProcess(directory: dirA).start()
        defer { a.stop() }
        a.drop("talks.jsonl", NewcomerOrders2Tests.talk("t1", isoDate(-3 * 86_400), "sales", "K-91001") + "\n"
            + NewcomerOrders2Tests.talk("t2", isoDate(-2 * 86_400), "sales", "K-91001") + "\n")
        a.drop("erp.orders.csv", NewcomerOrders2Tests.orders([("A-777", "K-91001", "1.234,57 €", isoDate(-3600))]))
        a.drop("credit.jsonl", #"{"type":"order","id":"A-778","date":"\#(isoDate(-1800))","customer":"K-91001","amount":"-34,57 €","credits":"A-777"}"# + "\n")
        #expect(a.drained())
        #expect(waitUntil(10) { Self.orders(a) == 2 })
        let out = dirA.sub("export.jsonl")
        let run = try a.ctl("export", "--window", "all", "--format", "jsonl", "--out", out)
        #expect(run.status == 0 && run.stderr.contains("and 2 orders"), "\(run.stderr)")
        let text = try String(contentsOfFile: out, encoding: .utf8)
        let lines = text.split(separator: "\n").filter { $0.contains(#""type":"order""#) }
        let order = lines.first { $0.contains(#""id":"A-777""#) } ?? "", credit = lines.first { $0.contains(#""id":"A-778""#) } ?? ""
        #expect(lines.count == 2 && order.contains(#""amount":"1234.57 EUR""#), "\(lines)")
        // The credit note keeps its link to the order it takes back.
        #expect(credit.contains(#""amount":"-34.57 EUR""#) && credit.contains(#""credits":"A-777""#), "\(lines)")

        let dirB = TestDirectory("export-orders-b")
        let b = try DaemonProcess(directory: dirB).start()
        defer { b.stop() }
        b.drop("from-a.jsonl", text)
        #expect(b.drained())
        #expect(waitUntil(10) { Self.orders(b) == 2 })
        for id in ["t1", "t2"] {
            #expect(Self.attributed(b, id) == Self.attributed(a, id), "\(id): \(Self.attributed(b, id) ?? -1) against \(Self.attributed(a, id) ?? -1)")
        }
        #expect(Self.attributed(a, "t1").map { $0 + (Self.attributed(a, "t2") ?? 0) } == 1_200_00)

        a.drop("again.jsonl", text)
        #expect(a.drained())
        #expect(Self.orders(a) == 2)
        #expect(Self.attributed(a, "t1").map { $0 + (Self.attributed(a, "t2") ?? 0) } == 1_200_00)
    }

    @Test("CSV export and a filtered export stay conversations only")
    func csvAndFilters() throws {
        let dir = TestDirectory("export-orders-csv")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        daemon.drop("talks.jsonl", NewcomerOrders2Tests.talk("t1", isoDate(-3 * 86_400), "sales", "K-91002") + "\n")
        daemon.drop("erp.orders.csv", NewcomerOrders2Tests.orders([("A-779", "K-91002", "10,00 €", isoDate(-3600))]))
        #expect(daemon.drained())
        #expect(waitUntil(10) { Self.orders(daemon) == 1 })
        let csv = try daemon.ctl("export", "--window", "all")
        #expect(csv.status == 0 && !csv.stdout.contains("A-779"))
        let filtered = try daemon.ctl("export", "--window", "all", "--format", "jsonl", "--department", "sales")
        #expect(filtered.status == 0 && !filtered.stdout.contains("A-779"))
    }
}
