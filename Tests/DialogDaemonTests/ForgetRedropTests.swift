import DialogCore
import Foundation
import Testing

/// Issue 14, outside check newcomer8 F7b: after `forget`, the originals the customer's records
/// came from are dropped again (a re-run export, a restored backup). The store refuses them as
/// duplicates or id conflicts, but before the suppression list their copy landed in `cur/NAME.1`
/// and their refused rows in a rejects file, holding her identity and text again. Now the daemon
/// keeps a keyed hash of her pseudonym and stores nothing of her, in `cur/`, `quarantine/`, the
/// store or its WAL, also after a restart and a `recompute`; the figures stay as they were.
@Suite("privacy: forget holds when the originals are dropped again")
struct ForgetRedropTests {
    static func talk(_ id: String?, _ offset: Int, _ customer: String, _ text: String, date: String? = nil) -> String {
        let id = id.map { #""id":"\#($0)","# } ?? ""
        return #"{\#(id)"date":"\#(date ?? isoDate(offset))","employee":"sara","department":"sales","outcome":"lead","customer":"\#(customer)","subject":"Re: \#(text)","text":"\#(text)","phone":"+49 170 1234567","duration":"10m","value":"50 EUR"}"#
    }

    /// Her records with an id and without (keyed by content), bob's, one of hers refused (a bad
    /// date), and her order with one refused row: the originals, as first dropped and again.
    static let originals: [(name: String, text: String)] = [
        ("talks.jsonl", [talk("a1", -7200, "Anna@Example.com", "SECRET-ANNA-4711"), talk("b1", -7000, "bob@example.com", "bob-stays-text"),
                         talk("a3", 0, "anna@example.com", "SECRET-ANNA-4713", date: "kaputt")].joined(separator: "\n") + "\n"),
        ("anna.jsonl", talk(nil, -5000, "anna@example.com", "SECRET-ANNA-4712") + "\n"),
        ("erp.orders.csv", "order_id,customer,date,amount,note\nA-1,ANNA@example.com,\(isoDate(-3600)),300.00,SECRET-ANNA-ORDER\n"
            + "A-2,anna@example.com,\(isoDate(-3500)),kaputt,SECRET-ANNA-ORDER\nB-1,bob@example.com,\(isoDate(-3400)),20.00,bob-order\n"),
    ]
    static let hers = ["secret-anna", "anna@example.com"]

    static func storeBytes(_ daemon: DaemonProcess) -> String {
        [daemon.databasePath, daemon.databasePath + "-wal"].compactMap { FileManager.default.contents(atPath: $0) }
            .map { String(decoding: $0, as: UTF8.self).lowercased() }.joined()
    }

    static func figures(_ daemon: DaemonProcess) throws -> String {
        let report = try daemon.ctlJSON(RoiReport.self, "roi", "--window", "30d", "--by", "department")
        return "\(report.rows) \(report.total)"
    }

    /// Stores the originals, forgets her, and returns her pseudonym.
    static func forgetAfterFirstDrop(_ daemon: DaemonProcess) throws -> String {
        for file in originals { daemon.drop(file.name, file.text) }
        #expect(daemon.drained())
        #expect(waitUntil(10) { CentralForgetTests.status(daemon)?.conversations == 3 })
        let pseudonym = try #require(try daemon.ctlJSON(ConversationDetail.self, "show", "a1").customer)
        let result = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", "anna@example.com")
        #expect(result.conversations == 2 && result.orders == 1, "\(result)")
        let left = CentralForgetTests.holding(daemon.spool, hers)
        #expect(left.isEmpty, "forget left her in \(left)")
        #expect(daemon.log.contains("kept as a keyed hash: the customer's records dropped again are stored erased"))
        return pseudonym
    }

    @Test("forget, restart, recompute, then the originals dropped again (also under another name): nothing of hers anywhere, figures unchanged")
    func redropAfterForget() throws {
        let dir = TestDirectory("forget-redrop")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        let pseudonym = try Self.forgetAfterFirstDrop(daemon)
        let figures = try Self.figures(daemon)
        // The list is in the store: a restart and a recompute keep it.
        #expect(daemon.stop() == 0)
        try daemon.start()
        #expect(try daemon.ctl("recompute").status == 0)
        #expect(try Self.figures(daemon) == figures)

        for file in Self.originals { daemon.drop(file.name, file.text) }
        daemon.drop("anna-restored.jsonl", Self.originals[1].text)
        // Refused whole (a bad date): hers goes from quarantine/, carol's stays there to be fixed.
        daemon.drop("anna-bad.jsonl", Self.talk("a4", 0, "anna@example.com", "SECRET-ANNA-4714", date: "kaputt") + "\n")
        daemon.drop("carol-bad.jsonl", Self.talk("c4", 0, "carol@example.com", "carol-refused", date: "kaputt") + "\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { daemon.log.contains("record(s) of customers forget erased arrived again") }, "\(daemon.log)")
        #expect(CentralForgetTests.status(daemon)?.conversations == 3)
        #expect(try Self.figures(daemon) == figures, "her records again are duplicates of the erased ones")

        let left = CentralForgetTests.holding(daemon.spool, Self.hers + [pseudonym])
        #expect(left.isEmpty, "her identity or text is back in \(left)")
        #expect(CentralForgetTests.holding(daemon.spool + "/cur", ["bob-stays-text"]).count == 2, "bob's line stays in both copies")
        #expect(CentralForgetTests.holding(daemon.spool + "/cur", ["bob-order"]).count == 2)
        #expect(CentralForgetTests.holding(daemon.spool + "/quarantine", ["carol-refused"]) == ["carol-bad.jsonl"])
        #expect(dir.list("spool/quarantine").contains("carol-bad.jsonl.reason") && !dir.list("spool/quarantine").contains { $0.hasPrefix("anna-bad") })
        let store = Self.storeBytes(daemon)
        #expect(!Self.hers.contains(where: store.contains) && !store.contains(pseudonym), "her text, identity or pseudonym is in the store or its WAL")
        #expect(!daemon.log.lowercased().contains("anna@example.com") && !daemon.log.contains(pseudonym))
    }

    @Test("a new record of a forgotten customer is stored as forget leaves records: counted, under a forget label, without her texts")
    func newRecordAfterForget() throws {
        let dir = TestDirectory("forget-redrop-new")
        let daemon = try DaemonProcess(directory: dir, settings: ["privacy.customers": "named"]).start()
        defer { daemon.stop() }
        _ = try Self.forgetAfterFirstDrop(daemon)
        daemon.drop("later.jsonl", Self.talk("a9", -600, "ANNA@example.com", "SECRET-ANNA-4719") + "\n"
            + Self.talk("b9", -500, "bob@example.com", "bob-later") + "\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { CentralForgetTests.status(daemon)?.conversations == 5 })
        let a9 = try daemon.ctlJSON(ConversationDetail.self, "show", "a9")
        #expect(a9.customer.map(CustomerIdentity.isForgottenLabel) == true && a9.text == nil && a9.summary.subject == nil && a9.extras.isEmpty, "\(a9)")
        #expect(try daemon.ctlJSON(ConversationDetail.self, "show", "b9").customer == "bob@example.com", "named: bob is kept as written")
        let left = CentralForgetTests.holding(daemon.spool, Self.hers)
        #expect(left.isEmpty, "her identity or text is in \(left)")
        #expect(CentralForgetTests.holding(daemon.spool + "/cur", ["bob-later"]) == ["later.jsonl"])
        #expect(!Self.hers.contains(where: Self.storeBytes(daemon).contains))
    }
}
