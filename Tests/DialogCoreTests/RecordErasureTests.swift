import DialogCore
import Foundation
import Testing

/// `forget`'s decision per record (docs/roi.md "Erasure"), on the real readers: the customer's
/// own record goes, another customer's record that mentions the identity stays blanked.
@Suite("RecordErasure")
struct RecordErasureTests {
    static let reader = RecordReader(settings: ParseSettings())
    static let forms = CustomerIdentity(mode: .pseudonymous, key: "k").storedForms("alice@example.com")
    static func erasure(_ identity: String? = "alice@example.com") -> RecordErasure {
        RecordErasure(reader: reader, mentions: identity.flatMap(IdentityMentions.init), isOwn: RecordErasure.owner(forms: forms, key: "k"))
    }

    static func rewritten(_ plan: RecordErasure.Plan) -> (text: String, counts: RecordErasure.Counts, keys: [RecordErasure.KeyChange])? {
        guard case .rewrite(let bytes, let counts, let keys) = plan else { return nil }
        return (String(decoding: bytes, as: UTF8.self), counts, keys)
    }

    @Test("a JSONL: her line (the Kunde alias) goes, bob's mention stays blanked with its new key")
    func jsonl() throws {
        let text = #"{"date":"2026-11-01T10:00:00Z","employee":"sara","Kunde":"Alice <ALICE@example.com>","text":"own"}"# + "\n"
            + #"{"date":"2026-11-01T10:00:00Z","employee":"sara","customer":"bob@example.com","text":"from alice@example.com."}"# + "\n"
            + #"{"date":"2026-11-01T10:00:00Z","employee":"sara","customer":"carol@example.com","text":"nothing"}"# + "\n"
        let out = try #require(Self.rewritten(Self.erasure().plan(Array(text.utf8), fileName: "t.jsonl")))
        #expect(out.counts.removed == 1 && out.counts.blanked == 1 && out.counts.dropped == 0)
        #expect(out.text == #"{"date":"2026-11-01T10:00:00Z","employee":"sara","customer":"bob@example.com","text":"from [forgotten]."}"# + "\n"
            + #"{"date":"2026-11-01T10:00:00Z","employee":"sara","customer":"carol@example.com","text":"nothing"}"# + "\n")
        #expect(out.keys.count == 1 && out.keys[0].old != out.keys[0].new && !out.keys[0].order)
    }

    @Test("blanking her in bob's line changes no other byte: an id written decomposed is not recomposed (a re-drop would be a second record)")
    func blankingKeepsOtherBytes() throws {
        let text = #"{"id":"e\#u{301}-7","date":"2026-11-01T10:00:00Z","employee":"sara","customer":"bob@example.com","text":"from alice@example.com."}"# + "\n"
            + #"{"date":"2026-11-01T10:00:00Z","employee":"sara","customer":"carol@example.com","text":"nothing"}"# + "\n"
        let out = try #require(Self.rewritten(Self.erasure().plan(Array(text.utf8), fileName: "t.jsonl")))
        #expect(!out.text.contains("alice@example.com"))
        // Either blanked with the id's bytes as written, or dropped from the copy: never "\u{E9}-7".
        #expect(!Array(out.text.utf8).split(separator: 0x22).contains { Array($0) == Array("\u{E9}-7".utf8) }, "\(out.text)")
        #expect(out.text.contains("nothing"))
    }

    @Test("given only the pseudonym: her record is found by it, mentions stay")
    func pseudonymOnly() throws {
        let pseudonym = Self.forms[0]
        let text = #"{"date":"2026-11-01T10:00:00Z","employee":"sara","customer":"\#(pseudonym)"}"# + "\n"
            + #"{"date":"2026-11-01T10:00:00Z","employee":"sara","customer":"bob@example.com","text":"alice@example.com"}"# + "\n"
        let out = try #require(Self.rewritten(Self.erasure(nil).plan(Array(text.utf8), fileName: "t.jsonl")))
        #expect(out.counts.removed == 1 && out.text.contains("bob@example.com") && out.text.contains("alice@example.com"))
    }

    @Test("a CSV with ;, CRLF and a quoted field over lines: her row goes, the other row is blanked in place")
    func csv() throws {
        let text = "sep=;\r\nDatum;Mitarbeiter;Kunde;Text\r\n2026-11-01T10:00:00Z;sara;alice@example.com;\"own\r\nmore\"\r\n"
            + "2026-11-01T10:00:00Z;sara;bob@example.com;\"von\r\nALICE@example.com!\"\r\n"
        let out = try #require(Self.rewritten(Self.erasure().plan(Array(text.utf8), fileName: "t.csv")))
        #expect(out.text == "sep=;\r\nDatum;Mitarbeiter;Kunde;Text\r\n2026-11-01T10:00:00Z;sara;bob@example.com;\"von\r\n[forgotten]!\"\r\n")
    }

    @Test("an orders export: the customer-number alias decides, a mention in product is blanked")
    func orders() throws {
        let text = "Kundennummer,Bestelldatum,Betrag,product\nalice@example.com,2026-11-01,10.00,x\ndora@example.com,2026-11-01,20.00,for alice@example.com\n"
        let out = try #require(Self.rewritten(Self.erasure().plan(Array(text.utf8), fileName: "erp.orders.csv")))
        #expect(out.text == "Kundennummer,Bestelldatum,Betrag,product\ndora@example.com,2026-11-01,20.00,for [forgotten]\n")
        #expect(out.keys.count == 1 && out.keys[0].order)
    }

    @Test("single-record files: hers is deleted, bob's .conv kept blanked; unblankable mentions never stay")
    func singleRecords() throws {
        let hers = "Date: 2026-11-01T10:00:00Z\nEmployee: sara\nKunde: alice@example.com\n\ntext\n"
        #expect(Self.erasure().plan(Array(hers.utf8), fileName: "a.conv") == .delete(reason: "no other customer's record left"))
        let bobs = "Date: 2026-11-01T10:00:00Z\nEmployee: sara\nCustomer: bob@example.com\n\nfrom alice@example.com\n"
        #expect(Self.rewritten(Self.erasure().plan(Array(bobs.utf8), fileName: "b.conv"))?.text == bobs.replacingOccurrences(of: "alice@example.com", with: "[forgotten]"))
        // A JSON escape hides the address from a byte scrub: the record is read, so it is not kept.
        let escaped = #"{"date":"2026-11-01T10:00:00Z","employee":"sara","customer":"bob@example.com","text":"alice\u0040example.com"}"#
        #expect(Self.erasure().plan(Array(escaped.utf8), fileName: "b.json") == .delete(reason: "a mention could not be blanked in place"))
        // In a field the store keeps as it is (the employee): not blankable to the store's content.
        let employee = #"{"date":"2026-11-01T10:00:00Z","employee":"alice@example.com","customer":"bob@example.com"}"#
        #expect(Self.erasure().plan(Array(employee.utf8), fileName: "b.json") == .delete(reason: "a mention could not be blanked in place"))
        #expect(Self.erasure().plan(Array(#"{"date":"2026-11-01T10:00:00Z","employee":"sara","customer":"bob@example.com"}"#.utf8), fileName: "c.json") == .untouched)
    }

    @Test("a JSON array: her element goes (also the first, with its comma), bob's is blanked; the rest stays as written")
    func jsonArray() throws {
        let text = "[\n  " + #"{"date":"2026-11-01T10:00:00Z","employee":"sara","customer":"alice@example.com","tags":["a,b]"]}"#
            + ",\n  " + #"{"date":"2026-11-01T10:00:00Z","employee":"sara","customer":"bob@example.com","text":"cc alice@example.com"}"#
            + ",\n  " + #"{"date":"2026-11-01T10:00:00Z","employee":"sara","customer":"carol@example.com"}"# + "\n]\n"
        let out = try #require(Self.rewritten(Self.erasure().plan(Array(text.utf8), fileName: "t.json")))
        #expect(out.text == "[\n  " + #"{"date":"2026-11-01T10:00:00Z","employee":"sara","customer":"bob@example.com","text":"cc [forgotten]"}"#
            + ",\n  " + #"{"date":"2026-11-01T10:00:00Z","employee":"sara","customer":"carol@example.com"}"# + "\n]\n", "\(out.text)")
        #expect(out.counts.removed == 1 && out.counts.blanked == 1 && out.counts.unsplit == 0)
        #expect((try? Self.reader.read(Array(out.text.utf8), fileName: "t.json"))?.records.count == 2)
    }

    /// Mail is read by its own parser (charsets, encodings): a mention in a plain body or a Cc
    /// is blanked in place; one in a base64 body is not in the bytes, so the mail is not kept.
    @Test("mail: her own mail goes; bob's mail that copies her is blanked; an encoded mention is never kept")
    func mail() throws {
        let erasure = RecordErasure(reader: RecordReader(settings: mailSettings()), mentions: IdentityMentions("alice@example.com"),
                                    isOwn: RecordErasure.owner(forms: Self.forms, key: "k"))
        let hers = crlf("From: Alice <alice@example.com>\nTo: john.doe@example.com\nDate: Sun, 1 Nov 2026 10:00:00 +0100\nSubject: Hi\n\nHello\n")
        #expect(erasure.plan(Array(hers.utf8), fileName: "a.eml") == .delete(reason: "no other customer's record left"))
        let bobs = crlf("From: bob@example.com\nTo: john.doe@example.com\nCc: alice@example.com\nDate: Sun, 1 Nov 2026 10:00:00 +0100\n"
            + "Subject: Fwd from alice@example.com\n\nforwarded a mail from alice@example.com\n")
        let out = try #require(Self.rewritten(erasure.plan(Array(bobs.utf8), fileName: "b.eml")))
        #expect(out.text == bobs.replacingOccurrences(of: "alice@example.com", with: "[forgotten]"), "\(out.text)")
        let encoded = crlf("From: bob@example.com\nTo: john.doe@example.com\nDate: Sun, 1 Nov 2026 10:00:00 +0100\nContent-Transfer-Encoding: base64\n\n"
            + Data("from alice@example.com".utf8).base64EncodedString() + "\n")
        #expect(erasure.plan(Array(encoded.utf8), fileName: "c.eml") == .delete(reason: "a mention could not be blanked in place"))
    }

    @Test("a refused row: hers (any cell is her) goes, one that mentions her is blanked, an escaped mention goes")
    func rejectsLines() throws {
        let e = Self.erasure()
        #expect(e.decide(rejectsLine: #"{"line":2,"reason":"x","raw":"X-1;ALICE@example.com;kaputt"}"#) == .remove)
        #expect(e.decide(rejectsLine: #"{"line":2,"reason":"x","raw":"{\"Kunde\":\"alice@example.com\",\"date\":\"no\"}"}"#) == .remove)
        #expect(e.decide(rejectsLine: #"{"line":3,"reason":"x","raw":"X-2;bob@example.com;via alice@example.com"}"#)
            == .blank(#"{"line":3,"reason":"x","raw":"X-2;bob@example.com;via [forgotten]"}"#))
        #expect(e.decide(rejectsLine: #"{"line":4,"reason":"x","raw":"X-3;bob@example.com;fine"}"#) == .keep)
        #expect(e.decide(rejectsLine: #"{"omitted":4}"#) == .keep)
    }

    /// A quarantined file was refused whole: no reader takes it, so its header values decide.
    @Test("a refused .conv: hers is deleted, bob's that mentions her is kept blanked (it may be retried)")
    func refusedWholeFiles() throws {
        let hers = "Date: nonsense\nEmployee: sara\nKunde: Alice@Example.com\n\nALICE-OWN\n"
        #expect(Self.erasure().plan(Array(hers.utf8), fileName: "a.conv") == .delete(reason: "no other customer's record left"))
        let bobs = "Date: nonsense\nEmployee: sara\nCustomer: bob@example.com\n\ncc alice@example.com\n"
        #expect(Self.rewritten(Self.erasure().plan(Array(bobs.utf8), fileName: "b.conv"))?.text == bobs.replacingOccurrences(of: "alice@example.com", with: "[forgotten]"))
    }

    /// The fast path: rows without the identity's bytes or a pseudonym are kept unread; a row
    /// keyed by her pseudonym (an export fed back) is still hers; a header naming her reads all.
    @Test("needles: unread rows stay as they are; her pseudonym is found; a header naming her reads every row")
    func needles() throws {
        var e = Self.erasure()
        e.needles = RecordErasure.needles(mentions: e.mentions, forms: Self.forms)
        let pseudonym = Self.forms[0]
        let text = #"{"date":"2026-11-01T10:00:00Z","employee":"sara","customer":"\#(pseudonym)"}"# + "\n"
            + #"{"date":"2026-11-01T10:00:00Z","employee":"sara","customer":"bob@example.com","text":"cc ALICE@example.com"}"# + "\n"
            + "not json at all\n"
        let out = try #require(Self.rewritten(e.plan(Array(text.utf8), fileName: "t.jsonl")))
        #expect(out.counts.removed == 1 && out.counts.blanked == 1 && out.text.hasSuffix("cc [forgotten]\"}\nnot json at all\n"), "\(out.text)")
        let csv = "date,employee,alice@example.com\n2026-11-01T10:00:00Z,sara,x\n"
        #expect(e.plan(Array(csv.utf8), fileName: "t.csv") == .delete(reason: "a mention could not be blanked in place"))
    }

    /// The byte scan's skip (newcomer5 F1): only a JSON escape that can stand for one of the
    /// identity's scalars, or mail, makes a piece be read; `\\u0040` is a backslash and text.
    @Test("mayEncode: \\u, and \\/ when the identity holds a slash, make a piece be read; \\n and an escaped backslash do not")
    func mayEncode() {
        func may(_ text: String, _ format: RecordFormat?, _ identity: String = "alice@example.com") -> Bool {
            RecordErasure.mayEncode(Array(text.utf8)[...], format: format, identity: identity)
        }
        #expect(may(#"{"text":"alice\u0040example.com"}"#, .jsonl) && may(#"["\u0061lice"]"#, .json))
        #expect(!may(#"{"text":"one\ntwo \"quoted\""}"#, .jsonl) && !may(#"{"text":"alice\\u0040example.com"}"#, .jsonl))
        #expect(may(#"{"text":"K\/2291"}"#, .jsonl, "K/2291") && !may(#"{"text":"K\/2291"}"#, .jsonl))
        #expect(may("Subject: plain", .eml) && may("From x", .mbox))
        #expect(!may(#"a;b\u0040"#, .csv) && !may(#"Text: \u0040"#, .conv) && !may(#"trailing \"#, .jsonl))
    }

    /// A Windows-1252 `.conv` (newcomer5 F2) is decoded as the reader decodes it, blanked, and written as UTF-8.
    @Test("a Windows-1252 .conv that mentions the identity is rewritten as UTF-8, not deleted")
    func windows1252Conv() throws {
        let conv = Array("Date: 2026-11-24 10:00\nEmployee: ben\nCustomer: erin@example.net\n\nGr".utf8) + [0xFC, 0xDF] + Array(" von alice@example.com\n".utf8)
        let plan = Self.erasure().plan(conv, fileName: "w.conv")
        let result = try #require(Self.rewritten(plan), "\(plan)")
        #expect(result.text.contains("Gr\u{FC}\u{DF} von [forgotten]") && result.counts.blanked == 1, "\(result.text)")
    }

    @Test("a line that is no JSON: hers (a token, an escaped mention, her pseudonym) goes; carol's stays; so do their rejects rows")
    func linesThatAreNoJSON() throws {
        let pseudonym = try #require(Self.forms.first(where: CustomerIdentity.isPseudonym))
        let lines = [#"{"date":"2026-11-01T10:00:00Z","employee":"sara","customer":"alice@example.com","text":"cut off"#,
                     #"{"date":"2026-11-01T10:00:00Z","employee":"sara","customer":alice@example.com,"text":"unquoted"}"#,
                     #"{"date":"2026-11-01T10:00:00Z","employee":"sara","customer":"bob@example.com","text":"cc alice\u0040example.com",}"#,
                     #"{"date":"2026-11-01T10:00:00Z","customer":"\#(pseudonym)","#,
                     #"{"date":"2026-11-01T10:00:00Z","employee":"sara","customer":"carol@example.com","text":"carol cut off"#]
        let out = try #require(Self.rewritten(Self.erasure().plan(Array((lines.joined(separator: "\n") + "\n").utf8), fileName: "t.jsonl")))
        #expect(out.counts.removed == 4 && out.counts.blanked == 0, "\(out.counts)")
        #expect(out.text == lines[4] + "\n")
        // Given only the pseudonym: her token is found by it, and the pseudonym in the bytes.
        let byPseudonym = try #require(Self.rewritten(Self.erasure(nil).plan(Array((lines.joined(separator: "\n") + "\n").utf8), fileName: "t.jsonl")))
        #expect(byPseudonym.counts.removed == 3 && byPseudonym.text == lines[2] + "\n" + lines[4] + "\n", "\(byPseudonym.text)")
        for (i, line) in lines.enumerated() {
            let row = #"{"line":1,"reason":"not JSON","raw":"# + String(decoding: try JSONEncoder().encode(line), as: UTF8.self) + "}"
            #expect(Self.erasure().decide(rejectsLine: row) == (i == 4 ? .keep : .remove), "\(row)")
        }
    }

    @Test("RowsByLine finds every refused row by the line the reader names it by: CSV with a sep= line, CRLF and a quoted field over lines, JSONL, a JSON array")
    func rowsByLine() throws {
        let files: [(name: String, text: String)] = [
            ("t.csv", "sep=;\r\ndate;employee;text;customer\r\n2026-11-01;sara;\"two\r\nlines\";bob@example.com\r\n"
                + "gestern;sara;refused one;alice@example.com\r\n2026-11-02;sara;fine;carol@example.com\r\ngestern;sara;\"refused\r\ntwo\";dave@example.com\r\n"),
            ("t.jsonl", #"{"date":"2026-11-01","employee":"sara","customer":"bob@example.com"}"# + "\n\n"
                + #"{"date":"gestern","employee":"sara","customer":"alice@example.com"}"# + "\n"),
            ("t.json", "[\n  {\"date\":\"2026-11-01\",\"employee\":\"sara\",\"customer\":\"bob@example.com\"},\n  {\"date\":\"gestern\",\n   \"employee\":\"sara\",\"customer\":\"alice@example.com\"}\n]\n"),
        ]
        for file in files {
            let bytes = Array(file.text.utf8)
            let parsed = try Self.reader.read(bytes, fileName: file.name)
            #expect(!parsed.rejects.isEmpty, "\(file.name)")
            let lines = Set(parsed.rejects.compactMap(\.rejection.line))
            let rows = RowsByLine(bytes, format: try #require(RecordFormat(fileName: file.name)), lines: lines).rows
            for reject in parsed.rejects {
                let row = rows[reject.rejection.line ?? -1] ?? ""
                #expect(row.hasPrefix(reject.raw.trimmingCharacters(in: .whitespacesAndNewlines)), "\(file.name) line \(reject.rejection.line ?? -1): \(row) / \(reject.raw)")
            }
        }
    }
}
