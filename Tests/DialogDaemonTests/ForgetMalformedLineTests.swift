import DialogCore
import Foundation
import Testing

/// Issue 14, outside check newcomer9 F1/F2: a `.jsonl` line no reader takes and that is no JSON
/// (cut off, a trailing comma, an unquoted token) has no cells to judge it by. It is judged by
/// its bytes: one that names the customer — the identity in any form the matcher knows, or her
/// pseudonym — is removed from `cur/` and from the rejects file, not blanked (docs/roi.md
/// "Erasure"). At a central, so is a shipped line of hers that is cut off or whose `dialogd`
/// object is broken (`"revision":"x"`), by `forget` there and by the site's erasure arriving.
@Suite("privacy: forget removes the customer's lines that are no JSON")
struct ForgetMalformedLineTests {
    static func line(_ id: String, _ customer: String, _ text: String) -> String {
        ForgetSpoolRecordsTests.line(id, customer, text)
    }

    /// Her stored line, her lines cut off / with a trailing comma / an unquoted customer, bob's
    /// stored line and carol's cut-off line (refused, kept).
    static var file: [String] {
        [line("t-1", "alice@example.com", "Platypus ok"),
         String(line("t-2", "alice@example.com", "Platypus truncated").dropLast(2)),
         line("t-3", "alice@example.com", "Platypus trailing comma").replacingOccurrences(of: "\"10m\"}", with: "\"10m\",}"),
         line("t-4", "alice@example.com", "Platypus unquoted").replacingOccurrences(of: "\"alice@example.com\"", with: "alice@example.com"),
         line("t-5", "bob@example.com", "Bob ok"),
         String(line("t-6", "carol@example.org", "carol-broken-stays").dropLast(2))]
    }

    /// Drops `lines` as `j.jsonl`, forgets `customer` (nil: alice's pseudonym), and checks that
    /// nothing of hers is left in `cur/` and `quarantine/` while bob's and carol's lines stay.
    func forget(_ name: String, lines: [String], customer: String?) throws {
        let dir = TestDirectory(name)
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        daemon.drop("j.jsonl", lines.joined(separator: "\n") + "\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 2 })
        #expect(waitUntil(10) { (dir.read("spool/quarantine/j.jsonl.rejects.jsonl") ?? "").contains("Platypus truncated") })
        let pseudonym = try #require(try daemon.ctlJSON(ConversationDetail.self, "show", "1").customer)
        let result = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", customer ?? pseudonym)
        #expect(result.conversations == 1, "\(result)")
        #expect(Set(result.rewritten ?? []) == ["cur/j.jsonl", "quarantine/j.jsonl.rejects.jsonl"], "\(result)")
        let bytes = ForgetSpoolRecordsTests.spoolBytes(dir)
        #expect(!bytes.contains("platypus") && !bytes.contains("alice@example.com"), "\(bytes)")
        let cur = dir.read("spool/cur/j.jsonl") ?? ""
        #expect(cur.contains("Bob ok") && cur.contains("carol-broken-stays") && cur.split(separator: "\n").count == 2, "\(cur)")
        let rejects = dir.read("spool/quarantine/j.jsonl.rejects.jsonl") ?? ""
        #expect(rejects.contains("carol-broken-stays") && rejects.split(separator: "\n").count == 1, "\(rejects)")
    }

    @Test("forget by identity removes her lines that are no JSON from cur/ and the rejects file, and bob's cut-off line that names her")
    func byIdentity() throws {
        // Bob's cut-off line names her: no field to blank it in alone, so it goes too.
        try forget("forget-malformed-identity", lines: Self.file + [String(Self.line("t-7", "bob@example.com", "cc alice@example.com").dropLast(2))],
                   customer: "alice@example.com")
    }

    @Test("forget by pseudonym removes her lines that are no JSON: their customer token is hers")
    func byPseudonym() throws {
        try forget("forget-malformed-pseudonym", lines: Self.file, customer: nil)
    }

    // MARK: a central

    /// Alice's shipped line spoiled by `spoil`, dave's date cell `kaputt`: both refused at the central.
    static func refusedAtCentral(_ site: DaemonProcess, _ central: DaemonProcess, spoil: (String) -> String) throws -> String {
        let increment = try ForgetRefusedShippedTests.spoiledIncrement(site).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.contains("own: Alice") ? spoil(String($0)) : String($0) }.joined(separator: "\n")
        let pseudonym = try #require(try site.ctlJSON(ConversationDetail.self, "show", "1").customer)
        let name = ForgetRefusedShippedTests.name
        for copies in 1...2 {
            central.drop(name, increment)
            #expect(central.drained())
            #expect(waitUntil(10) { central.directory.list("spool/cur").count == copies })
        }
        #expect(waitUntil(10) { CentralForgetTests.status(central)?.conversations == 1 })
        let rejects = central.directory.read("spool/quarantine/\(name).rejects.jsonl") ?? ""
        #expect(rejects.contains("Alice Smith") && rejects.contains("dave-stays-refused"), "\(rejects)")
        return pseudonym
    }

    /// Her line cut off: no closing braces (of the `dialogd` object and the line).
    static func cutOff(_ line: String) -> String { String(line.dropLast(2)) }

    /// Her line's `dialogd` revision no integer.
    static func brokenRevision(_ line: String) -> String {
        line.replacingOccurrences(of: #""revision":[0-9]+"#, with: #""revision":"x""#, options: .regularExpression)
    }

    @Test("at a central, forget by the site's pseudonym removes her cut-off shipped line from cur/NAME, NAME.1 and the rejects file")
    func centralByPseudonym() throws {
        let (site, central) = try ForgetRefusedShippedTests.daemons("malformed-central")
        defer { site.stop(); central.stop() }
        let pseudonym = try Self.refusedAtCentral(site, central, spoil: Self.cutOff)
        let result = try central.ctlJSON(ForgetResult.self, "forget", "--customer", pseudonym)
        let name = ForgetRefusedShippedTests.name
        #expect(Set(result.rewritten ?? []) == ["cur/\(name)", "cur/\(name).1", "quarantine/\(name).rejects.jsonl"], "\(result)")
        ForgetRefusedShippedTests.expectOnlyOthersLeft(central, pseudonym: pseudonym)
    }

    @Test("at a central, the site's erasure removes her shipped line cut off, or with a broken revision", arguments: ["cut", "revision"])
    func centralBySiteErasure(spoiling: String) throws {
        let (site, central) = try ForgetRefusedShippedTests.daemons("malformed-site-\(spoiling)")
        defer { site.stop(); central.stop() }
        let pseudonym = try Self.refusedAtCentral(site, central, spoil: spoiling == "cut" ? Self.cutOff : Self.brokenRevision)
        _ = try site.ctlJSON(ForgetResult.self, "forget", "--customer", "alice@example.com")
        CentralForgetTests.deliver(try CentralForgetTests.ship(site, after: 1), to: central)
        #expect(central.drained())
        #expect(waitUntil(10) { CentralForgetTests.status(central)?.conversations == 2 })
        var left: [String] = []
        #expect(waitUntil(10) { left = CentralForgetTests.holding(central.spool, ForgetRefusedShippedTests.herText); return left.isEmpty }, "still in \(left)")
        ForgetRefusedShippedTests.expectOnlyOthersLeft(central, pseudonym: pseudonym)
    }
}
