import DialogCore
import DialogStore
import Foundation
import Testing

/// Issue 14: a refused file's reason may quote what it refused (a header line naming her). The
/// reason is kept in `ingested_files`, in `NAME.reason` (shown by `quarantine`) and in the log:
/// `forget` with the identity blanks it, and a re-drop after `forget` keeps it blanked from the
/// start (docs/roi.md "Erasure").
@Suite("privacy: a refusal's reason quoting a forgotten customer")
struct ForgetRefusedReasonTests {
    /// Carol's `.conv` refused whole: a header line without a colon, quoted in the reason.
    static let carol = "Date: \(isoDate(-86_400))\nEmployee: anna\nCustomer: carol@example.org\nFwd alice@example.com\n\ncarol-refused\n"

    @Test("forget blanks her in the stored and listed reason; dropped again, the reason is stored, listed and logged blanked")
    func reasonQuotingHer() throws {
        let dir = TestDirectory("forget-refused-reason")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        daemon.drop("hers.conv", ForgetFileNamesTests.conv("alice@example.com", "Wombat body."))
        daemon.drop("carol.conv", Self.carol)
        #expect(daemon.drained())
        #expect(waitUntil(10) { dir.list("spool/quarantine").contains("carol.conv.reason") })
        func listed() throws -> [String] { try daemon.ctlJSON(QuarantineResult.self, "quarantine").entries.compactMap(\.reason) }
        let quoted = try listed()
        #expect(quoted.contains { $0.contains("Fwd alice@example.com") }, "the reason does not quote her: \(quoted)")

        _ = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", "alice@example.com")
        let blanked = try listed()
        #expect(blanked.contains { $0.contains("Fwd [forgotten]") } && !blanked.contains { $0.contains("alice@example.com") }, "\(blanked)")
        let logged = daemon.log.count

        daemon.drop("carol.conv", Self.carol)
        #expect(daemon.drained())
        #expect(waitUntil(10) { dir.list("spool/quarantine").contains("carol.conv.1.reason") })
        #expect(waitUntil(10) { (try? listed())?.filter { $0.contains("Fwd [forgotten]") }.count == 2 }, "\((try? listed()) ?? [])")
        #expect(!String(daemon.log.dropFirst(logged)).contains("alice@example.com"), "\(daemon.log.dropFirst(logged))")
        #expect(daemon.stop() == 0)
        let reasons = try ConversationStore(readingOnly: daemon.databasePath).fileOutcomes().compactMap(\.reason)
        #expect(reasons.count == 2 && reasons.allSatisfy { $0.contains("Fwd [forgotten]") && !$0.contains("alice@example.com") }, "\(reasons)")
    }

    @Test("a refused file whose own name ends in .reason is read as the file it is: her record in it goes, not only her address")
    func fileNamedLikeAReason() throws {
        let dir = TestDirectory("forget-reason-named")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        daemon.drop("hers.conv", ForgetFileNamesTests.conv("alice@example.com", "Wombat body."))
        // No extension dialogd reads: quarantined as a whole, with its own `.reason.reason`.
        daemon.drop("export.reason", ForgetFileNamesTests.conv("alice@example.com", "Platypus secret."))
        #expect(daemon.drained())
        #expect(waitUntil(10) { dir.list("spool/quarantine").contains("export.reason.reason") })
        _ = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", "alice@example.com")
        let left = CentralForgetTests.holding(dir.sub("spool"), ["platypus secret", "alice@example.com"])
        #expect(left.isEmpty, "her record is still in \(left): \(dir.list("spool/quarantine"))")
    }
}
