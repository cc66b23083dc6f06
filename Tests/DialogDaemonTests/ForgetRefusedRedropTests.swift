import DialogCore
import DialogStore
import Foundation
import Testing

/// Issue 14, outside check newcomer11: (A) another customer's refused row naming her came back
/// on a re-drop when it was past the 1,000th refused row of its file or named her past its first
/// 4 KiB (only the capped rejects list was searched); (B) a file named after her with a combining
/// mark after her address was kept under her address on a re-drop; (C) her row cut off in a
/// quoted field took every line after it out of the quarantined `.csv`; (D) her own refused row
/// whose customer cell starts past 4 KiB kept its first 4 KiB in the rejects file (docs/roi.md "Erasure").
@Suite("privacy: re-dropped refused rows and names after forget")
struct ForgetRefusedRedropTests {
    static let header = ForgetRefusedCSVTests.header
    static let row = ForgetRefusedCSVTests.row

    @Test("A: carol's refused row naming her, as refused row #1001 or past 4 KiB of its row, is blanked on a re-drop; her own refused row #1002 goes")
    func refusedRowsPastTheRejectsList() throws {
        let dir = TestDirectory("forget-refused-redrop-a")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        let filler = (1...1000).map { "\(isoDate(-7000));dora;chat;service;resolved;carol\($0)@example.org;filler" }
        let many = ([Self.header, Self.row(-7200, "bob@example.com", "bob-many")] + filler
                    + ["\(isoDate(-6900));dora;chat;service;resolved;carol@example.org;carol-1001 asks about alice@example.com",
                       "\(isoDate(-6850));dora;chat;service;resolved;alice@example.com;NUMBAT her own refused row #1002"]).joined(separator: "\n") + "\n"
        let long = [Self.header, Self.row(-6800, "bob@example.com", "bob-long"), Self.row(-6700, "alice@example.com", "hers"),
                    "\(isoDate(-6600));dora;chat;service;resolved;carol@example.org;\(String(repeating: "x", count: 4200)) carol-long asks about alice@example.com"]
            .joined(separator: "\n") + "\n"
        let files = [("many.csv", many), ("long.csv", long)]
        for (name, text) in files { daemon.drop(name, text) }
        #expect(daemon.drained())
        #expect(waitUntil(10) { dir.list("spool/cur").count == 2 })
        _ = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", "alice@example.com")
        #expect(CentralForgetTests.holding(dir.path + "/spool", ["alice@example.com"]).isEmpty)

        for (name, text) in files { daemon.drop(name, text) }
        #expect(daemon.drained())
        #expect(waitUntil(10) { daemon.log.contains("file(s) with refused rows naming a forgotten customer") }, "\(daemon.log)")
        #expect(waitUntil(10) { CentralForgetTests.holding(dir.path + "/spool", ["alice@example.com"]).isEmpty },
                "her address is back in \(CentralForgetTests.holding(dir.path + "/spool", ["alice@example.com"]))")
        #expect(CentralForgetTests.holding(dir.path + "/spool/cur", ["carol-1001 asks about [forgotten]"]) == ["many.csv", "many.csv.1"])
        #expect(CentralForgetTests.holding(dir.path + "/spool/cur", ["carol-long asks about [forgotten]"]) == ["long.csv", "long.csv.1"])
        #expect(CentralForgetTests.holding(dir.path + "/spool", ["numbat"]).isEmpty, "her own refused row past the rejects list is kept")
        #expect(!daemon.log.lowercased().contains("alice@example.com"))
    }

    @Test("B: a file named after her with a combining mark after her address is kept, stored and logged under the name forget leaves")
    func nameWithAMarkAfterHer() throws {
        let dir = TestDirectory("forget-refused-redrop-b")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        let name = "fwd alice@example.com\u{301}.conv"
        let text = ForgetFileNamesTests.conv("bob@example.com", "bob-fwd")
        daemon.drop(name, text)
        daemon.drop("hers.conv", ForgetFileNamesTests.conv("alice@example.com", "Wombat body."))
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 2 })
        let result = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", "alice@example.com")
        let blanked = "fwd [forgotten]\u{301}.conv"
        #expect(result.renamed == ["cur/" + blanked], "\(result)")
        let logged = daemon.log.count

        daemon.drop(name, text)
        #expect(daemon.drained())
        // Her address as bytes: a String compares the mark with the `m` before it as one letter.
        func namesHer(_ s: String) -> Bool { s.lowercased().unicodeScalars.map(String.init).joined().contains("alice@example.co") }
        #expect(waitUntil(10) { dir.list("spool/cur").count == 2 }, "\(dir.list("spool/cur"))")
        #expect(!dir.list("spool/cur").contains(where: namesHer) && dir.list("spool/cur").contains(blanked), "\(dir.list("spool/cur"))")
        #expect(!namesHer(String(daemon.log.dropFirst(logged))), "\(daemon.log.dropFirst(logged))")
        #expect(daemon.stop() == 0)
        let store = try ConversationStore(readingOnly: daemon.databasePath)
        let names = try store.database.fetchAll("SELECT name FROM ingested_files UNION ALL SELECT source_file FROM conversations") { row -> String in row[0] }
        #expect(!names.contains(where: namesHer), "\(names)")
    }

    @Test("C: her row cut off in a quoted field goes from the quarantined .csv with its text's lines; the other customers' lines after it stay")
    func cutOffRowKeepsTheLinesAfterIt() throws {
        let dir = TestDirectory("forget-refused-redrop-c")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        let before = (1...5).map { Self.row(-9000 + $0, "bob\($0)@example.com", "keep-before-\($0)") }
        let after = (6...12).map { Self.row(-8000 + $0, "dave\($0)@example.com", "keep-after-\($0)") }
        let big = ([Self.header] + before + [Self.row(-8500, "alice@example.com", "\"ECHIDNA-CUT text"), "ECHIDNA second line of her text"] + after)
            .joined(separator: "\n") + "\n"
        daemon.drop("big.csv", big)
        #expect(daemon.drained())
        #expect(waitUntil(10) { dir.list("spool/quarantine").contains("big.csv.reason") })
        _ = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", "alice@example.com")
        let kept = dir.read("spool/quarantine/big.csv") ?? ""
        #expect(!kept.lowercased().contains("echidna") && !kept.contains("alice@example.com"), "\(kept)")
        #expect((1...12).allSatisfy { kept.contains($0 <= 5 ? "keep-before-\($0)" : "keep-after-\($0)") }, "\(kept)")

        daemon.drop("big.csv", big)
        #expect(daemon.drained())
        #expect(waitUntil(10) { dir.list("spool/quarantine").contains("big.csv.1") && !(dir.read("spool/quarantine/big.csv.1") ?? "echidna").lowercased().contains("echidna") })
        let again = dir.read("spool/quarantine/big.csv.1") ?? ""
        #expect((6...12).allSatisfy { again.contains("keep-after-\($0)") }, "\(again)")
    }

    @Test("D: her own refused row whose customer cell starts past 4 KiB leaves the rejects file with the row, in forget and at a re-drop; carol's long refused row stays")
    func ownRowPastTheRejectsLimit() throws {
        let dir = TestDirectory("forget-refused-redrop-d")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        // The text before the customer: the rejects file keeps the first 4 KiB of a row, her text, not her.
        let long = String(repeating: "x", count: 4200)
        let file = ["date,employee,channel,department,outcome,text,customer",
                    "\(isoDate(-6800)),dora,chat,service,resolved,bob-long stays,bob@example.com",
                    "gestern,dora,chat,service,resolved,NUMBAT her refused text \(long),alice@example.com",
                    "gestern,dora,chat,service,resolved,carol-long refused \(long),carol@example.org"].joined(separator: "\n") + "\n"
        daemon.drop("long.csv", file)
        daemon.drop("hers.conv", ForgetFileNamesTests.conv("alice@example.com", "Wombat body."))
        #expect(daemon.drained())
        #expect(waitUntil(10) { dir.list("spool/quarantine").contains("long.csv.rejects.jsonl") })
        #expect((dir.read("spool/quarantine/long.csv.rejects.jsonl") ?? "").contains("NUMBAT"))
        _ = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", "alice@example.com")
        #expect(CentralForgetTests.holding(dir.path + "/spool", ["numbat", "alice@example.com"]).isEmpty,
                "forget left her row in \(CentralForgetTests.holding(dir.path + "/spool", ["numbat", "alice@example.com"]))")
        #expect(CentralForgetTests.holding(dir.path + "/spool", ["carol-long refused"]) == ["cur/long.csv", "quarantine/long.csv.rejects.jsonl"])

        daemon.drop("long.csv", file)
        #expect(daemon.drained())
        #expect(waitUntil(10) { dir.list("spool/quarantine").contains("long.csv.1.rejects.jsonl") })
        #expect(waitUntil(10) { CentralForgetTests.holding(dir.path + "/spool", ["numbat", "alice@example.com"]).isEmpty },
                "her row is back in \(CentralForgetTests.holding(dir.path + "/spool", ["numbat", "alice@example.com"]))")
        #expect(CentralForgetTests.holding(dir.path + "/spool", ["carol-long refused"])
                == ["cur/long.csv", "cur/long.csv.1", "quarantine/long.csv.1.rejects.jsonl", "quarantine/long.csv.rejects.jsonl"])
        #expect(CentralForgetTests.holding(dir.path + "/spool/cur", ["bob-long stays"]) == ["long.csv", "long.csv.1"])
    }
}
