import DialogCore
import Foundation
import Testing

/// Issue 14, the outside re-check (newcomer5) of forget's spool side: the identity written in a
/// form a reader decodes — a JSON escape, quoted-printable or an RFC 2047 word in mail — must not
/// stay in a cur/ original because a byte scan for its plain spelling missed it (F1); a
/// Windows-1252 `.conv` or `.json` that mentions it is rewritten as UTF-8, not deleted (F2).
@Suite("privacy: forget finds the identity in every form a reader decodes")
struct ForgetSpoolEncodedTests {
    static let day = 86_400

    static func line(_ customer: String, _ text: String, hour: Int) -> String {
        #"{"date":"\#(isoDate(-Self.day + hour * 60))","employee":"sara","department":"service","outcome":"resolved","customer":"\#(customer)","text":"\#(text)","duration":"10m"}"#
    }

    /// Every byte of cur/ and quarantine/ as a reader would decode them: JSON escapes, `=40` and
    /// encoded words undone, lowercased.
    static func decodedSpool(_ dir: TestDirectory) -> String {
        ["spool/cur", "spool/quarantine"].flatMap { area in dir.list(area).map { area + "/" + $0 } }
            .compactMap { dir.read($0) }.joined(separator: "\n").lowercased()
            .replacingOccurrences(of: "\\u0040", with: "@").replacingOccurrences(of: "=40", with: "@")
            .replacingOccurrences(of: "\\u0061", with: "a")
    }

    @Test("a JSON-escaped or mail-encoded mention is not left in cur/: the piece goes, the store keeps the blanked record")
    func escapedMentions() throws {
        let dir = TestDirectory("forget-spool-escaped")
        let daemon = try DaemonProcess.startWithRoster(dir, MailIngestTests.roster)
        defer { daemon.stop() }
        // Her own line written plainly, bob's line with the escaped mention: bob's line was kept.
        daemon.drop("esc2.jsonl", [Self.line("alice@example.com", "own, plain", hour: 1),
                                   Self.line("bob@example.org", #"bob: escaped alice\u0040example.com here"#, hour: 2),
                                   Self.line("dave@example.net", "dave", hour: 3)].joined(separator: "\n") + "\n")
        // A file of hugo's with only the escaped mention (the file was not read at all), and one
        // with the address's first letter escaped.
        daemon.drop("esc3.jsonl", Self.line("hugo@example.org", #"hugo: cc alice\u0040example.com"#, hour: 4) + "\n")
        daemon.drop("esc4.json", Self.line("ida@example.org", #"ida: cc \u0061lice@example.com"#, hour: 5))
        // A refused line of bob's with the escaped mention: in the original and in the rejects file.
        daemon.drop("bad.jsonl", Self.line("carol@example.org", "fine", hour: 6) + "\n"
            + #"{"date":"nonsense","employee":"sara","customer":"bob@example.org","text":"cc alice\u0040example.com"}"# + "\n")
        // bob's mail with the address quoted-printable in the body and an encoded word in the subject.
        daemon.drop("qp.eml", MailIngestTests.message(id: "qp-1@example.org", from: "bob@example.org", to: "anna.schmidt@example.com",
                                                      subject: "=?UTF-8?Q?f=C3=BCr_alice=40example.com?=", body: "cc alice=40example.com, danke"))
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 7 },
                "\(dir.list("spool/quarantine"))")

        let result = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", "alice@example.com")
        #expect(result.conversations == 1, "\(result)")
        #expect(waitUntil(10) { dir.list("spool/cur").count >= 1 })
        let esc2 = dir.read("spool/cur/esc2.jsonl") ?? ""
        #expect(esc2.contains("dave@example.net") && !esc2.contains("own, plain") && !esc2.contains("bob: escaped"), "\(esc2)")
        #expect(!dir.list("spool/cur").contains("esc3.jsonl") && !dir.list("spool/cur").contains("esc4.json"), "\(dir.list("spool/cur"))")
        #expect(!dir.list("spool/cur").contains("qp.eml"), "\(dir.list("spool/cur"))")
        #expect(Set(result.files).isSuperset(of: ["cur/esc3.jsonl", "cur/esc4.json", "cur/qp.eml"]), "\(result)")
        let bytes = Self.decodedSpool(dir)
        #expect(!bytes.contains("alice@example.com"), "\(bytes)")
        // The store keeps the other customers' records, blanked.
        #expect(try daemon.ctlJSON(StatusResult.self, "status").conversations == 7)
        let bad = dir.read("spool/cur/bad.jsonl") ?? ""
        #expect(bad.contains("\"fine\"") && !bad.contains("nonsense"), "\(bad)")
        #expect(!dir.list("spool/quarantine").contains("bad.jsonl.rejects.jsonl"), "\(dir.list("spool/quarantine"))")
        #expect(daemon.log.contains("a mention could not be blanked in place"), "\(daemon.log)")
    }

    @Test("a Windows-1252 .conv and .json that mention the identity are rewritten as UTF-8, blanked, time kept; a re-drop is a duplicate")
    func windows1252Rewritten() throws {
        let dir = TestDirectory("forget-spool-cp1252")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        let conv = Array("Date: \(isoDate(-Self.day))\nEmployee: ben\nCustomer: erin@example.net\nOutcome: resolved\n\nGr".utf8)
            + [0xFC, 0xDF] + Array("e von alice@example.com\n".utf8)
        daemon.drop("w.conv", conv)
        let json = Array(#"{"id":"w-2","date":"\#(isoDate(-Self.day + 60))","employee":"ben","customer":"gina@example.net","text":"Gr"#.utf8)
            + [0xFC, 0xDF] + Array(#"e von alice@example.com"}"#.utf8)
        daemon.drop("w.json", json)
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 2 })
        #expect(waitUntil(10) { dir.list("spool/cur").contains("w.conv") && dir.list("spool/cur").contains("w.json") })
        let mtime = try FileManager.default.attributesOfItem(atPath: dir.sub("spool/cur/w.conv"))[.modificationDate] as? Date

        let result = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", "alice@example.com")
        #expect(result.files.isEmpty && Set(result.rewritten ?? []) == ["cur/w.conv", "cur/w.json"], "\(result)")
        let rewritten = dir.read("spool/cur/w.conv") ?? ""
        #expect(rewritten.contains("Customer: erin@example.net") && rewritten.contains("Grüße von [forgotten]"), "\(rewritten)")
        #expect((dir.read("spool/cur/w.json") ?? "").contains("Grüße von [forgotten]"))
        let after = try FileManager.default.attributesOfItem(atPath: dir.sub("spool/cur/w.conv"))[.modificationDate] as? Date
        // Kept to the file system's setting precision (utimes), as for every rewritten original.
        #expect(mtime != nil && after != nil && abs(after!.timeIntervalSince(mtime!)) < 1, "\(String(describing: mtime)) \(String(describing: after))")

        let before = try ForgetTests.total(daemon)
        daemon.drop("again.conv", try #require(dir.read("spool/cur/w.conv")))
        daemon.drop("again.json", try #require(dir.read("spool/cur/w.json")))
        #expect(daemon.drained())
        #expect(waitUntil(10) { ["again.conv", "again.json"].allSatisfy { dir.list("spool/cur").contains($0) || dir.list("spool/quarantine").contains($0) } })
        #expect(try daemon.ctlJSON(StatusResult.self, "status").conversations == 2)
        #expect(try ForgetTests.total(daemon) == before)
        #expect(!dir.list("spool/quarantine").contains { $0.hasPrefix("again") }, "\(dir.list("spool/quarantine"))")
    }

    /// Forms the byte scan must not miss though they differ from the identity's bytes: decomposed
    /// letters (NFD), Windows-1252, upper case. Each file is another customer's and stays, blanked.
    @Test("an identity with a non-ASCII letter is found written decomposed, in Windows-1252 and in upper case")
    func decomposedAndLegacyBytes() throws {
        let dir = TestDirectory("forget-spool-nfd")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        daemon.drop("nfd.jsonl", Self.line("bob@example.org", "cc ju\u{308}rgen@example.de", hour: 1) + "\n")
        daemon.drop("w.conv", Array("Date: \(isoDate(-Self.day))\nEmployee: ben\nCustomer: erin@example.net\nOutcome: resolved\n\ncc J".utf8)
            + [0xDC] + Array("RGEN@EXAMPLE.DE\n".utf8))
        #expect(daemon.drained())
        #expect(waitUntil(10) { dir.list("spool/cur").count == 2 && (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 2 })
        let result = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", "jürgen@example.de")
        #expect(result.files.isEmpty && Set(result.rewritten ?? []) == ["cur/nfd.jsonl", "cur/w.conv"], "\(result)")
        #expect((dir.read("spool/cur/nfd.jsonl") ?? "").contains("cc [forgotten]"))
        #expect((dir.read("spool/cur/w.conv") ?? "").contains("cc [forgotten]"), "\(dir.read("spool/cur/w.conv") ?? "")")
        let left = ["nfd.jsonl", "w.conv"].compactMap { dir.read("spool/cur/" + $0) }.joined().lowercased()
        #expect(!left.contains("rgen@example.de"), "\(left)")
    }
}
