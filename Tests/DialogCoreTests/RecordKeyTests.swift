import Testing
@testable import DialogCore

@Suite struct RecordKeyTests {
    static func sample() -> ConversationRecord {
        ConversationRecord(
            date: 1_795_000_000, utcOffsetSeconds: 3600, employee: "anna.schmidt", channel: "xing",
            customer: "@kunde123", department: "sales", outcome: "lead", durationSeconds: 1500,
            valueCents: 120_000, currency: "EUR", satisfaction: 4, sentiment: "positive",
            responseTimeSeconds: 7200, subject: "Angebot", text: "Kunde fragt nach 40 Lizenzen.",
            tags: ["campaign-x", "b2b"], extras: ["crm": "48213", "region": "süd"]
        )
    }

    @Test func sameContentSameKey() {
        let a = Self.sample(), b = Self.sample()
        #expect(RecordKey.make(for: a) == RecordKey.make(for: b))
        #expect(RecordKey.make(for: a).hasPrefix("sha256:"))
        #expect(RecordKey.make(for: a).count == "sha256:".count + 64)
    }

    @Test func extrasOrderDoesNotMatter() {
        var a = Self.sample(), b = Self.sample()
        a.extras = [:]; b.extras = [:]
        for i in 0..<20 { a.extras["k\(i)"] = "v\(i)" }
        for i in (0..<20).reversed() { b.extras["k\(i)"] = "v\(i)" }
        #expect(RecordKey.make(for: a) == RecordKey.make(for: b))
    }

    @Test func idWins() {
        var record = Self.sample()
        record.id = "crm-48213"
        #expect(RecordKey.make(for: record) == "id:crm-48213")
        record.text = "changed"
        #expect(RecordKey.make(for: record) == "id:crm-48213")
    }

    /// Every single-field change must change the key.
    @Test func anyFieldChangeChangesKey() {
        let base = Self.sample()
        let mutations: [(String, (inout ConversationRecord) -> Void)] = [
            ("date", { $0.date += 1 }),
            ("utcOffset", { $0.utcOffsetSeconds = 0 }),
            ("employee", { $0.employee = "anna.schmidt2" }),
            ("channel", { $0.channel = "unknown" }),
            ("customer", { $0.customer = nil }),
            ("customer empty", { $0.customer = "" }),
            ("department", { $0.department = nil }),
            ("outcome", { $0.outcome = "won" }),
            ("duration", { $0.durationSeconds = 1501 }),
            ("value", { $0.valueCents = nil }),
            ("currency", { $0.currency = "USD" }),
            ("satisfaction", { $0.satisfaction = 5 }),
            ("sentiment", { $0.sentiment = "neutral" }),
            ("responseTime", { $0.responseTimeSeconds = nil }),
            ("subject", { $0.subject = "Angebot " }),
            ("text", { $0.text = "Kunde fragt nach 41 Lizenzen." }),
            ("tags order", { $0.tags = ["b2b", "campaign-x"] }),
            ("tags joined", { $0.tags = ["campaign-x,b2b"] }),
            ("tags empty", { $0.tags = [] }),
            ("extras value", { $0.extras["crm"] = "48214" }),
            ("extras added", { $0.extras["x"] = "" }),
            ("extras removed", { $0.extras["region"] = nil }),
        ]
        let baseKey = RecordKey.make(for: base)
        var seen: Set<String> = [baseKey]
        for (name, mutate) in mutations {
            var changed = base
            mutate(&changed)
            let key = RecordKey.make(for: changed)
            #expect(key != baseKey, "\(name)")
            seen.insert(key)
        }
        #expect(seen.count == mutations.count + 1, "every mutation yields a distinct key")
    }

    /// Moving bytes between adjacent fields must not collide (length prefixes).
    @Test func fieldBoundariesCannotCollide() {
        var a = Self.sample(), b = Self.sample()
        a.subject = "ab"; a.text = "c"
        b.subject = "a"; b.text = "bc"
        #expect(RecordKey.make(for: a) != RecordKey.make(for: b))
        var c = Self.sample(), d = Self.sample()
        c.extras = ["a": "b=1"]; d.extras = ["a=b": "1"]
        #expect(RecordKey.make(for: c) != RecordKey.make(for: d))
        var e = Self.sample(), f = Self.sample()
        e.subject = nil; f.subject = ""
        #expect(RecordKey.make(for: e) != RecordKey.make(for: f))
    }

    @Test func canonicalFormOfLongAndNonASCIIValuesIsStable() {
        // Lengths of several digits, UTF-8 lengths of non-ASCII text, extras sorted by folded key:
        // pins the bytes (and so every stored key) across changes to how they are written.
        let text = String(repeating: "x", count: 123)
        let record = ConversationRecord(date: -5, utcOffsetSeconds: 3600, employee: "Jürgen", channel: "email", customer: "c@example.com",
                                        department: "billing", outcome: nil, durationSeconds: 1234567, valueCents: 0,
                                        currency: "EUR", satisfaction: 5, subject: "Grüße", text: text,
                                        tags: ["a", "ßb"], extras: ["Z-Key": "z", "a_key": "Ä"])
        let expected = "dialogd-record-v1\nid-\ndate=2:-5\nutc_offset=4:3600\nemployee=7:Jürgen\nchannel=5:email\n"
            + "customer=13:c@example.com\ndepartment=7:billing\noutcome-\nduration=7:1234567\nvalue=1:0\ncurrency=3:EUR\n"
            + "satisfaction=1:5\nsentiment-\nresponse_time-\nsubject=7:Grüße\ntext=123:\(text)\ntags=1:2\ntag=1:a\ntag=3:ßb\n"
            + "extras=1:2\nextra_key=5:a_key\nextra_value=2:Ä\nextra_key=5:z_key\nextra_value=1:z\n"
        #expect(String(decoding: RecordCanonicalForm.bytes(of: record), as: UTF8.self) == expected)
    }

    @Test func canonicalFormIsStable() {
        // Pins the v1 layout: changing it would re-ingest every id-less record once.
        let record = ConversationRecord(date: 1, employee: "e", channel: "c", tags: ["t"])
        let text = String(decoding: RecordCanonicalForm.bytes(of: record), as: UTF8.self)
        #expect(text.hasPrefix("dialogd-record-v1\nid-\ndate=1:1\nutc_offset=1:0\nemployee=1:e\nchannel=1:c\n"))
        #expect(text.hasSuffix("tags=1:1\ntag=1:t\nextras=1:0\n"))
        #expect(RecordKey.make(for: record) == "sha256:" + SHA256.hex(text))
    }
}
