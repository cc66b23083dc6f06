import DialogCore
import DialogStore
import Foundation
import Testing

/// `[privacy] customers` (issue 14) through the real daemon, spool and SQLite file: by default
/// the store never holds who a customer is, and differently written forms of one customer match.
@Suite("privacy: customers pseudonymous by default")
struct CustomerPrivacyTests {
    static func record(_ customer: String, _ offset: Int, id: String) -> String {
        #"{"id":"\#(id)","date":"\#(isoDate(offset))","employee":"sara.lee","department":"sales","outcome":"lead","customer":\#(JSONValue.quote(customer)),"text":"Angebot"}"#
    }

    /// The customer of every stored conversation, by external id, through `show`.
    static func customers(_ daemon: DaemonProcess) throws -> [String: String?] {
        var out: [String: String?] = [:]
        for summary in try daemon.ctlJSON(ListResult.self, "list").conversations {
            let detail = try daemon.ctlJSON(ConversationDetail.self, "show", String(summary.id))
            out[detail.externalId ?? ""] = detail.customer
        }
        return out
    }

    /// Every byte SQLite holds for the store (the file and its WAL).
    static func storeBytes(_ daemon: DaemonProcess) -> String {
        [daemon.databasePath, daemon.databasePath + "-wal"].compactMap { FileManager.default.contents(atPath: $0) }
            .map { String(decoding: $0, as: UTF8.self) }.joined()
    }

    @Test("differently written addresses match on one pseudonym; the address is nowhere in the store or an export")
    func pseudonymousDefault() throws {
        let dir = TestDirectory("customers-pseudonymous")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        let lines = [Self.record("Anna.Schmidt@Example.com", -7200, id: "a"), Self.record("  anna.schmidt@example.COM ", -3600, id: "b"),
                     Self.record("@anna", -1800, id: "c")]
        daemon.drop("leads.jsonl", lines.joined(separator: "\n") + "\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 3 })
        let customers = try Self.customers(daemon)
        let a = try #require(customers["a"] ?? nil), b = try #require(customers["b"] ?? nil), c = try #require(customers["c"] ?? nil)
        #expect(a == b, "one customer, two spellings")
        #expect(a != c)
        #expect(CustomerIdentity.isPseudonym(a) && CustomerIdentity.isPseudonym(c), "\(a) \(c)")
        let export = try daemon.ctl("export", "--format", "jsonl")
        #expect(export.status == 0 && export.stdout.contains(a) && !export.stdout.lowercased().contains("anna.schmidt"), "\(export.stdout)")
        #expect(daemon.stop() == 0)
        let bytes = Self.storeBytes(daemon).lowercased()
        #expect(!bytes.contains("anna.schmidt") && !bytes.contains("@anna"), "the store holds the identity")
    }

    @Test("named keeps the normalised identity")
    func named() throws {
        let daemon = try DaemonProcess(directory: TestDirectory("customers-named"), settings: ["privacy.customers": "named"]).start()
        defer { daemon.stop() }
        daemon.drop("leads.jsonl", [Self.record(" Anna.Schmidt@Example.com", -3600, id: "a"), Self.record("@Anna", -1800, id: "c")]
            .joined(separator: "\n") + "\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 2 })
        let customers = try Self.customers(daemon)
        #expect(customers["a"] == "anna.schmidt@example.com" && customers["c"] == "@anna", "\(customers)")
    }

    @Test("a store from before pseudonyms is pseudonymized at start; a re-dropped file stays a duplicate")
    func existingStore() throws {
        let dir = TestDirectory("customers-upgrade")
        // The store below is opened for site "local" first; the daemon keeps that site, as an
        // upgraded daemon does (a changed [site] id would make new keys site-qualified, issue 19).
        let daemon = DaemonProcess(directory: dir, settings: ["site.id": "local"])
        try FileManager.default.createDirectory(atPath: dir.sub("lib"), withIntermediateDirectories: true)
        let old = Self.record("Old.Customer@Example.com", -7200, id: "old")
        do {
            // What an older dialogd stored: the customer as written, keyed by id.
            let store = try ConversationStore(path: daemon.databasePath)
            let parsed = try RecordReader(settings: ParseSettings()).read(Array((old + "\n").utf8), fileName: "old.jsonl")
            let record = try #require(parsed.records.first?.record)
            #expect(try store.insert(CountedRecord(record, labels: nil, valuation: store.valuation), key: RecordKey.make(for: record), sourceFile: "old.jsonl", line: 1, ingestedAt: 0))
            try store.close()
        }
        try daemon.start()
        defer { daemon.stop() }
        #expect(daemon.log.contains("1 stored customer(s) replaced by their pseudonym"), "\(daemon.log)")
        daemon.drop("new.jsonl", Self.record("old.customer@example.com", -3600, id: "new") + "\n")
        daemon.drop("old.jsonl", old + "\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 2 })
        #expect(dir.list("spool/quarantine").isEmpty, "the re-dropped file conflicted: \(dir.list("spool/quarantine"))")
        let customers = try Self.customers(daemon)
        let old1 = try #require(customers["old"] ?? nil)
        #expect(CustomerIdentity.isPseudonym(old1) && customers["new"] == old1, "\(customers)")
        // A second start reads one meta value and rewrites nothing.
        #expect(daemon.stop() == 0)
        try daemon.start()
        #expect(daemon.log.components(separatedBy: "replaced by their pseudonym").count == 2)
        #expect(!Self.storeBytes(daemon).lowercased().contains("old.customer"))
    }
}
