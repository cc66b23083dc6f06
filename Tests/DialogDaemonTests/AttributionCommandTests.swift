import DialogCore
import DialogStore
import Foundation
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Attributed order revenue in `roi` (issue 14) through the real daemon, spool, SQLite file and
/// dialogctl: independent of arrival order, moved by `relabel`, re-attributed by `recompute`.
@Suite("attribution: orders credited to conversations")
struct AttributionCommandTests {
    static let day = 86_400

    static func roi(_ daemon: DaemonProcess, _ arguments: String...) throws -> [String: Any] {
        let run = try runDialogctl(["--socket", daemon.socketPath, "--json", "roi", "--window", "30d"] + arguments)
        #expect(run.status == 0, "\(run.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    }

    /// `attributed_cents` per row key, and the total's order figures.
    static func attributed(_ daemon: DaemonProcess) throws -> (rows: [String: Int64], total: [String: Int64]) {
        let r = try roi(daemon, "--by", "department")
        let rows = (r["rows"] as? [[String: Any]] ?? []).reduce(into: [String: Int64]()) {
            $0[$1["key"] as? String ?? "?"] = ($1["attributed_cents"] as? NSNumber)?.int64Value
        }
        let t = r["total"] as? [String: Any] ?? [:]
        let total = ["attributed_cents", "orders", "orders_cents", "unattributed_cents"].reduce(into: [String: Int64]()) {
            $0[$1] = (t[$1] as? NSNumber)?.int64Value
        }
        return (rows, total)
    }

    static func conversation(_ id: String, _ offset: Int, _ department: String, customer: String = "Anna@Example.com") -> String {
        #"{"id":"\#(id)","date":"\#(isoDate(offset))","employee":"sara","department":"\#(department)","outcome":"lead","customer":"\#(customer)","duration":"10m"}"#
    }

    @Test("an order before its conversations is attributed when they arrive; relabel moves a share; recompute re-attributes")
    func arrivalRelabelRecompute() throws {
        let dir = TestDirectory("attribution")
        let daemon = try DaemonProcess(directory: dir, settings: ["attribution.model": "linear", "attribution.lookback": "10d"]).start()
        defer { daemon.stop() }
        // The order first: nothing to credit yet.
        daemon.drop("erp.orders.csv", "order_id,customer,date,amount\nA-1,anna@example.com,\(isoDate(-3600)),100.00\nB-1,bob@example.com,\(isoDate(-3600)),20.00\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? Self.attributed(daemon).total["orders"]) == 2 })
        var a = try Self.attributed(daemon)
        #expect(a.total == ["attributed_cents": 0, "orders": 2, "orders_cents": 120_00, "unattributed_cents": 120_00], "\(a)")

        // Then its conversations: three touches, one after the order, one before the lookback.
        daemon.drop("talks.jsonl", [
            Self.conversation("t1", -3 * Self.day, "sales"), Self.conversation("t2", -2 * Self.day, "sales"),
            Self.conversation("t3", -1 * Self.day, "service"), Self.conversation("late", -60, "marketing"),
            Self.conversation("old", -20 * Self.day, "marketing"),
        ].joined(separator: "\n") + "\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 5 })
        a = try Self.attributed(daemon)
        // 100.00 / 3 = 33.33, the left-over cent to the latest touch (service).
        #expect(a.rows["sales"] == 66_66 && a.rows["service"] == 33_34 && a.rows["marketing"] == 0, "\(a.rows)")
        #expect(a.total == ["attributed_cents": 100_00, "orders": 2, "orders_cents": 120_00, "unattributed_cents": 20_00], "\(a.total)")
        #expect(a.rows.values.reduce(0, +) + (a.total["unattributed_cents"] ?? 0) == a.total["orders_cents"])

        // Traceable: the customer's touches with their shares, through list (pseudonym only).
        let detail = try daemon.ctlJSON(ConversationDetail.self, "show", "t3")
        let pseudonym = try #require(detail.customer)
        #expect(detail.summary.attributedCents == 33_34)
        let touches = try daemon.ctlJSON(ListResult.self, "list", "--customer", pseudonym)
        #expect(touches.conversations.map(\.key).sorted() == ["id:late", "id:old", "id:t1", "id:t2", "id:t3"])
        // Not touches (after the order, before the lookback): no attributed_cents at all.
        #expect(touches.conversations.compactMap(\.attributedCents).sorted() == [33_33, 33_33, 33_34],
                "\(touches.conversations.map { ($0.key, $0.attributedCents) })")
        let byAddress = try daemon.ctl("list", "--customer", "anna@example.com")
        #expect(byAddress.status != 0 && byAddress.stderr.contains("privacy"), "\(byAddress.stderr)")
        let human = try daemon.ctl("list", "--customer", pseudonym)
        #expect(human.stdout.contains("ATTRIBUTED") && human.stdout.contains("33.34"), "\(human.stdout)")

        // The other way round: a conversation first, its order later.
        daemon.drop("carol.jsonl", Self.conversation("c1", -4 * Self.day, "marketing", customer: "carol@example.com") + "\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 6 })
        daemon.drop("later.orders.csv", "order_id,customer,date,amount\nC-1,Carol@Example.com,\(isoDate(-1800)),-12.34\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? Self.attributed(daemon).total["orders"]) == 3 })
        a = try Self.attributed(daemon)
        #expect(a.rows["marketing"] == -12_34, "a credit note takes back: \(a.rows)")
        #expect(a.total["unattributed_cents"] == 20_00 && a.total["orders_cents"] == 120_00 - 12_34, "\(a.total)")
        #expect(a.rows.values.reduce(0, +) + (a.total["unattributed_cents"] ?? 0) == a.total["orders_cents"])

        // relabel moves the share with the conversation.
        let t3 = try #require(try daemon.ctlJSON(ListResult.self, "list").conversations.first { $0.key == "id:t3" })
        #expect(try daemon.ctl("relabel", String(t3.id), "--department", "sales").status == 0)
        a = try Self.attributed(daemon)
        #expect(a.rows["sales"] == 100_00 && a.rows["service"] == nil && a.rows["marketing"] == -12_34, "\(a.rows)")
        // The human answer shows the same: a column and the order line.
        let text = try daemon.ctl("roi", "--window", "30d", "--by", "department")
        let sales = text.stdout.split(separator: "\n").first { $0.hasPrefix("sales") }.map(String.init) ?? ""
        #expect(text.stdout.contains("ATTRIBUTED") && sales.hasSuffix("100.00 EUR"), "\(text.stdout)")
        #expect(text.stdout.contains("orders: 3 dated in the window, 107.66 EUR; 20.00 EUR of it had no conversation before it"), "\(text.stdout)")

        // Another model: stale until recompute, then all to the last touch.
        let config = try #require(dir.read("dialogd.conf"))
        dir.write("dialogd.conf", config.replacingOccurrences(of: "model = linear", with: "model = first_touch"))
        kill(daemon.pid, SIGHUP)
        #expect(waitUntil(10) { daemon.log.contains("configuration reloaded") })
        #expect(daemon.log.contains("run `dialogctl recompute`"))
        #expect(try daemon.ctl("recompute").status == 0)
        let first = try Self.roi(daemon, "--by", "outcome")
        let firstTotal: Int64? = ((first["total"] as? [String: Any])?["attributed_cents"] as? NSNumber)?.int64Value
        #expect(firstTotal == Int64(87_66))
        // t1 gets it all now, t2 and t3 nothing: the shares as stored (a zero-cent share is no row).
        let store = try ConversationStore(readingOnly: daemon.databasePath)
        let shares = try store.database.fetchAll(
            "SELECT c.external_id, s.share_cents FROM order_shares s JOIN conversations c ON c.id = s.conversation_id ORDER BY c.date"
        ) { row in "\(row[0] as String? ?? "?")=\(row[1] as Int64)" }
        #expect(shares == ["c1=-1234", "t1=10000"], "\(shares)")
    }
}
