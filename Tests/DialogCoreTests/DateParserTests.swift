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
        // A conversation keeps midnight; the parser also says where the written day ends (23:59:59 CET).
        var midnight = ParsedDate(seconds: 1_795_820_400, utcOffsetSeconds: 3600)
        midnight.dayEnd = .init(seconds: 1_795_820_400 + 86_399, utcOffsetSeconds: 3600)
        #expect(DateParser.parse("2026-11-28", timeZone: berlin) == midnight)
        #expect(DateParser.parse("28.11.2026", timeZone: berlin) == midnight)
    }

    @Test func midnightGivenIsNoDateOnly() {
        // "00:00" written is a time: nothing says "the whole day".
        #expect(DateParser.parse("2026-11-28 00:00", timeZone: berlin) == ParsedDate(seconds: 1_795_820_400, utcOffsetSeconds: 3600))
        #expect(DateParser.parse("28.11.2026 00:00", timeZone: berlin)?.dayEnd == nil)
        #expect(DateParser.parse("2026-11-28T00:00:00+01:00", timeZone: berlin)?.dayEnd == nil)
    }

    @Test func dateOnlyDayEndAcrossDST() {
        // 2026-03-29 has 23 hours in Berlin: it ends 23:59:59 CEST (+02:00) = 21:59:59Z.
        let end = DateParser.parse("29.03.2026", timeZone: berlin)?.dayEnd
        #expect(end == .init(seconds: 1_774_821_599, utcOffsetSeconds: 7200))
    }

    @Test func otherZone() {
        let ny = TimeZone(identifier: "America/New_York")!
        #expect(DateParser.parse("2026-11-28 08:05", timeZone: ny) == ParsedDate(seconds: 1_795_871_100, utcOffsetSeconds: -18000))
    }
}

/// RFC 5322 §4.3 (obsolete date syntax, which receivers must accept), asctime and `D.M.YY`.
@Suite("Dates: RFC 5322 obsolete syntax")
struct ObsoleteDateTests {
    /// 2026-11-28 09:12:00 UTC
    static let t: Int64 = 1_795_857_120

    @Test(arguments: [
        ("Sat, 28 Nov 26 09:12:00 GMT", t, 0),
        ("Sat, 28 Nov 026 09:12:00 GMT", t - 1, 0),  // three digits: 1926 (checked below, not this instant)
        ("(sent from my phone) Sat, 28 Nov 2026 09:12:00 GMT", t, 0),
        ("Sat, 28 Nov 2026 09:12:00 (a (nested) comment) (two) GMT (CET)", t, 0),
        ("Sat(day) ,(x)28(d)Nov(m)2026(y)09(h):(c)12:00 GMT", t, 0),
        ("Sat , 28 Nov 2026 09 : 12 : 00 GMT", t, 0),
        ("Sat,  28   Nov   2026   09:12:00   +0000", t, 0),
        ("Sat, 28 Nov 2026 09:12:00 A", t, 0),
        ("Sat, 28 Nov 2026 09:12:00 z", t, 0),
        ("Sat, 28 Nov 2026 09:12:00 y", t, 0),
        ("Sat, 28 Nov 2026 04:12:00 EST", t, -18000),
        ("Sat Nov 28 09:12:00 2026", t - 3600, 3600),
        ("Sat Nov 28 10:12:00 CET 2026", nil, 0),
        ("Sat Nov 28 09:12:00 GMT 2026", t, 0),
        ("Sat Nov  28 09:12:00 +0100 2026", t - 3600, 3600),
        ("28.11.26 10:12", t, 3600),
        ("28.11.26", 1_795_820_400, 3600),
        ("Sat, 28 Nov 2026 09:12:00 (unclosed", nil, 0),
        ("Sat, 28 Nov 2026 09:12:00 J", nil, 0),
        ("Sat, 28 Nov 2026 09:12:00 AB", nil, 0),
        ("28.11.202 10:12", nil, 0),
    ] as [(String, Int64?, Int32)])
    func read(text: String, seconds: Int64?, offset: Int32) {
        let date = DateParser.parse(text, timeZone: berlin)
        if text.contains(" 026 ") {
            #expect(date?.seconds == Int64(CivilTime.daysFromCivil(1926, 11, 28)) * 86_400 + 9 * 3600 + 12 * 60)
            return
        }
        #expect(date?.seconds == seconds && (seconds == nil || date?.utcOffsetSeconds == offset), "\(String(describing: date))")
        if seconds != nil && text.hasPrefix("Sat") { #expect(date?.warning == nil) }
    }

    @Test("two-digit years: 00–49 are 20YY, 50–99 are 19YY (RFC 5322 §4.3)")
    func twoDigitYears() {
        #expect(DateParser.parse("1 Jan 49 00:00 GMT", timeZone: berlin)?.seconds == Int64(CivilTime.daysFromCivil(2049, 1, 1)) * 86_400)
        #expect(DateParser.parse("1 Jan 50 00:00 GMT", timeZone: berlin)?.seconds == Int64(CivilTime.daysFromCivil(1950, 1, 1)) * 86_400)
        #expect(DateParser.parse("1.1.99", timeZone: .gmt)?.seconds == Int64(CivilTime.daysFromCivil(1999, 1, 1)) * 86_400)
    }

    @Test("a wrong weekday is read with a warning")
    func wrongWeekday() {
        let date = DateParser.parse("Fri, 28 Nov 2026 09:12:00 GMT", timeZone: berlin)
        #expect(date?.seconds == Self.t)
        #expect(date?.warning == "the date says Friday, but 28 Nov 2026 is a Saturday; read as 28 Nov 2026")
        #expect(DateParser.parse("Friday Nov 28 09:12:00 2026", timeZone: berlin)?.warning?.contains("is a Saturday") == true)
    }

    @Test("the weekday warning travels with the record into the file's warnings, with line and field")
    func warningOnTheRecord() throws {
        let text = "date,employee\nFri, 28 Nov 2026 09:12:00 GMT,anna\nSat, 28 Nov 2026 09:13:00 GMT,bob\n"
        let file = try DialogCoreTests.read(text.replacingOccurrences(of: "Fri, 28 Nov 2026 09:12:00 GMT", with: "\"Fri, 28 Nov 2026 09:12:00 GMT\"")
            .replacingOccurrences(of: "Sat, 28 Nov 2026 09:13:00 GMT", with: "\"Sat, 28 Nov 2026 09:13:00 GMT\""), "w.csv")
        #expect(file.records.count == 2)
        #expect(file.records[0].warnings == [#"line 2: field "date": the date says Friday, but 28 Nov 2026 is a Saturday; read as 28 Nov 2026"#])
        #expect(file.warnings == file.records[0].warnings)
        let conv = try DialogCoreTests.read("Employee: anna\nDate: Fri, 28 Nov 2026 09:12:00 GMT\n\nhi\n", "a.conv")
        #expect(conv.warnings == [#"line 2: field "date": the date says Friday, but 28 Nov 2026 is a Saturday; read as 28 Nov 2026"#])
    }

    @Test("a file full of wrong weekdays logs ten and a count")
    func warningsBounded() throws {
        let lines = (0..<25).map { #"{"date": "Fri, 28 Nov 2026 09:12:\#(String(format: "%02d", $0)) GMT", "employee": "anna"}"# }
        let file = try DialogCoreTests.read(lines.joined(separator: "\n"), "w.jsonl")
        #expect(file.records.count == 25 && file.warnings.count == 11)
        #expect(file.warnings.last == "25 warnings in all; the first 10 are above")
    }
}

@Suite("ROI windows")
struct RoiWindowTests {
    @Test func anyHoursDaysWeeks() {
        #expect(RoiQuery.Window(rawValue: "14d")?.hours == 336)
        #expect(RoiQuery.Window(rawValue: "2W")?.hours == 336 && RoiQuery.Window(rawValue: "2W")?.rawValue == "2w")
        #expect(RoiQuery.Window(rawValue: "36h")?.hours == 36)
        #expect(RoiQuery.Window(rawValue: "all")?.hours == nil && RoiQuery.Window(rawValue: "ALL") == .all)
        #expect(RoiQuery.Window(rawValue: "30d") == .d30)
        for bad in ["", "d", "0d", "-1d", "+1d", "1.5d", "14", "14x", "１４d", "99999999999999999999d", "5300w"] {
            #expect(RoiQuery.Window(rawValue: bad) == nil, "\(bad)")
        }
    }

    @Test("a window is sent and decoded as its text")
    func codable() throws {
        let data = try JSONEncoder().encode(RoiQuery(window: RoiQuery.Window(rawValue: "2w")!))
        #expect(String(decoding: data, as: UTF8.self).contains(#""window":"2w""#))
        #expect(try JSONDecoder().decode(RoiQuery.self, from: data).window.hours == 336)
    }
}
