import DialogCore
import Foundation
import Testing

/// Issue 14, newcomer7 F6: docs/roi.md promises the figures the same to the cent before and
/// after `forget`. Attribution reads a credit note's `credits` link (an order number, not the
/// person); forget must keep it, or `recompute` spreads the note by the model instead.
@Suite("privacy: forget keeps what attribution reads")
struct ForgetCreditNoteTests {
    static func talk(_ id: String, _ customer: String, _ department: String, days: Int) -> String {
        #"{"id":"\#(id)","date":"\#(isoDate(-days * 86_400))","employee":"ben","customer":"\#(customer)","department":"\#(department)","outcome":"resolved","duration":"10m","text":"\#(id) text"}"#
    }

    /// `roi --json --window all --by department`: its rows and total (the window's end is now).
    static func roi(_ daemon: DaemonProcess) throws -> String { try CentralForgetTests.roi(daemon) }

    @Test("forget, then recompute: roi --json identical to before forget, with credit notes naming her own and another customer's order")
    func recomputeAfterForget() throws {
        let dir = TestDirectory("forget-credit-recompute")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        daemon.drop("c.jsonl", [Self.talk("t1", "alice@example.com", "sales", days: 25), Self.talk("t2", "alice@example.com", "service", days: 10),
                                Self.talk("u1", "bob@example.org", "sales", days: 24)].joined(separator: "\n") + "\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 3 })
        // A-2-G takes back her own A-2; A-1-G names bob's B-1 (mismatched: unattributed).
        daemon.drop("erp.orders.csv", CreditNoteCustomerTests.orders([
            (id: "A-2", customer: "alice@example.com", amount: "100,00", offset: -20 * 86_400, credits: ""),
            (id: "A-2-G", customer: "alice@example.com", amount: "-100,00", offset: -5 * 86_400, credits: "A-2"),
            (id: "B-1", customer: "bob@example.org", amount: "80,00", offset: -23 * 86_400, credits: ""),
            (id: "A-1-G", customer: "alice@example.com", amount: "-25,00", offset: -4 * 86_400, credits: "B-1"),
        ]))
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").ordersStored) == 4 })
        let before = try Self.roi(daemon)
        let total = try daemon.ctlJSON(RoiReport.self, "roi", "--window", "all").total
        #expect(total.unattributedCents == -25_00 && total.attributedCents == 80_00, "\(total)")

        let result = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", "alice@example.com")
        #expect(result.orders == 3, "\(result)")
        #expect(try Self.roi(daemon) == before)
        #expect(try daemon.ctl("recompute").status == 0)
        #expect(try Self.roi(daemon) == before, "the figures moved at recompute after forget")
        // The link is an order's reference and stays listed; the customer does not.
        let listed = try runDialogctl(["--socket", daemon.socketPath, "list", "--order", "A-2-G"]).stdout
        #expect(listed.contains("credits A-2") && !listed.contains("alice"), "\(listed)")
    }
}
