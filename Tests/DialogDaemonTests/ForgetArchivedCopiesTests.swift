import DialogCore
import Foundation
import Testing

/// Issue 14, newcomer7 F5: a file of the same name that arrives twice is archived as `NAME.1`
/// (docs/spool.md), in `cur/` and in `quarantine/`. Every erasure path — `forget` by identity,
/// by pseudonym, the central's following of a site's erasure, `forget` at a central — must read
/// `NAME.1` exactly as it reads `NAME`: as the format its dropped name says, record by record.
@Suite("privacy: forget reaches copies archived under a collision name (NAME.1)")
struct ForgetArchivedCopiesTests {
    static let herText = CentralForgetTests.herText

    static func line(_ id: String, _ customer: String, _ text: String, hour: Int) -> String {
        #"{"id":"\#(id)","date":"\#(isoDate(-86_400 + hour * 60))","employee":"ben","customer":"\#(customer)","department":"service","outcome":"resolved","duration":"10m","text":"\#(text)"}"#
    }

    /// Drops `name` with `text`, then the same again once the first is archived: `NAME` and `NAME.1`.
    static func dropTwice(_ daemon: DaemonProcess, _ name: String, _ text: String, area: String = "cur") {
        daemon.drop(name, text)
        #expect(daemon.drained())
        #expect(waitUntil(10) { daemon.directory.list("spool/" + area).contains(name) })
        daemon.drop(name, text)
        #expect(daemon.drained())
        #expect(waitUntil(10) { daemon.directory.list("spool/" + area).contains(name + ".1") }, "\(daemon.directory.list("spool/" + area))")
    }

    /// The site's first increment delivered to the central twice: archived as `NAME` and `NAME.1` in its cur/.
    static func deliverFirstIncrementTwice(_ site: DaemonProcess, _ central: DaemonProcess) throws {
        let increment = try CentralForgetTests.firstIncrement(site, central)
        CentralForgetTests.deliver(increment, to: central)
        #expect(central.drained())
        let copy = (increment as NSString).lastPathComponent + ".1"
        #expect(waitUntil(10) { central.directory.list("spool/cur").contains(copy) }, "\(central.directory.list("spool/cur"))")
    }

    @Test("forget by pseudonym at a single site reads t.jsonl.1 as t.jsonl: her line goes from both, bob's stays")
    func pseudonymReachesCopy() throws {
        let dir = TestDirectory("forget-copy-pseudonym")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        Self.dropTwice(daemon, "t.jsonl", [Self.line("a1", "alice@example.com", "own: Alice Smith, IBAN DE02 1203 0000 0000 2020 51", hour: 1),
                                          Self.line("b1", "bob@example.org", "bob only", hour: 2)].joined(separator: "\n") + "\n")
        #expect(try daemon.ctlJSON(StatusResult.self, "status").conversations == 2)
        let pseudonym = try #require(try daemon.ctlJSON(ConversationDetail.self, "show", "a1").customer)
        #expect(CustomerIdentity.isPseudonym(pseudonym))

        let result = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", pseudonym)
        #expect(result.conversations == 1, "\(result)")
        #expect(Set(result.rewritten ?? []) == ["cur/t.jsonl", "cur/t.jsonl.1"], "\(result)")
        let left = CentralForgetTests.holding(dir.sub("spool"), Self.herText + ["alice@example.com"])
        #expect(left.isEmpty, "her line is still in \(left)")
        for name in ["t.jsonl", "t.jsonl.1"] { #expect(dir.read("spool/cur/" + name)?.contains("bob only") == true, "\(name)") }
    }

    @Test("files are matched by bytes: her \"Müller.jsonl\" composed and decomposed both go, and bob's spelled alike stays")
    func filesMatchedByBytes() throws {
        let dir = TestDirectory("forget-nfd-files")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        let (composed, decomposed) = ("M\u{FC}ller.jsonl", "Mu\u{308}ller.jsonl")
        daemon.drop(composed, Self.line("a1", "alice@example.com", "her first", hour: 1) + "\n")
        daemon.drop(decomposed, Self.line("a2", "alice@example.com", "her second", hour: 2) + "\n")
        daemon.drop("M\u{FC}ller-bob.jsonl", Self.line("b1", "bob@example.org", "bob only", hour: 3) + "\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 3 })
        let result = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", "alice@example.com")
        #expect(result.conversations == 2 && result.files.count == 2, "\(result)")
        #expect(dir.list("spool/cur").map { Array($0.utf8) } == [Array("M\u{FC}ller-bob.jsonl".utf8)], "\(dir.list("spool/cur"))")
        #expect(CentralForgetTests.holding(dir.sub("spool"), ["her first", "her second", "alice@example.com"]).isEmpty)
    }

    @Test("forget by identity decodes NAME.1 as NAME: an escaped or quoted-printable mention in a copy in cur/ or quarantine/ goes")
    func encodedMentionInCopies() throws {
        let dir = TestDirectory("forget-copy-encoded")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        // bob's line names her only as alice\u0040example.com; the broken .json goes to quarantine/.
        Self.dropTwice(daemon, "e.jsonl", Self.line("b1", "bob@example.org", #"bob: escaped alice\u0040example.com here"#, hour: 1) + "\n"
            + Self.line("d1", "dave@example.net", "dave", hour: 2) + "\n")
        Self.dropTwice(daemon, "q5.json", #"[{"date":"\#(isoDate(-3600))","employee":"ben","customer":"bob@example.org","text":"bob mentions alice\u0040example.com"},]"#,
                       area: "quarantine")
        Self.dropTwice(daemon, "q3.eml", "Message-ID: <q3@m>\nFrom: bob@example.org\nTo: ben@corp.example\nSubject: no date\n"
            + "Content-Transfer-Encoding: quoted-printable\n\nbob asks alice=40example.com\n", area: "quarantine")

        let result = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", "alice@example.com")
        let spool = ForgetSpoolEncodedTests.decodedSpool(dir)
        #expect(!spool.contains("alice@example.com"), "\(result) \(dir.list("spool/cur")) \(dir.list("spool/quarantine"))")
        // Read as the .jsonl it was dropped as: dave's line stays in both copies.
        for name in ["e.jsonl", "e.jsonl.1"] { #expect(dir.read("spool/cur/" + name)?.contains(#""dave""#) == true, "\(name): \(result)") }
    }

    @Test("a central that got an increment twice: the site's forget removes her lines from NAME.1 too")
    func centralSweepReachesCopy() throws {
        let site = try CentralForgetTests.start("copy-follow", site: "munich"), central = try CentralForgetTests.start("copy-follow", site: "hq")
        defer { site.stop(); central.stop() }
        try Self.deliverFirstIncrementTwice(site, central)
        let figures = try CentralForgetTests.roi(central)

        _ = try site.ctlJSON(ForgetResult.self, "forget", "--customer", "alice@example.com")
        CentralForgetTests.deliver(try CentralForgetTests.ship(site, after: 1), to: central)
        #expect(central.drained())
        var left: [String] = []
        #expect(waitUntil(10) { left = CentralForgetTests.holding(central.directory.path, Self.herText + ["alice@example.com"]); return left.isEmpty },
                "still named in \(left)")
        #expect(try CentralForgetTests.roi(central) == figures)
    }

    @Test("forget at a central by the site's pseudonym removes her shipped line from NAME.1 too")
    func centralForgetReachesCopy() throws {
        let site = try CentralForgetTests.start("copy-pseudonym", site: "munich"), central = try CentralForgetTests.start("copy-pseudonym", site: "hq")
        defer { site.stop(); central.stop() }
        try Self.deliverFirstIncrementTwice(site, central)
        let pseudonym = try #require(try site.ctlJSON(ConversationDetail.self, "show", "1").customer)
        let figures = try CentralForgetTests.roi(central)

        let result = try central.ctlJSON(ForgetResult.self, "forget", "--customer", pseudonym)
        #expect(result.conversations == 1, "\(result)")
        let left = CentralForgetTests.holding(central.directory.path, Self.herText)
        #expect(left.isEmpty, "her text is still in \(left)")
        #expect(try CentralForgetTests.roi(central) == figures)
    }
}
