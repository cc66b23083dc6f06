import Testing
@testable import DialogCore

@Suite struct JSONParserTests {
    @Test func valuesAndEscapes() throws {
        let v = try JSONParser.parse(bytes(#"{"a": [1, -0.5e+3, true, false, null], "s": "q\"\\\/\b\f\n\r\t\u00e4\ud83d\ude00"}"#))
        #expect(v == .object([
            JSONMember(key: "a", value: .array([.number("1"), .number("-0.5e+3"), .bool(true), .bool(false), .null]), line: 1),
            JSONMember(key: "s", value: .string("q\"\\/\u{8}\u{c}\n\r\tä😀"), line: 1),
        ]))
    }

    @Test(arguments: [
        #"{"a": 01}"#, #"{"a": 1.}"#, #"{"a": .5}"#, #"{"a": +1}"#, #"{"a": "\x"}"#, #"{"a": "\ud83d"}"#,
        #"{"a": "\ude00"}"#, #"{"a": "\u12G4"}"#, "{\"a\": \"tab\there\"}", #"{"a": 1,}"#, #"[1 2]"#, #"{'a': 1}"#,
        #"{"a": tru}"#, #"{"a": NaN}"#, #"{"a": 1} x"#, #"{"a" 1}"#, #""unterminated"#, "",
    ])
    func invalid(text: String) {
        #expect(throws: JSONError.self) { try JSONParser.parse(bytes(text)) }
    }

    @Test func errorCarriesLineAndColumn() {
        do {
            _ = try JSONParser.parse(bytes("{\n  \"ä\": 1,\n  \"b\" 2\n}"))
            Issue.record("no error")
        } catch {
            #expect(error.line == 3 && error.column == 7)
            #expect(error.expected == "':' after the member name")
        }
    }

    @Test func hundredThousandDeepIsRejectedQuickly() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let r = rejection(deep, "deep.json")
        #expect(r?.expected.hasPrefix("JSON nested at most 8 deep") == true)
        let deepObjects = String(repeating: #"{"a":"#, count: 100_000)
        #expect(rejection(deepObjects, "deep.json")?.expected.hasPrefix("JSON nested at most 8 deep") == true)
        #expect(throws: JSONError.self) { try JSONParser.parse(bytes(deep), maxDepth: 10_000_000) }
    }

    @Test func singleObjectRecord() throws {
        let text = """
            {
              "id": "crm-48213", "date": "2026-11-28T14:05:00+01:00", "employee": "john.doe", "channel": "E-Mail",
              "customer": "c-9", "department": "sales", "outcome": "won", "duration": "1h30m", "value": "1,200.50 EUR",
              "satisfaction": "8/10", "sentiment": "neutral", "response_time": "45m", "subject": " Offer ",
              "text": "Customer accepted the offer.", "tags": ["B2B", " campaign-x ", "b2b"], "source": {"crm": "x"}, "n": null
            }
            """
        let file = try read(text, "a.json")
        let r = file.records[0].record
        #expect(r.id == "crm-48213" && r.channel == "email" && r.durationSeconds == 5400 && r.valueCents == 120_050)
        #expect(r.satisfaction == 4 && r.sentiment == "neutral" && r.responseTimeSeconds == 2700 && r.subject == "Offer")
        #expect(r.tags == ["b2b", "campaign-x"])
        #expect(r.extras == ["source": #"{"crm":"x"}"#])
    }

    @Test func germanKeys() throws {
        let r = try read(#"{"Datum": "28.11.2026 14:05", "Mitarbeiter": "anna", "Wert": "1.200,00 €", "Dauer": 25, "Zufriedenheit": 5, "Schlagworte": "b2b, Messe"}"#, "a.json").records[0].record
        #expect(r.valueCents == 120_000 && r.durationSeconds == 1500 && r.satisfaction == 5 && r.tags == ["b2b", "messe"])
    }

    @Test(arguments: [
        (#""employee": {"name": "x"}"#, "employee", "text"),
        (#""date": ["2026-11-28"]"#, "date", "text"),
        (#""customer": 5"#, "customer", "text"),
        (#""tags": [1, 2]"#, "tags", "comma-separated tags or a list of text"),
        (#""satisfaction": 9"#, "satisfaction", "a satisfaction from 1 to 5, like 4 or 4/5"),
        (#""id": "a b""#, "id", "an id of at most 200 characters without spaces or invisible characters"),
        (#""channel": false"#, "channel", "text"),
    ] as [(String, String, String)])
    func wrongTypes(member: String, field: String, expected: String) {
        // The base record, with the member under test replacing a base member of the same name.
        var members = ["date": #""date": "2026-11-28 14:05""#, "employee": #""employee": "a""#]
        members[field] = member
        let r = rejection("{" + members.values.sorted().joined(separator: ", ") + "}", "a.json")
        #expect(r?.field == field)
        #expect(r?.expected == expected)
    }

    @Test func singleObjectSyntaxErrorRejectsFile() {
        let r = rejection("{\"date\": \"2026-11-28 14:05\",\n \"employee\": anna}", "a.json")
        #expect(r?.line == 2)
        #expect(r?.description.contains("column 14") == true)
    }

    @Test func arrayWithOneBadElement() throws {
        let text = """
            [
              {"date": "2026-11-28 14:05", "employee": "anna"},
              {"date": "2026-11-28 15:00",
               "employee": "bob", "value": "12 USD"},
              42,
              {"date": "2026-11-28 16:00", "employee": "carl"}
            ]
            """
        let file = try read(text, "batch.json")
        #expect(file.records.map(\.line) == [2, 6])
        #expect(file.records.map(\.record.employee) == ["anna", "carl"])
        #expect(file.rejects.count == 2)
        #expect(file.rejects[0].rejection.line == 3 && file.rejects[0].rejection.field == "value")
        #expect(file.rejects[0].raw == "{\"date\": \"2026-11-28 15:00\",\n   \"employee\": \"bob\", \"value\": \"12 USD\"}")
        #expect(file.rejects[1].rejection.line == 5 && file.rejects[1].raw == "42")
    }

    @Test func emptyArrayIsRejected() {
        #expect(rejection("[]", "a.json")?.expected == "at least one record")
    }

    @Test func allBadElementsRejectFile() {
        let r = rejection("[1, 2]", "a.json")
        #expect(r?.expected.contains("all 2 records were refused") == true)
    }
}

@Suite struct JSONRecordEdgeTests {
    @Test func trailingGarbageAfterObject() {
        #expect(rejection(jsonRecord() + " x", "a.json")?.expected.hasPrefix("the end of the JSON text") == true)
    }

    @Test func duplicateKeyViaAlias() {
        let r = rejection(#"{"date": "2026-11-28 14:05", "employee": "a", "Mitarbeiter": "b"}"#, "a.json")
        #expect(r?.field == "employee")
    }

    @Test func nullMeansAbsent() throws {
        let r = try read(jsonRecord(#""value": null, "channel": null, "tags": "a,,b""#), "a.json").records[0].record
        #expect(r.valueCents == nil && r.channel == "unknown" && r.tags == ["a", "b"])
    }

    @Test func escapedKeysStillResolve() throws {
        let r = try read(#"{"d\u0061te": "2026-11-28 14:05", "Employee": "a", "Kund\u0065": "k"}"#, "a.json").records[0].record
        #expect(r.customer == "k")
    }

    @Test func topLevelScalarIsRejected() {
        #expect(rejection("42", "a.json")?.expected.hasPrefix("a JSON object or an array of objects") == true)
    }
}
