import DialogCore
import Foundation
import Testing

/// Issue 14, outside check newcomer8 F7a: a central refused one of a site's shipped lines (a bad
/// date cell), so it never stored it, but kept the line in `cur/NAME`, in a second copy
/// `cur/NAME.1` and in `quarantine/NAME.rejects.jsonl`, with the site's key, her pseudonym and
/// her text. Both ways her erasure reaches a central — `forget` there by the site's pseudonym,
/// and the site's own `forget` arriving in its next increment — must remove those lines too,
/// and leave other customers' lines (stored or refused) where they are.
/// Two real daemons, a site and a central, as `CentralForgetTests` runs them.
@Suite("privacy: forget reaches a central's refused shipped lines")
struct ForgetRefusedShippedTests {
    /// Alice's own text; carol's line is stored at the central, dave's refused there like alice's.
    static let talks = [
        #"{"date":"\#(isoDate(-86_400))","employee":"ben","customer":"alice@example.com","department":"service","outcome":"resolved","duration":"20m","text":"own: Alice Smith, IBAN DE02 1203 0000 0000 2020 51"}"#,
        #"{"date":"\#(isoDate(-82_800))","employee":"ben","customer":"carol@example.org","department":"service","outcome":"resolved","duration":"10m","text":"carol-stays-stored"}"#,
        #"{"date":"\#(isoDate(-80_000))","employee":"ben","customer":"dave@example.net","department":"sales","outcome":"lost","duration":"5m","text":"dave-stays-refused"}"#,
    ].joined(separator: "\n") + "\n"
    static let herText = ["alice smith", "de02 1203"]
    static let name = "munich-r1-r1.jsonl"

    /// The increment with alice's and dave's lines made unacceptable to the central: their
    /// date cell says `kaputt` (the site stored them with a good date).
    static func spoiled(_ increment: String) -> String {
        let lines = increment.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard line.contains("own: Alice") || line.contains("dave-stays"), let start = line.range(of: #""date":""#),
                  let end = line[start.upperBound...].firstIndex(of: "\"") else { return String(line) }
            return line[..<start.upperBound] + "kaputt" + line[end...]
        }
        return lines.joined(separator: "\n")
    }

    /// A site, munich, and its central, hq, each with a spool, a store and a socket of its own.
    static func daemons(_ name: String) throws -> (site: DaemonProcess, central: DaemonProcess) {
        (try CentralForgetTests.start(name, site: "munich"), try CentralForgetTests.start(name, site: "hq"))
    }

    /// The site stores the talks and ships the increment, spoiled.
    static func spoiledIncrement(_ site: DaemonProcess) throws -> String {
        site.drop("t.jsonl", talks)
        #expect(site.drained())
        #expect(waitUntil(10) { CentralForgetTests.status(site)?.conversations == 3 })
        let r1 = try CentralForgetTests.ship(site, after: 0)
        return spoiled(String(decoding: FileManager.default.contents(atPath: r1) ?? Data(), as: UTF8.self))
    }

    /// The site stores the talks and ships them; the central gets the spoiled increment twice
    /// (`cur/NAME`, `cur/NAME.1`): carol stored, alice and dave refused. Returns her site pseudonym.
    static func refusedAtCentral(_ site: DaemonProcess, _ central: DaemonProcess) throws -> String {
        let increment = try spoiledIncrement(site)
        let pseudonym = try #require(try site.ctlJSON(ConversationDetail.self, "show", "1").customer)
        #expect(CustomerIdentity.isPseudonym(pseudonym) && increment.contains(pseudonym))
        for copies in 1...2 {
            central.drop(name, increment)
            #expect(central.drained())
            #expect(waitUntil(10) { central.directory.list("spool/cur").count == copies })
        }
        #expect(waitUntil(10) { CentralForgetTests.status(central)?.conversations == 1 })
        #expect(central.directory.list("spool/cur").sorted() == [name, name + ".1"])
        let rejects = central.directory.read("spool/quarantine/\(name).rejects.jsonl") ?? ""
        #expect(rejects.contains("Alice Smith") && rejects.contains("dave-stays-refused"), "\(rejects)")
        return pseudonym
    }

    /// Nothing of her in the central's spool (every file, every area) nor in its store and WAL,
    /// while carol's stored line and dave's refused line stay in each file that held them.
    static func expectOnlyOthersLeft(_ central: DaemonProcess, pseudonym: String) {
        let spoolLeft = CentralForgetTests.holding(central.spool, herText + [pseudonym.lowercased(), "alice@example.com"])
        #expect(spoolLeft.isEmpty, "still in the central's spool: \(spoolLeft)")
        let store = [central.databasePath, central.databasePath + "-wal"].compactMap { FileManager.default.contents(atPath: $0) }
            .map { String(decoding: $0, as: UTF8.self).lowercased() }.joined()
        #expect(!herText.contains(where: store.contains) && !store.contains(pseudonym.lowercased()))
        for copy in [name, name + ".1"] {
            let text = central.directory.read("spool/cur/" + copy) ?? ""
            #expect(text.contains("carol-stays-stored") && text.contains("dave-stays-refused"), "cur/\(copy): \(text)")
        }
        let rejects = central.directory.read("spool/quarantine/\(name).rejects.jsonl") ?? ""
        #expect(rejects.contains("dave-stays-refused") && rejects.split(separator: "\n").count == 1, "\(rejects)")
    }

    @Test("forget at the central by the site's pseudonym removes her refused line from cur/NAME, cur/NAME.1 and the rejects file")
    func centralForgetRemovesRefusedLines() throws {
        let (site, central) = try Self.daemons("refused-pseudonym")
        defer { site.stop(); central.stop() }
        let pseudonym = try Self.refusedAtCentral(site, central)
        let figures = try CentralForgetTests.roi(central)

        let result = try central.ctlJSON(ForgetResult.self, "forget", "--customer", pseudonym)
        #expect(result.conversations == 0 && result.anonymousLabel == nil, "the central never stored her: \(result)")
        #expect(Set(result.rewritten ?? []) == ["cur/\(Self.name)", "cur/\(Self.name).1", "quarantine/\(Self.name).rejects.jsonl"], "\(result)")
        Self.expectOnlyOthersLeft(central, pseudonym: pseudonym)
        #expect(try CentralForgetTests.roi(central) == figures)
        #expect(!central.log.contains(pseudonym))
    }

    @Test("the site's erasure arriving in its next increment removes her refused line from cur/NAME, cur/NAME.1 and the rejects file")
    func siteErasureRemovesRefusedLines() throws {
        let (site, central) = try Self.daemons("refused-site")
        defer { site.stop(); central.stop() }
        let pseudonym = try Self.refusedAtCentral(site, central)

        let label = try #require(try site.ctlJSON(ForgetResult.self, "forget", "--customer", "alice@example.com").anonymousLabel)
        CentralForgetTests.deliver(try CentralForgetTests.ship(site, after: 1), to: central)
        #expect(central.drained())
        // Her erased revision is stored (the central never had her first one): counted, under the site's label.
        #expect(waitUntil(10) { CentralForgetTests.status(central)?.conversations == 2 })
        #expect(try CentralForgetTests.customers(central).contains(label))
        var left: [String] = []
        #expect(waitUntil(10) { left = CentralForgetTests.holding(central.spool, Self.herText); return left.isEmpty }, "still in \(left)")
        Self.expectOnlyOthersLeft(central, pseudonym: pseudonym)
        #expect(central.log.contains("shipped record(s) erased at their site"))
    }

    /// Increments overtake each other: her erased revision is stored first, then the older
    /// increment arrives (twice) with her line refused. The store never sees that line, so the
    /// stored erased copy, found by the line's site and key, is what sends it out of the spool.
    @Test("her refused older line arriving after the site's erasure leaves cur/ and the rejects file too")
    func refusedLineAfterTheErasure() throws {
        let (site, central) = try Self.daemons("refused-late")
        defer { site.stop(); central.stop() }
        let increment = try Self.spoiledIncrement(site)
        let pseudonym = try #require(try site.ctlJSON(ConversationDetail.self, "show", "1").customer)
        _ = try site.ctlJSON(ForgetResult.self, "forget", "--customer", "alice@example.com")
        CentralForgetTests.deliver(try CentralForgetTests.ship(site, after: 1), to: central)
        #expect(central.drained())
        #expect(waitUntil(10) { CentralForgetTests.status(central)?.conversations == 1 })
        for copies in 1...2 {
            central.drop(Self.name, increment)
            #expect(central.drained())
            #expect(waitUntil(10) { central.directory.list("spool/cur").filter { $0.hasPrefix(Self.name) }.count == copies })
        }
        #expect(waitUntil(10) { CentralForgetTests.status(central)?.conversations == 2 })
        var left: [String] = []
        #expect(waitUntil(10) { left = CentralForgetTests.holding(central.spool, Self.herText); return left.isEmpty }, "still in \(left)")
        Self.expectOnlyOthersLeft(central, pseudonym: pseudonym)
    }
}
