import DialogCore
import Foundation
import Testing

/// Issue 14, newcomer6 F4: a site ships increments to a central (docs/spool.md "Many sites"),
/// then forgets a customer. The central keeps every increment as received in `cur/`, and its
/// store is keyed by the site's pseudonym (the site's own secret): the site's erasure, and a
/// `forget` at the central, must reach every copy there — `cur/`, the store file and its WAL —
/// while the figures stay those of the site, and the customer stays recognisably forgotten.
/// Two real daemons, a site and a central, as /work/notes/s8/centralforget/central.sh runs them.
@Suite("privacy: forget reaches a central's shipped copies")
struct CentralForgetTests {
    /// Alice's own text and bob's mention of her address, as in newcomer6's central.sh.
    static let talks = [
        #"{"date":"\#(isoDate(-86_400))","employee":"ben","customer":"alice@example.com","department":"service","outcome":"resolved","duration":"20m","text":"own: Alice Smith, IBAN DE02 1203 0000 0000 2020 51"}"#,
        #"{"date":"\#(isoDate(-82_800))","employee":"ben","customer":"bob@example.org","department":"service","outcome":"resolved","duration":"10m","text":"bob: ask alice@example.com"}"#,
    ].joined(separator: "\n") + "\n"
    static let herText = ["alice smith", "de02 1203"]

    /// Files under `root` whose bytes (case-folded) hold one of `needles`: the spool's every
    /// area, the store file and its WAL, the log.
    static func holding(_ root: String, _ needles: [String]) -> [String] {
        let files = FileManager.default
        var found: [String] = []
        guard let walker = files.enumerator(atPath: root) else { return ["(unreadable) " + root] }
        for case let relative as String in walker {
            guard let data = files.contents(atPath: root + "/" + relative) else { continue }
            let text = String(decoding: data, as: UTF8.self).lowercased()
            if needles.contains(where: { text.contains($0) }) { found.append(relative) }
        }
        return found.sorted()
    }

    static func start(_ name: String, site: String) throws -> DaemonProcess {
        let dir = TestDirectory("central-forget-\(name)-\(site)")
        dir.makeDirectory("outbox")
        return try DaemonProcess(directory: dir, settings: ["site.id": site]).start()
    }

    /// Exports what changed after revision `after` into the site's outbox; the increment's path.
    static func ship(_ site: DaemonProcess, after: Int) throws -> String {
        let before = Set(site.directory.list("outbox"))
        let result = try site.ctl("export", "--format", "jsonl", "--after", String(after), "--outbox", site.directory.sub("outbox"))
        #expect(result.status == 0, "\(result.stderr)")
        let name = try #require(site.directory.list("outbox").first { !before.contains($0) && !$0.hasPrefix(".") })
        return site.directory.sub("outbox/" + name)
    }

    static func deliver(_ path: String, to central: DaemonProcess) {
        central.drop((path as NSString).lastPathComponent, Array(FileManager.default.contents(atPath: path) ?? Data()))
    }

    /// The figures by department and in total (the report's window and time of day left out).
    static func roi(_ daemon: DaemonProcess) throws -> String {
        let report = try daemon.ctlJSON(RoiReport.self, "roi", "--window", "all", "--by", "department")
        return "\(report.rows) \(report.total)"
    }

    static func status(_ daemon: DaemonProcess) -> StatusResult? { try? daemon.ctlJSON(StatusResult.self, "status") }

    static func customers(_ daemon: DaemonProcess) throws -> [String] {
        try ["1", "2"].map { try daemon.ctlJSON(ConversationDetail.self, "show", $0).customer ?? "" }.sorted()
    }

    /// The site stores both talks and ships them; the central takes the increment.
    static func firstIncrement(_ site: DaemonProcess, _ central: DaemonProcess) throws -> String {
        site.drop("t.jsonl", talks)
        #expect(site.drained())
        #expect(waitUntil(10) { status(site)?.conversations == 2 })
        let r1 = try ship(site, after: 0)
        deliver(r1, to: central)
        #expect(central.drained())
        #expect(waitUntil(10) { status(central)?.conversations == 2 })
        #expect(!holding(central.directory.path, herText).isEmpty, "the increment with her text is in the central's cur/")
        return r1
    }

    @Test("a site forgets and ships: the central keeps no copy of her text (cur/, store, WAL), her label stays the site's, figures unchanged")
    func siteForgetReachesCentral() throws {
        let site = try Self.start("follow", site: "munich"), central = try Self.start("follow", site: "hq")
        defer { site.stop(); central.stop() }
        _ = try Self.firstIncrement(site, central)
        let figures = try Self.roi(central)
        let siteFigures = try Self.roi(site)
        #expect(figures == siteFigures, "the central counts the site's figures")

        let forgotten = try site.ctlJSON(ForgetResult.self, "forget", "--customer", "alice@example.com")
        let label = try #require(forgotten.anonymousLabel)
        Self.deliver(try Self.ship(site, after: 1), to: central)
        #expect(central.drained())
        #expect(waitUntil(10) { Self.status(central)?.recordsUpdated == 2 })

        // Nothing under the central's directory names her: her text, her address (bob's old line).
        var left: [String] = []
        #expect(waitUntil(10) { left = Self.holding(central.directory.path, Self.herText + ["alice@example.com"]); return left.isEmpty },
                "still named in \(left)")
        #expect(central.directory.list("spool/cur").allSatisfy { !$0.contains("-r1-r1") }, "\(central.directory.list("spool/cur"))")
        // Recognisably forgotten, under the site's own label, not a new pseudonym.
        let customers = try Self.customers(central)
        #expect(customers.contains(label), "\(customers) should hold \(label)")
        #expect(try Self.roi(central) == figures)
        #expect(central.log.contains("shipped record(s) erased at their site"))
    }

    @Test("increments that overtake each other: the older one arriving after the forget leaves no line in cur/")
    func olderIncrementAfterTheForget() throws {
        let site = try Self.start("late", site: "munich"), central = try Self.start("late", site: "hq")
        defer { site.stop(); central.stop() }
        site.drop("t.jsonl", Self.talks)
        #expect(site.drained())
        #expect(waitUntil(10) { Self.status(site)?.conversations == 2 })
        let r1 = try Self.ship(site, after: 0)
        _ = try site.ctlJSON(ForgetResult.self, "forget", "--customer", "alice@example.com")
        let r2 = try Self.ship(site, after: 1)
        let figures = try Self.roi(site)
        Self.deliver(r2, to: central)
        #expect(central.drained())
        #expect(waitUntil(10) { Self.status(central)?.conversations == 2 })
        Self.deliver(r1, to: central)
        #expect(central.drained())
        #expect(waitUntil(10) { Self.status(central)?.recordsOutdated == 2 })
        var left: [String] = []
        #expect(waitUntil(10) { left = Self.holding(central.directory.path, Self.herText + ["alice@example.com"]); return left.isEmpty },
                "still named in \(left)")
        #expect(try Self.roi(central) == figures)
    }

    /// The site never forgot (or its increment has not come yet), and its record of her changed
    /// once since (a relabel): two increments in `cur/` hold her text, only the newer is the
    /// stored row's source. The central knows her only by the site's pseudonym.
    @Test("forget at the central by the site's pseudonym removes every shipped revision of her records from cur/")
    func centralForgetBySitePseudonym() throws {
        let site = try Self.start("bypseudonym", site: "munich"), central = try Self.start("bypseudonym", site: "hq")
        defer { site.stop(); central.stop() }
        let r1 = try Self.firstIncrement(site, central)
        let firstLine = try #require(String(decoding: FileManager.default.contents(atPath: r1) ?? Data(), as: UTF8.self).split(separator: "\n").first)
        let pseudonym = try #require(try site.ctlJSON(ConversationDetail.self, "show", "1").customer)
        #expect(firstLine.contains(pseudonym) && CustomerIdentity.isPseudonym(pseudonym))
        #expect(try site.ctl("relabel", "1", "--outcome", "escalated").status == 0)
        Self.deliver(try Self.ship(site, after: 1), to: central)
        #expect(central.drained())
        #expect(waitUntil(10) { Self.status(central)?.recordsUpdated == 1 })
        let figures = try Self.roi(central)

        let result = try central.ctlJSON(ForgetResult.self, "forget", "--customer", pseudonym)
        #expect(result.conversations == 1 && result.texts == 1, "\(result)")
        let left = Self.holding(central.directory.path, Self.herText)
        #expect(left.isEmpty, "her text is still in \(left)")
        // Bob's line stays: the central cannot tell from a pseudonym whom his text names.
        #expect(Self.holding(central.directory.path + "/spool/cur", ["bob: ask"]).count == 1)
        #expect(try Self.roi(central) == figures)
    }
    /// A copy kept from before the central followed its sites' erasures (or an archive put back):
    /// the label the site's `forget` gave is what the central knows her by now.
    @Test("forget at the central with the site's forgotten- label removes an older copy kept in cur/ and keeps the label")
    func centralForgetByLabel() throws {
        let site = try Self.start("bylabel", site: "munich"), central = try Self.start("bylabel", site: "hq")
        defer { site.stop(); central.stop() }
        let r1 = try Self.firstIncrement(site, central)
        let label = try #require(try site.ctlJSON(ForgetResult.self, "forget", "--customer", "alice@example.com").anonymousLabel)
        Self.deliver(try Self.ship(site, after: 1), to: central)
        #expect(central.drained())
        #expect(waitUntil(10) { Self.status(central)?.recordsUpdated == 2 && Self.holding(central.directory.path, Self.herText).isEmpty })
        let figures = try Self.roi(central)
        central.directory.write("spool/cur/munich-r1-r1.jsonl", Array(FileManager.default.contents(atPath: r1) ?? Data()))
        #expect(Self.holding(central.directory.path, Self.herText) == ["spool/cur/munich-r1-r1.jsonl"])

        let result = try central.ctlJSON(ForgetResult.self, "forget", "--customer", label)
        #expect(result.anonymousLabel == label && result.conversations == 1, "\(result)")
        let left = Self.holding(central.directory.path, Self.herText)
        #expect(left.isEmpty, "her text is still in \(left)")
        #expect(try Self.customers(central).contains(label))
        #expect(try Self.roi(central) == figures)
    }
}
