import DialogCore
import Foundation
import Testing

/// Issue 14, outside check newcomer10 N2/N3: a `.csv` row no reader takes was judged by the
/// fields of one strict CSV reading. A row of hers cut off in a quoted field (the file refused
/// whole) gave no fields, one written with `;` in a `,` file no field that is her: both were
/// kept with her address blanked and her text, and a re-drop brought them back whole. Now such
/// a row is read loosely (every line under every separator, an open quote closed) and goes
/// when a cell is her, in `forget` and at a re-drop (docs/roi.md "Erasure").
@Suite("privacy: forget removes the customer's refused CSV rows")
struct ForgetRefusedCSVTests {
    static let header = "date,employee,channel,department,outcome,customer,text"
    static func row(_ offset: Int, _ customer: String, _ text: String) -> String {
        "\(isoDate(offset)),dora,chat,service,resolved,\(customer),\(text)"
    }

    /// Her row cut off in a quoted text (the file is refused whole); her row with `;` (refused
    /// alone); carol's row with `;` that mentions her (refused, kept blanked); bob's rows stored.
    static let files: [(name: String, text: String)] = [
        ("cut.csv", [header, row(-7200, "bob@example.com", "bob-cut-stays"), row(-7100, "alice@example.com", "\"ECHIDNA-CUT text")].joined(separator: "\n") + "\n"),
        ("semi.csv", [header, row(-7000, "bob@example.com", "bob-semi-stays"),
                      "\(isoDate(-6900)),dora,chat;service,resolved;alice@example.com;ECHIDNA-SEMI text",
                      "\(isoDate(-6800)),dora,chat;service,resolved;carol@example.org;carol-semi asks about alice@example.com"].joined(separator: "\n") + "\n"),
        // Carol's file refused whole (a bad date) that names her: kept, blanked, so it can be fixed.
        ("carol.conv", "Date: gestern\nEmployee: dora\nCustomer: carol@example.org\n\ncarol-conv forwards Alice@Example.com's note\n"),
    ]
    static let hers = ["alice@example.com", "echidna"]

    @Test("forget by identity removes her cut-off and ;-separated rows; dropped again, they do not come back; bob's rows and carol's refused rows stay, blanked, also dropped again")
    func refusedRowsOfHers() throws {
        let dir = TestDirectory("forget-refused-csv")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        for file in Self.files { daemon.drop(file.name, file.text) }
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 1 })
        #expect(waitUntil(10) { Set(dir.list("spool/quarantine")).isSuperset(of: ["cut.csv", "cut.csv.reason", "semi.csv.rejects.jsonl"]) })

        let result = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", "alice@example.com")
        #expect(Set(result.rewritten ?? []) == ["quarantine/cut.csv", "cur/semi.csv", "quarantine/semi.csv.rejects.jsonl", "quarantine/carol.conv"], "\(result)")
        let left = CentralForgetTests.holding(dir.path + "/spool", Self.hers)
        #expect(left.isEmpty, "forget left her row in \(left)")
        #expect((dir.read("spool/quarantine/cut.csv") ?? "").contains("bob-cut-stays"))
        let semi = dir.read("spool/cur/semi.csv") ?? ""
        #expect(semi.contains("bob-semi-stays") && semi.contains("carol-semi asks about [forgotten]") && semi.split(separator: "\n").count == 3, "\(semi)")
        #expect((dir.read("spool/quarantine/semi.csv.rejects.jsonl") ?? "").contains("carol-semi asks about [forgotten]"))

        for file in Self.files { daemon.drop(file.name, file.text) }
        #expect(daemon.drained())
        #expect(waitUntil(10) { daemon.log.contains("record(s) of customers forget erased arrived again") }, "\(daemon.log)")
        #expect(waitUntil(10) { dir.list("spool/quarantine").contains("cut.csv.1") && dir.list("spool/cur").contains("semi.csv.1") })
        // Scrubbed once moved: the copies are briefly whole. Carol's refused rows name her as
        // written (no stored record says `[forgotten]` there): blanked by the suppression list's pieces.
        #expect(waitUntil(10) { CentralForgetTests.holding(dir.path + "/spool", Self.hers).isEmpty },
                "her rows or address are back in \(CentralForgetTests.holding(dir.path + "/spool", Self.hers))")
        #expect(CentralForgetTests.holding(dir.path + "/spool", ["carol-semi asks about [forgotten]"])
                == ["cur/semi.csv", "cur/semi.csv.1", "quarantine/semi.csv.1.rejects.jsonl", "quarantine/semi.csv.rejects.jsonl"])
        #expect(CentralForgetTests.holding(dir.path + "/spool", ["carol-conv forwards [forgotten]'s note"]) == ["quarantine/carol.conv", "quarantine/carol.conv.1"])
        #expect(CentralForgetTests.holding(dir.path + "/spool", ["bob-cut-stays"]) == ["quarantine/cut.csv", "quarantine/cut.csv.1"])
        #expect(CentralForgetTests.holding(dir.path + "/spool/cur", ["bob-semi-stays"]) == ["semi.csv", "semi.csv.1"])
        #expect(!daemon.log.lowercased().contains("echidna"))
    }
}
