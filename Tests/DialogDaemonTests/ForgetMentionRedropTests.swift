import DialogCore
import Foundation
import Testing

/// Issue 14, outside check newcomer9 F3: after `forget --customer alice@example.com`, bob's stored
/// record says "[forgotten]" where his original names her. Dropped again, the id'd original was an
/// id conflict (refused, with advice to amend that would store her address again), and an id-less
/// one a duplicate whose copy in `cur/` and refused rows named her again. Now both are duplicates
/// and her address is blanked in the file's copy, as `forget` left the store.
@Suite("privacy: mentions of a forgotten customer in others' records dropped again")
struct ForgetMentionRedropTests {
    static func line(_ id: String?, _ offset: Int, _ customer: String, _ text: String, date: String? = nil) -> String {
        let id = id.map { #""id":"\#($0)","# } ?? ""
        return #"{\#(id)"date":"\#(date ?? isoDate(offset))","employee":"emil","channel":"chat","department":"service","outcome":"resolved","customer":"\#(customer)","text":"\#(text)"}"#
    }

    /// Dave's id-less line and carol's refused one (a bad date) mention her; bob's id'd line too.
    static let originals: [(name: String, text: String)] = [
        ("m1.jsonl", [line(nil, -7200, "dave@example.com", "Dave cc alice@example.com"),
                      line("c-1", 0, "carol@example.com", "carol asks alice@example.com", date: "kaputt")].joined(separator: "\n") + "\n"),
        ("m2.jsonl", [line("s-1", -7000, "alice@example.com", "Quokka hers"),
                      line("s-4", -6000, "bob@example.com", "Bob about Alice@Example.com")].joined(separator: "\n") + "\n"),
    ]

    @Test("bob's id'd line and dave's id-less one dropped again (same name and another): duplicates, no conflict, her address nowhere")
    func redropOfMentions() throws {
        let dir = TestDirectory("forget-mention-redrop")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        for file in Self.originals { daemon.drop(file.name, file.text) }
        #expect(daemon.drained())
        #expect(waitUntil(10) { CentralForgetTests.status(daemon)?.conversations == 3 })
        let result = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", "alice@example.com")
        #expect(result.conversations == 1, "\(result)")
        #expect(try daemon.ctlJSON(ConversationDetail.self, "show", "s-4").text == "Bob about [forgotten]")
        #expect(CentralForgetTests.holding(daemon.spool, ["alice@example.com"]).isEmpty)
        let figures = try ForgetRedropTests.figures(daemon)
        let before = try #require(CentralForgetTests.status(daemon))

        for file in Self.originals { daemon.drop(file.name, file.text) }
        for file in Self.originals { daemon.drop("again-" + file.name, file.text) }
        #expect(daemon.drained())
        #expect(waitUntil(10) { (CentralForgetTests.status(daemon)?.recordsRejected ?? 0) >= before.recordsRejected + 2 })
        #expect(waitUntil(10) { daemon.log.contains("original(s) of records forget blanked a mention in arrived again") }, "\(daemon.log)")
        let after = try #require(CentralForgetTests.status(daemon))
        #expect(after.recordsConflicting == before.recordsConflicting, "bob's original is no id conflict: \(daemon.log)")
        // Per file: dave's line, her s-1 (erased) and bob's s-4; carol's row is refused as before.
        #expect(after.recordsDuplicate - before.recordsDuplicate == 6, "\(after)")
        #expect(after.conversations == 3 && after.recordsStored == before.recordsStored)
        #expect(try ForgetRedropTests.figures(daemon) == figures)
        #expect(try daemon.ctlJSON(ConversationDetail.self, "show", "s-4").text == "Bob about [forgotten]")

        let left = CentralForgetTests.holding(daemon.spool, ["alice@example.com", "quokka"])
        #expect(left.isEmpty, "her address is back in \(left)")
        #expect(CentralForgetTests.holding(daemon.spool + "/cur", ["bob about [forgotten]"]).count == 3, "bob's line stays, blanked, in every copy")
        #expect(CentralForgetTests.holding(daemon.spool + "/cur", ["dave cc [forgotten]"]).count == 3)
        #expect(!CentralForgetTests.holding(daemon.spool + "/quarantine", ["carol asks [forgotten]"]).isEmpty, "carol's refused row stays, blanked")
        #expect(!ForgetRedropTests.storeBytes(daemon).contains("alice@example.com"), "her address is in the store or its WAL")
        #expect(!daemon.log.lowercased().contains("alice@example.com"))
        #expect(!daemon.log.contains("Amends: s-4"), "no refusal advises an amend")

        // Amending bob's record back to the original would store her address again: a duplicate too.
        // Bob's original line as first dropped (its date too), with `amends`.
        let bobs = try #require(Self.originals[1].text.split(separator: "\n").last.map(String.init))
        let amend = bobs.replacingOccurrences(of: #"{"id":"s-4","#, with: #"{"id":"s-4","amends":"s-4","#)
        daemon.drop("amend.jsonl", amend + "\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { (CentralForgetTests.status(daemon)?.recordsDuplicate ?? 0) == after.recordsDuplicate + 1 }, "\(daemon.log)")
        #expect(CentralForgetTests.status(daemon)?.recordsAmended == after.recordsAmended)
        #expect(try daemon.ctlJSON(ConversationDetail.self, "show", "s-4").text == "Bob about [forgotten]")
        #expect(CentralForgetTests.holding(daemon.spool, ["alice@example.com"]).isEmpty)
        #expect(!ForgetRedropTests.storeBytes(daemon).contains("alice@example.com"))
    }
}
