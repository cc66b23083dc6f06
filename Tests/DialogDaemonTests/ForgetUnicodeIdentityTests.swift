import DialogCore
import DialogStore
import Foundation
import Testing

/// One customer, one pseudonym (issue 14, newcomer6 F3): a customer field written with
/// decomposed letters (NFD, as macOS and some CRMs write it) or as `mailto:` is the same
/// customer as the NFC address, so `forget` of either spelling removes both records.
@Suite("privacy: forget finds a customer in every Unicode spelling")
struct ForgetUnicodeIdentityTests {
    static let day = 86_400
    static let nfc = "j\u{00FC}rgen@example.com"
    static let nfd = "ju\u{0308}rgen@example.com"

    static func line(_ id: String, _ customer: String, _ text: String) -> String {
        #"{"id":"\#(id)","date":"\#(isoDate(-Self.day))","employee":"ben","department":"service","outcome":"resolved","customer":"\#(customer)","text":"\#(text)"}"#
    }

    @Test("NFC, NFD and mailto: spellings get one pseudonym; forget of the NFD spelling removes all of them")
    func oneCustomer() throws {
        let dir = TestDirectory("forget-unicode-identity")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        daemon.drop("j.jsonl", [Self.line("n1", Self.nfc, "OWN-NFC"), Self.line("n2", Self.nfd, "OWN-NFD"),
                                Self.line("n3", "mailto:" + Self.nfc, "OWN-MAILTO"), Self.line("d1", "dave@example.net", "dave only")]
            .joined(separator: "\n") + "\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 4 })
        let customers = try ["n1", "n2", "n3"].map { try daemon.ctlJSON(ConversationDetail.self, "show", $0).customer }
        #expect(Set(customers).count == 1, "\(customers)")

        let result = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", Self.nfd)
        #expect(result.conversations == 3, "\(result)")
        for id in ["n1", "n2", "n3"] { #expect(try daemon.ctlJSON(ConversationDetail.self, "show", id).text == nil, "\(id)") }
        #expect(try daemon.ctlJSON(ConversationDetail.self, "show", "d1").text == "dave only")
        let cur = dir.read("spool/cur/j.jsonl") ?? ""
        #expect(cur.contains("dave only") && !cur.contains("OWN-") && cur.split(separator: "\n").count == 1, "\(cur)")
        let again = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", Self.nfc)
        #expect(again.conversations == 0, "\(again)")
    }

    @Test("named customers: a row stored before composition holds the NFD bytes; forget of the NFC spelling finds it")
    func legacyDecomposedRow() throws {
        let dir = TestDirectory("forget-legacy-nfd")
        let daemon = try DaemonProcess(directory: dir, settings: ["privacy.customers": "named"]).start()
        daemon.drop("j.jsonl", Self.line("n1", Self.nfc, "OWN-LEGACY") + "\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 1 })
        #expect(daemon.stop() == 0)
        // As a store from before customers were composed wrote it.
        try Database(path: daemon.databasePath).execute("UPDATE conversations SET customer = ? WHERE key = 'id:n1'", arguments: [Self.nfd])
        try daemon.start()
        defer { daemon.stop() }
        let result = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", Self.nfc)
        #expect(result.conversations == 1, "\(result)")
        #expect(try daemon.ctlJSON(ConversationDetail.self, "show", "n1").text == nil)
    }
}
