import DialogCore
import Foundation
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Issue 19, "many sites, one view": three site daemons and a central one, real binaries, real
/// spools and sockets. The sites use the same ids, their own rates, relabel and amend; their
/// increments (`export --cursor-file --outbox`) reach the central in random order and twice
/// over, and the central is SIGKILLed while it ingests. Its figures must equal the sum of the
/// sites' to the cent, and `--by site` each site's own.
@Suite("Many sites, one view")
struct ManySitesTests {
    static let sites = ["north", "south", "west"]
    /// Each site's own rate: the central keeps the prices a site exported.
    static let hourlyCost = ["north": "60.00", "south": "45.00", "west": "80.00", "hq": "10.00"]
    static let perSite = 40

    /// `perSite` records with the ids every site uses (`bar-0` …), content differing per site.
    static func records(_ site: String, seed: Int) -> String {
        let departments = ["sales", "service", "marketing"]
        let outcomes = ["won", "lead", "resolved", "lost"]
        var lines = ""
        for i in 0..<perSite {
            let n = i &* 7 &+ seed
            var fields = [
                "\"id\":\"bar-\(i)\"", "\"date\":\"\(isoDate(-(3600 * (i % 48) + 60 * seed)))\"",
                "\"employee\":\"\(site)-\(["anna", "bert", "cem"][n % 3])\"", "\"channel\":\"\(["email", "phone", "chat"][n % 3])\"",
                "\"duration\":\"\(5 + n % 50)m\"", "\"text\":\"Gespräch \(i) in \(site)\"",
            ]
            if i % 5 != 4 { fields.append("\"department\":\"\(departments[n % 3])\"") }
            if i % 4 != 3 { fields.append("\"outcome\":\"\(outcomes[n % 4])\"") }
            if i % 3 == 0 { fields.append("\"value\":\"\(100 + n).\(n % 100 < 10 ? "0" : "")\(n % 100) EUR\"") }
            lines += "{" + fields.joined(separator: ",") + "}\n"
        }
        return lines
    }

    static func roi(_ daemon: DaemonProcess, _ extra: String...) throws -> RoiReport {
        let result = try runDialogctl(["--socket", daemon.socketPath, "--json", "roi", "--window", "all"] + extra)
        guard result.status == 0 else { throw ClientError.failed("roi \(extra) exited \(result.status): \(result.stderr)") }
        return try JSONDecoder().decode(InCurrency<RoiReport>.self, from: Data(result.stdout.utf8)).value
    }

    /// The row id of the record with the writer's id `id` (`show` looks it up).
    static func rowID(_ daemon: DaemonProcess, _ id: String) throws -> String {
        let result = try daemon.ctl("--json", "show", id)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        guard let row = ((object?["summary"] as? [String: Any])?["id"] as? NSNumber)?.int64Value else { throw ClientError.failed("show \(id): \(result.stdout) \(result.stderr)") }
        return String(row)
    }

    /// One increment into the site's outbox; returns the status of `dialogctl export`.
    static func ship(_ daemon: DaemonProcess) throws -> CommandResult {
        try runDialogctl(["--socket", daemon.socketPath, "export", "--format", "jsonl",
                          "--cursor-file", daemon.directory.sub("ship/cursor"), "--outbox", daemon.directory.sub("outbox")])
    }

    @Test("three sites with colliding ids, relabels and amends, increments shipped shuffled and twice, a SIGKILLed central: its figures are the sites' sum to the cent")
    func centralEqualsSumOfSites() throws {
        var siteDaemons: [String: DaemonProcess] = [:]
        defer { siteDaemons.values.forEach { $0.stop() } }
        for site in Self.sites {
            let dir = TestDirectory("site-\(site)")
            dir.makeDirectory("outbox")
            dir.makeDirectory("ship")
            siteDaemons[site] = try DaemonProcess(directory: dir, settings: [
                "site.id": site, "valuation.default_hourly_cost": Self.hourlyCost[site]!, "privacy.employee_figures": "named",
            ]).start()
        }
        // Phase 1: every site stores its records and ships them.
        for (k, site) in Self.sites.enumerated() {
            let daemon = siteDaemons[site]!
            daemon.drop("day1.jsonl", Self.records(site, seed: k + 1))
            #expect(daemon.drained())
            #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == Self.perSite })
            let shipped = try Self.ship(daemon)
            #expect(shipped.status == 0 && shipped.stderr.contains("cursor "), "\(shipped.stderr)")
            let again = try Self.ship(daemon)
            #expect(again.status == 0 && again.stderr.contains("nothing changed"), "nothing new, no file: \(again.stderr)")
            // By hand: --after 0 is everything and prints the cursor, which is the store's revision.
            let revision = try #require(try daemon.ctlJSON(StatusResult.self, "status").revision)
            let all = try daemon.ctl("export", "--format", "jsonl", "--after", "0")
            #expect(all.stdout.split(separator: "\n").count == Self.perSite && all.stderr.contains("cursor \(revision)"), "\(all.stderr)")
            let none = try daemon.ctl("export", "--format", "jsonl", "--after", String(revision))
            #expect(none.stdout.isEmpty && none.stderr.contains("cursor \(revision)"), "\(none.stderr)")
        }
        // Phase 2: relabels and amends at the sites, a second increment each.
        for site in Self.sites {
            let daemon = siteDaemons[site]!
            for id in ["bar-1", "bar-2"] {
                let relabel = try daemon.ctl("relabel", try Self.rowID(daemon, id), "--outcome", "lost")
                #expect(relabel.status == 0, "\(relabel.stderr)")
            }
            daemon.drop("fix.conv", "Amends: bar-3\nDate: \(isoDate(-600))\nEmployee: \(site)-anna\nDepartment: sales\nOutcome: won\nChannel: phone\nDuration: 90m\nValue: 2.345,67 EUR\n\nKorrigiert.\n")
            #expect(daemon.drained())
            #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").recordsAmended) == 1 })
            #expect(try Self.ship(daemon).status == 0)
        }
        // Phase 3: a relabel of a record just amended, a third increment.
        for site in Self.sites {
            let daemon = siteDaemons[site]!
            #expect(try daemon.ctl("relabel", try Self.rowID(daemon, "bar-3"), "--department", "service").status == 0)
            #expect(try Self.ship(daemon).status == 0)
        }
        var increments: [String] = []
        for site in Self.sites {
            let dir = siteDaemons[site]!.directory
            let files = dir.list("outbox").filter { !$0.hasPrefix(".") }.sorted()
            #expect(files.count == 3, "\(site): \(files)")
            #expect(files.allSatisfy { $0.hasPrefix(site + "-r") && $0.hasSuffix(".jsonl") }, "\(files)")
            increments += files.map { dir.sub("outbox/" + $0) }
        }

        // The central: its own rates, files in random order and each twice, SIGKILLed mid-ingest.
        let central = try DaemonProcess(directory: TestDirectory("central"), settings: [
            "site.id": "hq", "valuation.default_hourly_cost": Self.hourlyCost["hq"]!, "privacy.employee_figures": "named",
        ]).start()
        defer { central.stop() }
        var deliveries = (increments + increments).enumerated().map { ($0.offset, $0.element) }
        var generator = SystemRandomNumberGenerator()
        deliveries.shuffle(using: &generator)
        let killAt = deliveries.count / 2
        for (k, (n, path)) in deliveries.enumerated() {
            if k == killAt {
                central.crash()
                try central.start()
            }
            central.drop("\(n)-" + (path as NSString).lastPathComponent, Array((try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()))
        }
        #expect(central.drained())
        #expect(waitUntil(10) { (try? central.ctlJSON(StatusResult.self, "status").conversations) == Self.sites.count * Self.perSite })
        let status = try central.ctlJSON(StatusResult.self, "status")
        #expect(status.recordsConflicting == 0 && status.recordsRejected == 0, "shipped copies never conflict: \(status)")
        #expect(central.directory.list("spool/quarantine").isEmpty, "\(central.directory.list("spool/quarantine"))")

        // The central's figures: the sum of the sites', to the cent; by site, each site's own.
        var sum = (conversations: Int64(0), cost: Int64(0), value: Int64(0), net: Int64(0))
        var own: [String: RoiFigures] = [:]
        for site in Self.sites {
            let total = try Self.roi(siteDaemons[site]!).total
            own[site] = total
            sum = (sum.conversations + total.conversations, sum.cost + total.costCents, sum.value + total.valueCents, sum.net + total.netCents)
        }
        let whole = try Self.roi(central).total
        #expect(whole.conversations == sum.conversations && whole.costCents == sum.cost)
        #expect(whole.valueCents == sum.value && whole.netCents == sum.net)
        let bySite = try Self.roi(central, "--by", "site").rows
        #expect(bySite.map(\.key) == Self.sites)
        for row in bySite {
            // Orders are counted on an unfiltered total only (issue 14), so a site's row has none.
            var expected = own[row.key]
            expected?.orders = nil
            expected?.ordersCents = nil
            expected?.unattributedCents = nil
            #expect(row.figures == expected, "\(row.key): central \(row.figures) vs site \(String(describing: own[row.key]))")
            // Traceable: the rows `list --site` shows add up to the same cents.
            let listed = try central.ctlJSON(ListResult.self, "list", "--site", row.key, "--limit", "1000").conversations
            #expect(Int64(listed.count) == row.figures.conversations)
            #expect(listed.reduce(0) { $0 + ($1.costCents ?? 0) } == row.figures.costCents)
            #expect(listed.reduce(0) { $0 + ($1.valueCentsCounted ?? 0) } == row.figures.valueCents)
            #expect(listed.allSatisfy { $0.site == row.key })
            // And the site's own breakdown survives the trip: its departments and outcomes as it counts them.
            for by in ["department", "outcome"] {
                #expect(try Self.roi(central, "--site", row.key, "--by", by).rows == (try Self.roi(siteDaemons[row.key]!, "--by", by).rows),
                        "\(row.key) by \(by)")
            }
        }
        // A shipped copy is relabelled at its site, not here.
        let refused = try central.ctl("relabel", try Self.rowID(central, "site:north/id:bar-5"), "--outcome", "won")
        #expect(refused.status != 0 && refused.stderr.contains("relabel it at north"), "\(refused.stderr)")

        // The pyramid and the report by site: the same rows.
        let pyramid = try runDialogctl(["--socket", central.socketPath, "--json", "pyramid", "--window", "all", "--by", "site"])
        let executive = try JSONDecoder().decode(InCurrency<Pyramid>.self, from: Data(pyramid.stdout.utf8)).value.executive
        #expect(executive.valueBySite == bySite, "\(pyramid.stderr)")
        let report = try central.ctl("report", "--window", "all", "--by", "site", "--lang", "en", "--out", "-")
        #expect(report.status == 0 && report.stdout.contains("Value against cost per site"), "\(report.stderr)")
        #expect(Self.sites.allSatisfy { report.stdout.contains(">\($0)<") })
        let north = try central.ctl("report", "--window", "all", "--site", "north", "--lang", "en", "--out", "-")
        #expect(north.status == 0 && north.stdout.contains("site = north"), "the report names its site filter: \(north.stderr)")
        // list and export by site: each site's rows together, in site order.
        let listed = try central.ctlJSON(ListResult.self, "list", "--by", "site", "--limit", "1000").conversations.compactMap(\.site)
        #expect(listed == listed.sorted() && Set(listed) == Set(Self.sites))
        let csv = try central.ctl("export", "--window", "all", "--by", "site", "--format", "jsonl", "--page-size", "7")
        let exportedSites = csv.stdout.split(separator: "\n").compactMap { line -> String? in
            guard let range = line.range(of: "\"site\":\"") else { return nil }
            return String(line[range.upperBound...].prefix { $0 != "\"" })
        }
        #expect(exportedSites.count == Self.sites.count * Self.perSite && exportedSites == exportedSites.sorted(), "\(csv.stderr)")

        // The amended and relabelled records arrived as the sites have them now, whatever the order.
        for site in Self.sites {
            let listed = try central.ctlJSON(ListResult.self, "list", "--site", site, "--limit", "1000").conversations
            let fixed = listed.first { $0.key == "site:\(site)/id:bar-3" }
            #expect(fixed?.departmentCounted == "service" && fixed?.valueCentsCounted == 234_567, "\(site): \(String(describing: fixed))")
            #expect(listed.filter { ["bar-1", "bar-2"].contains($0.key.split(separator: ":").last.map(String.init) ?? "") }
                .allSatisfy { $0.outcomeCounted == "lost" })
        }
    }
}
