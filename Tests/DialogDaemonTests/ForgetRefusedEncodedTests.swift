import DialogCore
import Foundation
import Testing

/// Issue 14: a refused row or file of another customer that names her only as a reader decodes
/// it — a JSON escape (`alice\u0040…`, `\u0061lice@…`), a mail's encoded word or quoted-printable
/// `=40` — came back on a re-drop after `forget`: the re-drop scan read
/// the bytes as written (UTF-8), where `forget` with the identity reads them decoded
/// (docs/roi.md "Erasure").
@Suite("privacy: a re-dropped refused row naming her escaped or mail-encoded")
struct ForgetRefusedEncodedTests {
    static let line = ForgetSpoolEncodedTests.line

    /// Carol's refused JSON lines (a bad date) and refused mail (a bad date) naming her encoded.
    static let files: [(name: String, text: [UInt8])] = [
        ("hers.jsonl", Array((line("alice@example.com", "own", 1) + "\n").utf8)),
        ("esc.jsonl", Array((line("bob@example.org", "bob-esc stays", 2) + "\n"
            + #"{"date":"gestern","employee":"sara","customer":"carol@example.org","text":"carol-esc1 cc alice\u0040example.com"}"# + "\n"
            + #"{"date":"gestern","employee":"sara","customer":"carol@example.org","text":"carol-esc2 cc \u0061lice@example.com"}"# + "\n").utf8)),
        ("carol.eml", Array(MailIngestTests.message(id: "carol-1@example.org", from: "carol@example.org", to: "anna.schmidt@example.com",
                                                    subject: "=?UTF-8?Q?f=C3=BCr_alice=40example.com?=", body: "carol-mail cc alice=40example.com",
                                                    date: "gestern").utf8)),
    ]

    /// Escapes and mail encodings of her address as written in a spool file.
    static let encoded = ["alice\\u0040example.com", "u0061lice@example.com", "alice=40example.com"]

    @Test("dropped again after forget, carol's refused JSON lines and mail naming her escaped or encoded do not keep her")
    func escapedAndMailEncoded() throws {
        let dir = TestDirectory("forget-refused-encoded")
        let daemon = try DaemonProcess.startWithRoster(dir, MailIngestTests.roster)
        defer { daemon.stop() }
        for file in Self.files { daemon.drop(file.name, file.text) }
        #expect(daemon.drained())
        #expect(waitUntil(10) { Set(dir.list("spool/quarantine")).isSuperset(of: ["carol.eml", "esc.jsonl.rejects.jsonl"]) }, "\(dir.list("spool/quarantine"))")
        _ = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", "alice@example.com")
        #expect(!ForgetSpoolEncodedTests.decodedSpool(dir).contains("alice@example.com"), "forget left her: \(ForgetSpoolEncodedTests.decodedSpool(dir))")

        for file in Self.files { daemon.drop(file.name, file.text) }
        #expect(daemon.drained())
        #expect(waitUntil(10) { dir.list("spool/cur").contains("esc.jsonl.1") })
        #expect(waitUntil(10) { !ForgetSpoolEncodedTests.decodedSpool(dir).contains("alice@example.com") },
                "her address is back, encoded: \(CentralForgetTests.holding(dir.path + "/spool", Self.encoded))")
        #expect(CentralForgetTests.holding(dir.path + "/spool/cur", ["bob-esc stays"]) == ["esc.jsonl", "esc.jsonl.1"])
        #expect(!daemon.log.lowercased().contains("alice@example.com"))
    }
}
