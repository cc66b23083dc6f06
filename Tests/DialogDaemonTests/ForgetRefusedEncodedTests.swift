import DialogCore
import Foundation
import Testing

/// Issue 14: a refused row or file of another customer that names her only as a reader decodes
/// it — a JSON escape (`alice\u0040…`, `\u0061lice@…`), a mail's encoded word or quoted-printable
/// `=40`, or a Windows-1252 letter — came back on a re-drop after `forget`: the re-drop scan read
/// the bytes as written (UTF-8), where `forget` with the identity reads them decoded
/// (docs/roi.md "Erasure").
@Suite("privacy: a re-dropped refused row naming her escaped, mail-encoded or in Windows-1252")
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

    @Test("dropped again after forget, carol's refused row naming her in a Windows-1252 .csv does not keep her")
    func windows1252() throws {
        let dir = TestDirectory("forget-refused-1252")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        let row = ForgetRefusedCSVTests.row
        // ë is 0xEB in Windows-1252; the file holds no UTF-8 sequence, so the reader reads it as 1252.
        func latin1(_ text: String) -> [UInt8] { text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) } }
        let hers = latin1([ForgetRefusedCSVTests.header, row(-7300, "zo\u{EB}@example.com", "her own")].joined(separator: "\n") + "\n")
        let carol = latin1([ForgetRefusedCSVTests.header, row(-7200, "bob@example.com", "bob-1252 stays"),
                            "gestern,dora,chat,service,resolved,carol@example.org,carol-1252 cc zo\u{EB}@example.com"].joined(separator: "\n") + "\n")
        daemon.drop("hers.csv", hers)
        daemon.drop("carol.csv", carol)
        #expect(daemon.drained())
        #expect(waitUntil(10) { dir.list("spool/quarantine").contains("carol.csv.rejects.jsonl") })
        _ = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", "zo\u{EB}@example.com")
        func holdsHer() -> [String] { Self.holding(dir.path + "/spool", [latin1("zo\u{EB}@example.com"), Array("zo\u{EB}@example.com".utf8)]) }
        #expect(holdsHer().isEmpty, "forget left her in \(holdsHer())")

        daemon.drop("carol.csv", carol)
        #expect(daemon.drained())
        #expect(waitUntil(10) { dir.list("spool/cur").contains("carol.csv.1") })
        #expect(waitUntil(10) { holdsHer().isEmpty }, "her address is back in \(holdsHer())")
        #expect(CentralForgetTests.holding(dir.path + "/spool/cur", ["bob-1252 stays"]) == ["carol.csv", "carol.csv.1"])
    }

    /// Files under `root` holding any of the byte strings `needles` (letters as written).
    static func holding(_ root: String, _ needles: [[UInt8]]) -> [String] {
        let files = FileManager.default
        guard let walker = files.enumerator(atPath: root) else { return ["(unreadable) " + root] }
        var found: [String] = []
        for case let relative as String in walker {
            guard let data = files.contents(atPath: root + "/" + relative) else { continue }
            let bytes = [UInt8](data)
            if needles.contains(where: { needle in bytes.indices.contains { bytes[$0...].starts(with: needle) } }) { found.append(relative) }
        }
        return found.sorted()
    }
}
