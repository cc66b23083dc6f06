import DialogCore
import Foundation
import Testing

/// `forget` and the texts of *other* records (issue 14 finding 1, docs/roi.md "Erasure"): a
/// colleague's mail names the forgotten address; it must leave every stored text and the
/// database file, and nothing else may be blanked with it.
@Suite("privacy: forget blanks the identity where other records mention it")
struct ForgetMentionTests {
    static let day = 86_400

    static func lowercasedStoreBytes(_ daemon: DaemonProcess) -> String {
        [daemon.databasePath, daemon.databasePath + "-wal"].compactMap { FileManager.default.contents(atPath: $0) }
            .map { String(decoding: $0, as: UTF8.self) }.joined().lowercased()
    }

    @Test("every stored text that names the address says [forgotten]; another address containing it stays")
    func everyTextOfOthers() throws {
        let dir = TestDirectory("forget-mentions")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        let dora = #"{"id":"d1","date":"\#(isoDate(-Self.day))","employee":"sara","department":"sales","outcome":"lead","customer":"dora@example.com","#
            + #""subject":"Empfehlung ANNA@example.com","text":"Anna (anna@Example.com) und joanna@example.com, auch anna@example.com.","#
            + #""tags":["anna@example.com","vip"],"empfohlen_von":"Anna@Example.COM","duration":"10m"}"#
        daemon.drop("dora.jsonl", dora + "\n")
        daemon.drop("erp.orders.csv", "order_id,customer,date,amount,product\nA-1,dora@example.com,\(isoDate(-3600)),10.00,Gutschein für anna@example.com\n")
        // A refused record: its reason in the ingest log quotes the value it found.
        daemon.drop("broken.jsonl", #"{"date":"anna@example.com","employee":"sara"}"# + "\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 1 })
        #expect(waitUntil(10) { dir.list("spool/quarantine").contains { $0.hasPrefix("broken") } })

        let result = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", "anna@example.com")
        #expect(result.mentionsRemoved == 3, "the conversation, the order and the quarantine reason: \(result)")
        let d1 = try daemon.ctlJSON(ConversationDetail.self, "show", "d1")
        #expect(d1.summary.subject == "Empfehlung [forgotten]")
        #expect(d1.text == "Anna ([forgotten]) und joanna@example.com, auch [forgotten].", "\(d1.text ?? "")")
        #expect(d1.tags == ["[forgotten]", "vip"])
        #expect(d1.extras.map(\.value) == ["[forgotten]"], "\(d1.extras)")
        // Dora is not forgotten: her own customer and figures stay.
        #expect(d1.customer?.hasPrefix("cus-") == true && d1.summary.attributedCents == 10_00)
        let bytes = Self.lowercasedStoreBytes(daemon).replacingOccurrences(of: "joanna@example.com", with: "")
        #expect(!bytes.contains("anna@example.com"), "the address is still in the database file or its WAL")
        #expect(try daemon.ctl("forget", "--customer", "anna@example.com").stdout.contains("[forgotten]: 0 record(s)"))
    }

    /// An amend before the forget replaced a long text (kept in overflow pages) by a short one:
    /// the freed pages with the old text must not stay in the file, where the forget's scrub of
    /// the current text cannot reach them — also after an earlier erasure (which used to switch
    /// Debian's compiled-in `secure_delete` off for the rest of the daemon's life).
    @Test("an earlier amend leaves no old copy of the text in the database file")
    func noCopyFromAnEarlierAmend() throws {
        let dir = TestDirectory("forget-mentions-amend")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        func dora(_ text: String, amends: Bool) -> String {
            #"{"id":"d1",\#(amends ? #""amends":"d1","# : "")"date":"\#(isoDate(-Self.day))","employee":"sara","department":"sales","outcome":"lead","customer":"dora@example.com","text":"\#(text)","duration":"10m"}"#
        }
        // An erasure before (of nobody here).
        _ = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", "zed@example.com")
        // A long thread that quotes the address in every line: kept in overflow pages.
        let long = String(repeating: "Bitte um Rückruf an anna.schmidt@example.com wegen des Angebots. ", count: 150)
        daemon.drop("dora.jsonl", dora(long, amends: false) + "\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 1 })
        daemon.drop("dora-amend.jsonl", dora("Rückruf: anna.schmidt@example.com", amends: true) + "\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(ConversationDetail.self, "show", "d1").text) == "Rückruf: anna.schmidt@example.com" })
        _ = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", "anna.schmidt@example.com")
        #expect(try daemon.ctlJSON(ConversationDetail.self, "show", "d1").text == "Rückruf: [forgotten]")
        #expect(!Self.lowercasedStoreBytes(daemon).contains("anna.schmidt@example.com"), "an old copy of the text is still in the file")
    }

    /// Given only the pseudonym, the store does not know who the customer is: nothing to look for.
    @Test("forget by pseudonym blanks no mention (it has no identity to look for) and says so")
    func pseudonymOnly() throws {
        let dir = TestDirectory("forget-mentions-pseudonym")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        daemon.drop("talks.jsonl", [#"{"id":"a1","date":"\#(isoDate(-Self.day))","employee":"sara","outcome":"lead","customer":"anna@example.com","duration":"10m"}"#,
                                    #"{"id":"d1","date":"\#(isoDate(-Self.day))","employee":"sara","outcome":"lead","customer":"dora@example.com","text":"via anna@example.com","duration":"10m"}"#]
            .joined(separator: "\n") + "\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 2 })
        let pseudonym = try #require(try daemon.ctlJSON(ConversationDetail.self, "show", "a1").customer)
        let result = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", pseudonym)
        #expect(result.conversations == 1 && result.mentionsRemoved == nil, "\(result)")
        #expect(try daemon.ctlJSON(ConversationDetail.self, "show", "d1").text == "via anna@example.com")
        #expect(try daemon.ctl("forget", "--customer", pseudonym).stdout.contains("other stored texts not searched"))
    }

    /// Finding 5's other half: `list` for people has the ATTRIBUTED column `show` now has.
    @Test("list for people gives each conversation's attributed revenue")
    func listGivesAttributed() throws {
        let dir = TestDirectory("list-attributed")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        daemon.drop("talks.jsonl", [#"{"id":"t1","date":"\#(isoDate(-2 * Self.day))","employee":"sara","outcome":"lead","customer":"anna@example.com","duration":"10m"}"#,
                                    #"{"id":"t2","date":"\#(isoDate(-2 * Self.day))","employee":"sara","outcome":"lead","customer":"bob@example.com","duration":"10m"}"#]
            .joined(separator: "\n") + "\n")
        daemon.drop("erp.orders.csv", "order_id,customer,date,amount\nA-1,anna@example.com,\(isoDate(-3600)),123.45\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(ConversationDetail.self, "show", "t1").summary.attributedCents) == 123_45 })
        let lines = try daemon.ctl("list").stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.contains("ATTRIBUTED") == true, "\(lines)")
        #expect(lines.contains { $0.contains("123.45") }, "\(lines)")
        let show = try daemon.ctl("show", "t2").stdout
        #expect(!show.contains("attributed"), "a conversation without a share has no attributed line: \(show)")
    }
}
