import DialogCore
import Foundation
import Testing

/// The spool side of `forget` (issue 14, the outside re-check's finding a; docs/roi.md
/// "Erasure"): a cur/ original is read record by record with the real readers. A record whose
/// customer is the forgotten one goes; another customer's record that only mentions the
/// identity stays, each mention blanked as `[forgotten]` — as the store does.
@Suite("privacy: forget on the spool tells the customer's own record from a mention")
struct ForgetSpoolRecordsTests {
    static let day = 86_400

    static func line(_ id: String?, _ customer: String, _ text: String, extra: String = "") -> String {
        let idPart = id.map { #""id":"\#($0)","# } ?? ""
        return #"{\#(idPart)"date":"\#(isoDate(-Self.day))","employee":"sara","department":"sales","outcome":"lead","customer":"\#(customer)","text":"\#(text)"\#(extra),"duration":"10m"}"#
    }

    /// Every byte of cur/ and quarantine/, lowercased.
    static func spoolBytes(_ dir: TestDirectory) -> String {
        ["spool/cur", "spool/quarantine"].flatMap { area in dir.list(area).map { area + "/" + $0 } }
            .compactMap { dir.read($0) }.joined(separator: "\n").lowercased()
    }

    @Test("own records go, other customers' mentions stay blanked, in every format; no byte of the identity is left")
    func ownAndMentions() throws {
        let dir = TestDirectory("forget-spool-records")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        // One JSONL with alice's own line (Kunde alias) and bob's line that forwards her mail (no ids: content keys).
        daemon.drop("mixed.jsonl", [
            #"{"date":"\#(isoDate(-Self.day))","employee":"sara","outcome":"lead","Kunde":"Alice@Example.com","text":"ALICE-OWN-1","duration":"10m"}"#,
            Self.line(nil, "bob@example.com", "forwarded a mail from alice@example.com, see (alice@example.com)."),
        ].joined(separator: "\n") + "\n")
        // A German CSV (;, CRLF) with a quoted text over two lines: alice's row and bob's mention in an extra field.
        daemon.drop("export.csv", "Datum;Mitarbeiter;Kunde;Ergebnis;Text;Empfohlen_von\r\n"
            + "\(isoDate(-Self.day));sara;alice@example.com;lead;\"ALICE-OWN-2\r\nzweite Zeile\";\r\n"
            + "\(isoDate(-Self.day));sara;carol@example.com;lead;\"Carol sagt:\r\nfrag Alice@Example.COM!\";ALICE@example.com\r\n")
        // Bob's single-record files that mention her: kept, blanked.
        daemon.drop("bob.conv", "Date: \(isoDate(-Self.day))\nEmployee: sara\nCustomer: bob@example.com\nOutcome: lead\n\n"
            + "Bob: I forwarded a mail from alice@example.com yesterday.\n")
        daemon.drop("bob.json", Self.line("b2", "bob@example.com", "cc alice@example.com"))
        // Alice's own .conv: deleted.
        daemon.drop("alice.conv", "Date: \(isoDate(-Self.day))\nEmployee: sara\nKunde: alice@example.com\nOutcome: lead\n\nALICE-OWN-3\n")
        // An orders export: her order goes, dora's order for a gift to her stays.
        daemon.drop("erp.orders.csv", "Auftragsnummer,Kundennummer,Bestelldatum,Betrag,product\n"
            + "A-1,alice@example.com,\(isoDate(-3600)),10.00,x\nA-2,dora@example.com,\(isoDate(-3600)),20.00,Gutschein für alice@example.com\n")
        // Refused rows in quarantine: alice's goes, bob's that mentions her stays blanked.
        daemon.drop("bad.jsonl", [Self.line(nil, "carol@example.com", "fine"),
                                  #"{"date":"nonsense","employee":"sara","customer":"bob@example.com","text":"cc alice@example.com"}"#,
                                  #"{"date":"nonsense","employee":"sara","Kunde":"alice@example.com","text":"ALICE-OWN-4"}"#].joined(separator: "\n") + "\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 8 },
                "\(dir.list("spool/quarantine").map { dir.read("spool/quarantine/" + $0) ?? "" })")

        let result = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", "alice@example.com")
        #expect(result.conversations == 3 && result.orders == 1, "\(result)")
        #expect(Set(result.files) == ["cur/alice.conv"], "\(result)")
        #expect(Set(result.rewritten ?? []) == ["cur/mixed.jsonl", "cur/export.csv", "cur/bob.conv", "cur/bob.json", "cur/erp.orders.csv",
                                                "cur/bad.jsonl", "quarantine/bad.jsonl.rejects.jsonl"], "\(result)")
        // The original keeps carol's record and bob's refused line, blanked the same way.
        let bad = dir.read("spool/cur/bad.jsonl") ?? ""
        #expect(bad.contains("\"fine\"") && bad.contains("cc [forgotten]") && !bad.contains("ALICE-OWN-4"), "\(bad)")
        let rejects = dir.read("spool/quarantine/bad.jsonl.rejects.jsonl") ?? ""
        #expect(rejects.contains("cc [forgotten]") && rejects.contains("bob@example.com") && !rejects.contains("ALICE-OWN-4"), "\(rejects)")
        #expect(rejects.split(separator: "\n").count == 1, "\(rejects)")

        let mixed = dir.read("spool/cur/mixed.jsonl") ?? ""
        #expect(!mixed.contains("ALICE-OWN-1") && mixed.contains("forwarded a mail from [forgotten], see ([forgotten])."), "\(mixed)")
        #expect(mixed.split(separator: "\n").count == 1, "\(mixed)")
        let csv = dir.read("spool/cur/export.csv") ?? ""
        #expect(csv.hasPrefix("Datum;Mitarbeiter;Kunde;") && !csv.contains("ALICE-OWN-2"), "\(csv)")
        #expect(csv.contains("carol@example.com;lead;\"Carol sagt:\r\nfrag [forgotten]!\";[forgotten]\r\n"), "\(csv)")
        let conv = dir.read("spool/cur/bob.conv") ?? ""
        #expect(conv.contains("Customer: bob@example.com") && conv.contains("forwarded a mail from [forgotten] yesterday."), "\(conv)")
        #expect((dir.read("spool/cur/bob.json") ?? "").contains("cc [forgotten]"))
        let orders = dir.read("spool/cur/erp.orders.csv") ?? ""
        #expect(!orders.contains("A-1,") && orders.contains("A-2,dora@example.com") && orders.contains("Gutschein für [forgotten]"), "\(orders)")
        #expect(!dir.list("spool/cur").contains("alice.conv"))
        let bytes = Self.spoolBytes(dir)
        #expect(!bytes.contains("alice@example.com") && !bytes.contains("alice-own"), "\(bytes)")
    }

    /// A rewritten original read again must not count bob twice: its records carry the store's
    /// blanked content, and forget gave the stored records the keys the rewritten ones have.
    @Test("a rewritten original dropped again is a duplicate: bob is not counted twice")
    func redropIsDuplicate() throws {
        let dir = TestDirectory("forget-spool-redrop")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        daemon.drop("mixed.jsonl", [Self.line(nil, "alice@example.com", "ALICE-OWN"),
                                    Self.line(nil, "bob@example.com", "forwarded a mail from alice@example.com")].joined(separator: "\n") + "\n")
        daemon.drop("bob.conv", "Date: \(isoDate(-Self.day))\nEmployee: sara\nCustomer: bob@example.com\nOutcome: lead\n\nfrom alice@example.com\n")
        daemon.drop("erp.orders.csv", "Kundennummer,Bestelldatum,Betrag,product\ndora@example.com,\(isoDate(-3600)),20.00,Gutschein für alice@example.com\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 3 })
        _ = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", "alice@example.com")
        let before = try ForgetTests.total(daemon)
        let mixed = try #require(dir.read("spool/cur/mixed.jsonl"))
        let conv = try #require(dir.read("spool/cur/bob.conv"))
        let orders = try #require(dir.read("spool/cur/erp.orders.csv"))
        daemon.drop("again.jsonl", mixed)
        daemon.drop("again.conv", conv)
        daemon.drop("again.orders.csv", orders)
        #expect(daemon.drained())
        #expect(waitUntil(10) { dir.list("spool/cur").contains("again.orders.csv") || dir.list("spool/quarantine").contains("again.orders.csv") })
        #expect(try daemon.ctlJSON(StatusResult.self, "status").conversations == 3)
        #expect(try ForgetTests.total(daemon) == before, "a re-drop of the rewritten originals changed the figures")
        #expect(!dir.list("spool/quarantine").contains { $0.hasPrefix("again") }, "\(dir.list("spool/quarantine"))")
    }

    /// Whole words on scalars: a combining mark right after the address belongs to the mention
    /// (NFC would make `…coḿ` of it and hide the address) and goes with it, in the store and the
    /// file alike; a letter after it makes another word. A handle before punctuation is a mention.
    @Test("a combining mark after the address goes with it; the handle before punctuation is a mention")
    func scalarsNotCharacters() throws {
        let dir = TestDirectory("forget-spool-scalars")
        let daemon = try DaemonProcess(directory: dir).start()
        defer { daemon.stop() }
        daemon.drop("bob.jsonl", Self.line("b1", "bob@example.com", "mark alice@example.com\u{301}, not alice@example.come\u{301}; ask @Alice_01.") + "\n")
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 1 })
        let first = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", "alice@example.com")
        #expect(first.rewritten == ["cur/bob.jsonl"] && first.files.isEmpty, "\(first)")
        let second = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", "@Alice_01")
        #expect(second.rewritten == ["cur/bob.jsonl"] && second.files.isEmpty, "\(second)")
        let expected = "mark [forgotten], not alice@example.come\u{301}; ask [forgotten]."
        let stored = try daemon.ctlJSON(ConversationDetail.self, "show", "b1").text ?? ""
        // Compared as UTF-8 bytes: Swift's String == would call decomposed and precomposed equal.
        #expect(Array(stored.utf8) == Array(expected.precomposedStringWithCanonicalMapping.utf8), "\(stored.unicodeScalars.map(\.value))")
        let file = dir.read("spool/cur/bob.jsonl") ?? ""
        let text = Array(#""text":""#.utf8) + Array(expected.precomposedStringWithCanonicalMapping.utf8) + Array(#"","duration""#.utf8)
        let bytes = Array(file.utf8)
        #expect(bytes.count >= text.count && (0...(bytes.count - text.count)).contains { bytes[$0..<($0 + text.count)].elementsEqual(text) }, "\(file)")
    }
}
