import Testing
@testable import DialogCore

@Suite struct DurationParserTests {
    @Test(arguments: [
        ("25m", 1500), ("1h30m", 5400), ("1h 30m", 5400), ("1h30", 5400), ("90", 5400), ("90min", 5400),
        ("90 Minuten", 5400), ("2h", 7200), ("1.5h", 5400), ("1,5h", 5400), ("1,5 Std.", 5400), ("45s", 45),
        ("01:30", 5400), ("1:30:15", 5415), ("1 Std", 3600), ("30 Min", 1800), ("1 Std 30 Min", 5400),
        ("2 hours", 7200), ("0", 0), ("0m", 0), ("PT1H30M", 5400), ("pt45s", 45), ("1.5", 90), (" 25m ", 1500),
    ] as [(String, Int64)])
    func accepted(text: String, seconds: Int64) {
        #expect(DurationParser.parse(text) == seconds)
    }

    @Test(arguments: ["", "-5m", "−5m", "abc", "5x", "30m1h", "1h1h", "1:75", "1e9", "m", "99999999999999999999h", "1h 30m 20"])
    func rejected(text: String) {
        #expect(DurationParser.parse(text) == nil)
    }

    @Test func negativeDurationMessage() {
        let r = rejection(jsonRecord(#""duration": "-5m""#), "a.json")
        #expect(r?.field == "duration" && r?.expected == "a duration that is not negative")
    }

    @Test func tooLongDurationIsRejected() {
        let r = rejection(jsonRecord(#""duration": "200h""#), "a.json")
        #expect(r?.expected == "a duration of at most 7 days")
    }

    @Test func jsonNumberIsMinutes() throws {
        let r = try read(jsonRecord(#""duration": 25, "response_time": 1.5"#), "a.json").records[0].record
        #expect(r.durationSeconds == 1500 && r.responseTimeSeconds == 90)
    }
}
