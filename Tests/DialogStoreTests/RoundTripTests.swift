import DialogCore
import Testing
@testable import DialogStore

/// Every field must come back exactly as it went in: nil stays nil, "" stays "".
@Suite struct RoundTripTests {
    static let records: [ConversationRecord] = [
        fullRecord(),
        // Only the required fields: every optional is nil, lists are empty.
        ConversationRecord(date: 0, employee: "e"),
        // Empty strings where nil is possible, and extreme numbers.
        ConversationRecord(
            id: "", date: Int64.min, utcOffsetSeconds: Int32.min, employee: "", channel: "", customer: "",
            department: "", outcome: "", durationSeconds: Int64.max, valueCents: Int64.min, currency: "",
            satisfaction: Int.max, sentiment: "", responseTimeSeconds: 0, subject: "", text: "",
            tags: [""], extras: ["": ""]),
        // Unicode, emoji, an embedded NUL, control characters and JSON-hostile extras.
        ConversationRecord(
            id: "crm-😀-\u{0}-x", date: 1_795_000_000, utcOffsetSeconds: -12_600, employee: "jürgen.weiß",
            channel: "whatsapp", customer: "@kunde\u{0}123", department: "service", outcome: "resolved",
            subject: "Grüße 👋🏽 \"quoted\" \\ back\\slash",
            text: "Zeile 1\r\nZeile 2\u{0}nach NUL\t\u{1}\u{7f}\u{2028}e\u{301} 👨‍👩‍👧‍👦",
            tags: ["a,b", "c\\", ",", "\\,", "\u{301}x", "😀", ""],
            extras: ["quote\"key": "va\"lue", "nul\u{0}key": "nul\u{0}value", "newline": "a\nb",
                     "unicode": "ü€😀", "slash/key": "\\u0041 not an escape", "ctl": "\u{1}\u{1f}"]),
        // A very long transcript (1 MiB plus a multi-byte tail).
        ConversationRecord(date: 5, employee: "long", text: String(repeating: "x", count: 1 << 20) + "ß😀"),
    ]

    @Test(arguments: 0..<records.count)
    func recordRoundTripsExactly(index: Int) throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/dialogd.db"
            let record = Self.records[index]
            let key = RecordKey.make(for: record)
            do {
                let store = try ConversationStore(path: path)
                #expect(try store.insert(record, key: key, sourceFile: "näme 😀.jsonl", line: 42, ingestedAt: 1_795_000_123))
                try store.close()
            }
            // Read back through a fresh connection, so nothing comes from memory.
            let store = try ConversationStore(path: path)
            let stored = try #require(try store.conversation(key: key))
            #expect(stored.record == record)
            #expect(stored.record.text?.utf8.count == record.text?.utf8.count)
            #expect(stored.record.tags == record.tags)
            #expect(stored.record.extras == record.extras)
            #expect(stored.key == key)
            #expect(stored.sourceFile == "näme 😀.jsonl")
            #expect(stored.line == 42)
            #expect(stored.ingestedAt == 1_795_000_123)
            #expect(stored.rowID == 1)
        }
    }

    /// Texts are bound without copies from one reused buffer (`TextBindings`): a long text, a
    /// short one, nil, "" and a NUL one after another in one transaction each come back as they
    /// went in, and no record's bytes reach the next.
    @Test func recordsOneAfterAnotherRoundTripExactly() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/dialogd.db"
            let texts: [String?] = [String(repeating: "long ", count: 5_000), "s", nil, "", "a\u{0}b", "ü😀", nil, String(repeating: "y", count: 300)]
            let records = (0..<(3 * texts.count)).map { n in
                ConversationRecord(id: n % 5 == 0 ? nil : "r\(n)", date: 1_795_000_000 + Int64(n), employee: "e\(n % 3)",
                                   customer: n % 2 == 0 ? nil : String(repeating: "c", count: n), subject: texts[(n + 3) % texts.count],
                                   text: texts[n % texts.count])
            }
            do {
                let store = try ConversationStore(path: path)
                try store.transaction { () throws in
                    for (n, record) in records.enumerated() {
                        #expect(try store.insert(record, key: RecordKey.make(for: record), sourceFile: "f\(n).jsonl", line: n, ingestedAt: 0))
                        // A duplicate in between binds its key alone.
                        #expect(try !store.insert(record, key: RecordKey.make(for: record), sourceFile: "x", line: 0, ingestedAt: 0))
                    }
                }
                try store.close()
            }
            let store = try ConversationStore(path: path)
            for (n, record) in records.enumerated() {
                let stored = try #require(try store.conversation(key: RecordKey.make(for: record)))
                #expect(stored.record == record, "record \(n)")
                #expect(stored.sourceFile == "f\(n).jsonl")
            }
        }
    }

    @Test func tagListAndExtrasCodecsAreExact() throws {
        let tagCases: [[String]] = [[], [""], ["", ""], ["a"], ["a,b"], ["a", "b"], ["\\"], ["\\", ","], [",\u{301}"]]
        for tags in tagCases {
            #expect(TagList.decode(TagList.encode(tags)) == tags, "\(tags)")
        }
        #expect(TagList.encode(["campaign-x", "b2b"]) == "campaign-x,b2b")
        #expect(ExtrasJSON.encode([:]) == nil)
        #expect(ExtrasJSON.encode(["b": "2", "a": "1"]) == #"{"a":"1","b":"2"}"#)
        #expect(ExtrasJSON.encode(["k": "\u{0}\"\n"]) == #"{"k":"\u0000\"\n"}"#)
        let hostile = ["\u{0}": "\u{1f}", "\"": "\\", "😀": "\u{2028}"]
        #expect(try ExtrasJSON.decode(ExtrasJSON.encode(hostile)) == hostile)
    }
}
