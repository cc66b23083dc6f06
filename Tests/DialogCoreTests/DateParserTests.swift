import Foundation
import Testing
@testable import DialogCore

@Suite struct DateParserTests {
    /// 2026-11-28 13:05:00 UTC
    static let t: Int64 = 1_795_871_100

    @Test(arguments: [
        ("2026-11-28T14:05:00+01:00", t, 3600),
        ("2026-11-28T13:05:00Z", t, 0),
        ("2026-11-28t13:05:00z", t, 0),
        ("2026-11-28T13:05:00.123456Z", t, 0),
        ("2026-11-28 14:05:00+01:00", t, 3600),
        ("2026-11-28T08:05:00-0500", t, -18000),
        ("2026-11-28 14:05", t, 3600),
        ("2026-11-28 14:05:00", t, 3600),
        ("2026-11-28T14:05", t, 3600),
        ("28.11.2026 14:05", t, 3600),
        ("28.11.2026, 14:05 Uhr", t, 3600),
        ("28.11.2026 14:05:00", t, 3600),
        ("Sat, 28 Nov 2026 14:05:00 +0100", t, 3600),
        ("28 Nov 2026 13:05:00 GMT", t, 0),
        ("Sat, 28 Nov 2026 13:05 UT", t, 0),
        ("Saturday, 28 November 2026 13:05:00 Z", t, 0),
        ("Sat, 28 Nov 2026 14:05:00 +0100 (CET)", t, 3600),
        ("2026-07-01 12:00", 1_782_900_000, 7200),
    ] as [(String, Int64, Int32)])
    func accepted(text: String, seconds: Int64, offset: Int32) {
        #expect(DateParser.parse(text, timeZone: berlin) == ParsedDate(seconds: seconds, utcOffsetSeconds: offset))
    }

    @Test(arguments: [
        "", "yesterday", "2026-13-01 10:00", "2026-02-29 10:00", "2026-04-31 10:00", "2026-11-28 24:00",
        "2026-11-28 12:60", "2026-11-28T12:00:00+25:00", "32.01.2026 10:00", "Sat, 28 Foo 2026 14:05 +0100",
        "2026-11-28 14:05 nonsense", "20261128", "28/11/2026", "1795871100",
    ])
    func rejected(text: String) {
        #expect(DateParser.parse(text, timeZone: berlin) == nil)
    }

    @Test func leapDay() {
        #expect(DateParser.parse("2028-02-29 12:00", timeZone: berlin) != nil)
        #expect(DateParser.parse("2000-02-29T00:00:00Z", timeZone: berlin) != nil)
        #expect(DateParser.parse("2100-02-29T00:00:00Z", timeZone: berlin) == nil)
    }

    @Test func springGapShiftsForward() {
        // 02:30 does not exist in Berlin on 2026-03-29; it becomes 03:30 CEST.
        let gap = DateParser.parse("2026-03-29 02:30", timeZone: berlin)
        #expect(gap == ParsedDate(seconds: 1_774_747_800, utcOffsetSeconds: 7200))
        #expect(DateParser.parse("2026-03-29 01:30", timeZone: berlin) == ParsedDate(seconds: 1_774_744_200, utcOffsetSeconds: 3600))
    }

    @Test func autumnOverlapTakesFirstOccurrence() {
        // 02:30 happens twice on 2026-10-25; the first is still CEST (+02:00).
        #expect(DateParser.parse("2026-10-25 02:30", timeZone: berlin) == ParsedDate(seconds: 1_792_888_200, utcOffsetSeconds: 7200))
        #expect(DateParser.parse("2026-10-25 03:00", timeZone: berlin) == ParsedDate(seconds: 1_792_893_600, utcOffsetSeconds: 3600))
    }

    @Test func plausibilityWindow() {
        #expect(rejection(jsonRecord().replacingOccurrences(of: "2026-11-28T14:05:00+01:00", with: "2036-11-28 10:00"), "a.json")?.field == "date")
        #expect(rejection(jsonRecord().replacingOccurrences(of: "2026-11-28T14:05:00+01:00", with: "2026-11-30 23:00"), "a.json") == nil)
        #expect(rejection(jsonRecord().replacingOccurrences(of: "2026-11-28T14:05:00+01:00", with: "2026-12-02 10:00"), "a.json")?.field == "date")
    }
}

@Suite struct DateFormsTests {
    @Test func dateOnlyIsLocalMidnight() {
        // 2026-11-28 00:00 CET = 2026-11-27 23:00Z
        #expect(DateParser.parse("2026-11-28", timeZone: berlin) == ParsedDate(seconds: 1_795_820_400, utcOffsetSeconds: 3600))
        #expect(DateParser.parse("28.11.2026", timeZone: berlin) == ParsedDate(seconds: 1_795_820_400, utcOffsetSeconds: 3600))
    }

    @Test func otherZone() {
        let ny = TimeZone(identifier: "America/New_York")!
        #expect(DateParser.parse("2026-11-28 08:05", timeZone: ny) == ParsedDate(seconds: 1_795_871_100, utcOffsetSeconds: -18000))
    }
}
