import DialogCore
import DialogStore
import Foundation
import Testing

/// Issue 14, outside check newcomer9 F5: writers name files after customers
/// (`alice@example.com.conv`). After `forget` by identity her address is in no stored file name
/// (`ingested_files.name`, `source_file`), in no name in `cur/` or `quarantine/` (a kept file is
/// renamed `[forgotten]…`), nor in the reply and its log line (docs/roi.md "Erasure").
@Suite("privacy: forget leaves no file named after the customer")
struct ForgetFileNamesTests {
    static func conv(_ customer: String, _ body: String) -> String {
        "Date: \(isoDate(-86_400))\nEmployee: anna\nChannel: email\nCustomer: \(customer)\nDepartment: sales\nOutcome: lead\n\n\(body)\n"
    }

    @Test("her file is deleted, bob's file named after her is renamed; the store, the listing, the reply and the log do not name her")
    func namedAfterHer() throws {
        let dir = TestDirectory("forget-file-names")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        daemon.drop("alice@example.com.conv", Self.conv("alice@example.com", "Wombat body."))
        daemon.drop("re-alice@example.com.conv", Self.conv("bob@example.com", "Bob asked about alice@example.com."))
        // A refused file named after her, of carol's: kept in quarantine/ with its reason, renamed.
        daemon.drop("for-alice@example.com.conv", "Date: gestern\nEmployee: anna\nCustomer: carol@example.org\n\ncarol-refused\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 2 })
        #expect(waitUntil(10) { dir.list("spool/quarantine").count == 2 })

        let reply = try daemon.ctl("--json", "forget", "--customer", "alice@example.com")
        #expect(reply.status == 0 && !reply.stdout.lowercased().contains("alice@example.com"), "\(reply.stdout)")
        let result = try WireCoding.decoder().decode(ForgetResult.self, from: Data(reply.stdout.utf8))
        #expect(result.files == ["cur/[forgotten].conv"], "\(result)")
        #expect(Set(result.renamed ?? []) == ["cur/re-[forgotten].conv", "quarantine/for-[forgotten].conv",
                                              "quarantine/for-[forgotten].conv.reason"], "\(result)")
        #expect(dir.list("spool/cur").sorted() == ["re-[forgotten].conv"])
        #expect(dir.list("spool/quarantine").sorted() == ["for-[forgotten].conv", "for-[forgotten].conv.reason"])
        #expect((dir.read("spool/cur/re-[forgotten].conv") ?? "").contains("Bob asked about [forgotten]."))
        #expect((dir.read("spool/quarantine/for-[forgotten].conv") ?? "").contains("carol-refused"))
        let bytes = ForgetSpoolRecordsTests.spoolBytes(dir)
        #expect(!bytes.contains("alice@example.com") && bytes.contains("carol-refused"), "\(bytes)")
        let line = daemon.log.split(separator: "\n").filter { $0.contains("had a customer forgotten") }
        #expect(line.count == 1 && !line.contains { $0.lowercased().contains("alice@example.com") }, "\(line)")

        // The store's names follow the spool's: forgetting bob finds his file by the name it has now.
        let bob = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", "bob@example.com")
        #expect(bob.files == ["cur/re-[forgotten].conv"], "\(bob)")
        #expect(daemon.stop() == 0)
        let store = try ConversationStore(readingOnly: daemon.databasePath)
        let names = try store.database.fetchAll("SELECT name FROM ingested_files UNION ALL SELECT source_file FROM conversations UNION ALL SELECT reason FROM ingested_files WHERE reason IS NOT NULL") { row -> String in row[0] }
        #expect(names.count == 6 && !names.contains { $0.lowercased().contains("alice@example.com") }, "\(names)")
    }

    @Test("files named after her dropped again after forget: kept, listed, stored and logged under the blanked name")
    func namedAfterHerDroppedAgain() throws {
        let dir = TestDirectory("forget-file-names-redrop")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        let files = [("alice@example.com.conv", Self.conv("alice@example.com", "Wombat body.")),
                     ("re-alice@example.com.conv", Self.conv("bob@example.com", "Bob asked about alice@example.com.")),
                     ("for-alice@example.com.conv", "Date: gestern\nEmployee: anna\nCustomer: carol@example.org\n\ncarol-refused\n")]
        for (name, text) in files { daemon.drop(name, text) }
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 2 })
        _ = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", "alice@example.com")
        let logged = daemon.log.count

        // Again, and under new names: her refused file (a bad date) and bob's new file named in capitals.
        for (name, text) in files { daemon.drop(name, text) }
        daemon.drop("Alice@Example.COM-2.conv", "Date: gestern\nEmployee: anna\nCustomer: alice@example.com\n\nWombat refused.\n")
        daemon.drop("bob for Alice@Example.COM.conv", Self.conv("bob@example.com", "bob-new-file"))
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 3 })
        // Her copies go and bob's are blanked once moved: the listing is briefly another.
        let cur = ["bob for [forgotten].conv", "re-[forgotten].conv", "re-[forgotten].conv.1"]
        let quarantine = ["for-[forgotten].conv", "for-[forgotten].conv.1", "for-[forgotten].conv.1.reason", "for-[forgotten].conv.reason"]
        #expect(waitUntil(10) { dir.list("spool/cur").sorted() == cur && dir.list("spool/quarantine").sorted() == quarantine
                                && !ForgetSpoolRecordsTests.spoolBytes(dir).contains("alice@example.com") },
                "\(dir.list("spool/cur").sorted()) \(dir.list("spool/quarantine").sorted())")
        let bytes = ForgetSpoolRecordsTests.spoolBytes(dir).lowercased()
        #expect(!bytes.contains("alice@example.com") && !bytes.contains("wombat"), "\(bytes)")
        let after = String(daemon.log.dropFirst(logged)).lowercased()
        #expect(!after.contains("alice@example.com") && after.contains("bob for [forgotten].conv"), "\(after)")
        #expect(daemon.stop() == 0)
        let store = try ConversationStore(readingOnly: daemon.databasePath)
        let names = try store.database.fetchAll("SELECT name FROM ingested_files UNION ALL SELECT source_file FROM conversations UNION ALL SELECT reason FROM ingested_files WHERE reason IS NOT NULL") { row -> String in row[0] }
        #expect(names.contains("bob for [forgotten].conv") && !names.contains { $0.lowercased().contains("alice@example.com") }, "\(names)")
    }
}
