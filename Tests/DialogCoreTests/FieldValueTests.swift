import Testing
@testable import DialogCore

@Suite struct FieldValueTests {
    @Test(arguments: [("4", 4), ("4/5", 4), ("4 / 5", 4), ("8/10", 4), ("7/10", 4), ("5/10", 3), ("1/10", 1), ("10/10", 5), ("4 von 5", 4), ("3 out of 5", 3), ("1", 1)])
    func satisfaction(text: String, value: Int) {
        #expect(FieldValues.satisfaction(text) == value)
    }

    @Test(arguments: ["0", "6", "6/5", "0/10", "4/0", "four", "4.5", "-1", "4/5/6"])
    func badSatisfaction(text: String) {
        #expect(FieldValues.satisfaction(text) == nil)
    }

    /// The employee check (the only field refused for controls) uses the escaping module's
    /// definition: C0, DEL, C1 and bidi controls; a combining mark or ZWJ is text.
    @Test func controlsInNames() {
        for bad in ["a\u{1b}[2J", "a\u{9b}", "a\u{7f}", "anna\u{202e}tnimda", "a\u{2066}b", "a\u{200f}", "a\nb"] {
            #expect(FieldValues.hasControl(bad), "\(bad.debugDescription)")
        }
        for good in ["Jürgen", "e\u{301}", "👩\u{200d}💻", "李"] { #expect(!FieldValues.hasControl(good), "\(good.debugDescription)") }
        #expect(!FieldValues.hasControl("a\nb\tc", allowingNewlines: true))
    }

    @Test func tagsAreNormalized() {
        #expect(FieldValues.tags([" Campaign-X, b2b,, B2B ,", "Messe"]) == ["campaign-x", "b2b", "messe"])
    }

    @Test func labels() {
        #expect(FieldValues.label("  Churn Risk ") == "churn_risk")
        #expect(FieldValues.label("Churn-Risk") == "churn_risk")
        #expect(FieldValues.label("Kündigung droht") == "kündigung_droht")
    }

    @Test(arguments: ["Date", "datum", "DATUM", " Mitarbeiter ", "Response-Time", "response time", "RESPONSE_TIME", "Schlagwörter"])
    func headerNamesResolve(name: String) {
        guard case .known = FieldKey(name: name) else { Issue.record("\(name) unknown"); return }
    }

    @Test func employeeLimits() {
        #expect(rejection(jsonRecord().replacingOccurrences(of: "anna.schmidt", with: String(repeating: "a", count: 201)), "a.json")?.field == "employee")
        #expect(rejection(jsonRecord().replacingOccurrences(of: "anna.schmidt", with: "an\\u0007na"), "a.json")?.field == "employee")
        #expect(rejection(jsonRecord().replacingOccurrences(of: "anna.schmidt", with: "   "), "a.json")?.field == "employee")
    }

    @Test func overlongValueIsRejected() {
        let settings = testSettings { $0.maxFieldBytes = 50 }
        let r = rejection(jsonRecord(#""subject": ""# + String(repeating: "x", count: 51) + "\""), "a.json", settings: settings)
        #expect(r?.field == "subject" && r?.expected == "a value of at most 50 bytes")
        // The transcript is bounded by file size only.
        #expect(rejection(jsonRecord(#""text": ""# + String(repeating: "x", count: 500) + "\""), "a.json", settings: settings) == nil)
    }

    @Test func channelDefaultsAndAliases() throws {
        #expect(try read(jsonRecord(), "a.json").records[0].record.channel == "unknown")
        #expect(try read(jsonRecord(#""channel": " Insta ""#), "a.json").records[0].record.channel == "instagram")
    }

    @Test func rejectionMessageIsReadable() {
        let r = RecordRejection(line: 3, field: "duration", expected: "a duration like 25m", found: String(repeating: "y", count: 100))
        #expect(r.description == "line 3: field \"duration\": expected a duration like 25m, found \"" + String(repeating: "y", count: 60) + "…\"")
    }
}
