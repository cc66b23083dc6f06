import DialogCore
import Foundation
import Testing

/// What a central does with a site's erasure (docs/spool.md "A site's erasure at the central"):
/// which revision erased something, and which shipped lines of a file are older copies of it.
@Suite("ShippedErasure")
struct ShippedErasureTests {
    static let reader = RecordReader(settings: ParseSettings())
    static let key = "sha256:" + String(repeating: "ab", count: 32)

    static func line(customer: String, text: String?, revision: Int, site: String = "munich", key: String = key) -> String {
        let text = text.map { #","text":"\#($0)""# } ?? ""
        return #"{"date":"2026-11-20T10:00:00Z","employee":"ben","customer":"\#(customer)","outcome":"resolved"\#(text),"dialogd":{"site":"\#(site)","revision":\#(revision),"key":"\#(key)"}}"#
    }

    static func record(customer: String?, text: String?) -> ConversationRecord {
        var r = ConversationRecord(date: 0, employee: "ben")
        r.customer = customer
        r.text = text
        return r
    }

    @Test("a revision erases: the customer became a forget label, a text went, a mention became [forgotten]; a relabel does not")
    func erases() {
        let hers = Self.record(customer: "cus-50b3f3f8aa5571fb", text: "Alice Smith, IBAN DE02")
        #expect(ShippedErasure.erases(before: hers, after: Self.record(customer: "forgotten-11898b11ffc1e094", text: nil)))
        #expect(ShippedErasure.erases(before: hers, after: Self.record(customer: "cus-50b3f3f8aa5571fb", text: nil)), "text_days at the site")
        #expect(ShippedErasure.erases(before: Self.record(customer: "cus-1d125bc6b270c416", text: "ask alice@example.com"),
                                      after: Self.record(customer: "cus-1d125bc6b270c416", text: "ask [forgotten]")))
        #expect(!ShippedErasure.erases(before: hers, after: hers), "a relabel or a recompute: same texts")
        #expect(!ShippedErasure.erases(before: Self.record(customer: "cus-1d125bc6b270c416", text: "[forgotten] typed by a writer"),
                                       after: Self.record(customer: "cus-1d125bc6b270c416", text: "[forgotten] typed by a writer, amended")))
        let forgotten = Self.record(customer: "forgotten-11898b11ffc1e094", text: nil)
        #expect(!ShippedErasure.erases(before: forgotten, after: forgotten), "a later revision of a forgotten record")
    }

    @Test("keys are bytes: erasing a site's id:\u{E9} leaves the lines of its id:e\u{301}, another record")
    func keysAreBytes() throws {
        var erasure = ShippedErasure()
        erasure.add(site: "munich", key: "id:\u{E9}", below: .max)
        func line(_ id: String) -> String {
            #"{"id":"\#(id)","date":"2026-11-20T10:00:00Z","employee":"ben","outcome":"resolved","dialogd":{"site":"munich","revision":1,"key":"id:\#(id)"}}"#
        }
        let parsed = try Self.reader.read(Array((line("\u{E9}") + "\n" + line("e\u{301}") + "\n").utf8), fileName: "munich-r1-r1.jsonl").records
        #expect(parsed.map(erasure.contains) == [true, false])
        #expect(erasure.mayHold(Array(line("\u{E9}").utf8)[...]) && !erasure.mayHold(Array(line("e\u{301}").utf8)[...]))
    }

    @Test("the lines that go: same site and key, a lower revision; the erasing revision, later ones and other sites' stay")
    func lines() throws {
        var erasure = ShippedErasure()
        erasure.add(site: "munich", key: "site:munich/" + Self.key, below: 2)
        let text = [Self.line(customer: "cus-50b3f3f8aa5571fb", text: "Alice Smith", revision: 1),
                    Self.line(customer: "forgotten-11898b11ffc1e094", text: nil, revision: 2),
                    Self.line(customer: "cus-50b3f3f8aa5571fb", text: "Alice Smith", revision: 1, site: "berlin"),
                    Self.line(customer: "cus-1d125bc6b270c416", text: "bob", revision: 1, key: "sha256:" + String(repeating: "cd", count: 32))]
        let parsed = try Self.reader.read(Array((text.joined(separator: "\n") + "\n").utf8), fileName: "munich-r1-r2.jsonl").records
        #expect(parsed.map(erasure.contains) == [true, false, false, false])
        #expect(text.map { erasure.mayHold(Array($0.utf8)[...]) } == [true, true, true, false], "a byte scan by key, sites not told apart")
        #expect(!erasure.mayHold(Array(#"{"text":"\"key\":\"\#(Self.key)\""}"#.utf8)[...]), "a key quoted in a text is escaped")

        var records = RecordErasure(reader: Self.reader, mentions: nil, isOwn: { _ in false })
        records.shippedErasure = erasure
        guard case .rewrite(let bytes, let counts, _) = records.plan(Array((text.joined(separator: "\n") + "\n").utf8), fileName: "munich-r1-r2.jsonl") else {
            Issue.record("expected the file rewritten")
            return
        }
        #expect(counts.removed == 1)
        #expect(String(decoding: bytes, as: UTF8.self) == text.dropFirst().joined(separator: "\n") + "\n")
        #expect(records.plan(Array((text[0] + "\n").utf8), fileName: "munich-r1-r1.jsonl") == .delete(reason: "every record in it was an erased revision"))
    }

    @Test("a forget label shipped by a site is stored as it is, as a pseudonym is; forget given one looks for it alone")
    func forgottenLabelKept() {
        let identity = CustomerIdentity(mode: .pseudonymous, key: "central")
        #expect(identity.stored("forgotten-11898b11ffc1e094") == "forgotten-11898b11ffc1e094")
        #expect(identity.stored("cus-50b3f3f8aa5571fb") == "cus-50b3f3f8aa5571fb")
        #expect(identity.storedForms("forgotten-11898b11ffc1e094") == ["forgotten-11898b11ffc1e094"])
        #expect(CustomerIdentity.isPseudonym(identity.stored("forgotten-1189") ?? ""), "not a label: hashed as any identity")
    }

    @Test("a refused line is read as far as it goes: cut off, its revision no integer (it goes), another key (it stays)")
    func refusedLinesThatAreNoJSON() {
        var erasure = ShippedErasure()
        erasure.add(site: "munich", key: Self.key, below: 2)
        let line = Self.line(customer: "cus-50b3f3f8aa5571fb", text: "Alice Smith", revision: 1)
        let cut = Array(line.utf8.dropLast(2))[...]
        #expect(ShippedErasure.copy(refusedLine: cut)?.revision == 1)
        #expect(erasure.contains(refusedLine: cut))
        let broken = Array(line.replacingOccurrences(of: #""revision":1"#, with: #""revision":"x""#).utf8)[...]
        #expect(ShippedErasure.copy(refusedLine: broken).map { $0.revision == nil && $0.site == "munich" } == true)
        #expect(erasure.contains(refusedLine: broken))
        let other = Array(Self.line(customer: "cus-1d125bc6b270c416", text: "other", revision: 1, key: "id:7").utf8.dropLast(2))[...]
        #expect(!erasure.contains(refusedLine: other))
    }
}
