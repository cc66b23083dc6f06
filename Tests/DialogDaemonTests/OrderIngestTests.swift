import DialogCore
import DialogStore
import Foundation
import Testing

/// Orders through the real daemon, spool and SQLite file (issue 14): stored once in their own
/// table with the customer's pseudonym, quarantined with reasons, never counted as conversations.
@Suite("orders: ingest")
struct OrderIngestTests {
    static func day(_ offset: Int) -> String { String(isoDate(offset).prefix(10)) }

    @Test("an ERP export and a typed order are stored once, matched by pseudonym, and are no conversations")
    func storedOnce() throws {
        let dir = TestDirectory("orders-ingest")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        let erp = "Auftragsnummer;Kundennummer;Bestelldatum;Umsatz\n1001;Anna@Example.com;\(Self.day(-86_400));1.234,56\n1002;anna@example.com;\(Self.day(-3600));-49,90\n"
        daemon.drop("erp.orders.csv", erp)
        daemon.drop("mixed.jsonl", [
            #"{"type":"order","date":"\#(isoDate(-7200))","customer":"@kunde","amount":"99.00 EUR"}"#,
            #"{"date":"\#(isoDate(-9000))","employee":"sara.lee","customer":" anna@EXAMPLE.com","department":"sales","outcome":"lead"}"#,
        ].joined(separator: "\n") + "\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 1 })
        // Again: nothing new.
        daemon.drop("again.orders.csv", erp)
        #expect(daemon.drained())
        #expect(dir.list("spool/quarantine").isEmpty, "\(dir.list("spool/quarantine"))")
        let conversation = try #require(try daemon.ctlJSON(ListResult.self, "list").conversations.first)
        let customer = try daemon.ctlJSON(ConversationDetail.self, "show", String(conversation.id)).customer
        #expect(try daemon.ctlJSON(StatusResult.self, "status").conversations == 1, "orders are not conversations")
        #expect(daemon.stop() == 0)

        let store = try ConversationStore(readingOnly: daemon.databasePath)
        let orders = try store.orders()
        #expect(orders.count == 3, "\(orders)")
        #expect(orders.map(\.order.amountCents).sorted() == [-4_990, 9_900, 123_456])
        let anna = orders.filter { $0.order.id != nil }
        #expect(anna.count == 2 && anna.allSatisfy { $0.order.customer == customer }, "an order matches its conversation's customer")
        #expect(orders.allSatisfy { CustomerIdentity.isPseudonym($0.order.customer) })
        #expect(try store.orderCount() == 3)
    }

    @Test("bad orders go to quarantine with file, line, field and reason; a changed order number is a conflict")
    func quarantined() throws {
        let dir = TestDirectory("orders-quarantine")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        daemon.drop("bad.orders.csv", "order_id,customer,date,amount\n1,,\(Self.day(-3600)),10\n2,k,\(Self.day(-3600)),10\n")
        daemon.drop("none.orders.jsonl", #"{"customer":"k","amount":5}"# + "\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { dir.list("spool/quarantine").count >= 3 })
        let rejects = try #require(dir.list("spool/quarantine").first { $0.hasPrefix("bad.orders") && $0.hasSuffix(".rejects.jsonl") })
        let text = dir.read("spool/quarantine/" + rejects) ?? ""
        #expect(text.contains("\"line\":2") && text.contains("customer"), "\(text)")
        let reason = try #require(dir.list("spool/quarantine").first { $0.hasPrefix("none.orders") && $0.hasSuffix(".reason") })
        #expect((dir.read("spool/quarantine/" + reason) ?? "").contains("date"))
        // Order 2 again with another amount: refused, the stored one stays.
        daemon.drop("changed.orders.csv", "order_id,customer,date,amount\n2,k,\(Self.day(-3600)),11\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { dir.list("spool/quarantine").contains { $0.hasPrefix("changed.orders") } })
        let changed = dir.list("spool/quarantine").filter { $0.hasPrefix("changed.orders") }.compactMap { dir.read("spool/quarantine/" + $0) }.joined()
        #expect(changed.contains("amount"), "\(changed)")
        #expect(daemon.stop() == 0)
        let orders = try ConversationStore(readingOnly: daemon.databasePath).orders()
        #expect(orders.map(\.order.amountCents) == [1000])
    }
}
