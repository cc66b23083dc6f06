import DialogCore
import Foundation
import Testing

/// The files in examples/ are what a new admin drops first (README walk-through): each must parse.
@Suite("examples/")
struct ExamplesTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples").path

    static let expectedRecords = [
        "angebot-xing.conv": 1, "refund-twitter.txt": 1, "product-feedback.json": 1,
        "support-chat.jsonl": 3, "vertrieb-woche.csv": 3, "angebot-rueckfrage.eml": 1, "postfach-export.mbox": 2,
    ]

    /// config/roster.example.csv: the mail examples need it to tell the employee.
    static func settings(now: Int64) throws -> ParseSettings {
        var settings = DialogConfig(layout: .system).parseSettings(now: now)
        let roster = URL(fileURLWithPath: directory).deletingLastPathComponent().appendingPathComponent("config/roster.example.csv").path
        settings.roster = try Roster.parse(Array(try #require(FileManager.default.contents(atPath: roster))), source: roster)
        return settings
    }

    @Test("every example parses completely, without rejects or warnings", arguments: expectedRecords.keys.sorted())
    func parses(name: String) throws {
        let bytes = try #require(FileManager.default.contents(atPath: Self.directory + "/" + name))
        let now = Int64(Date().timeIntervalSince1970)
        let file = try RecordReader(settings: Self.settings(now: now)).read(Array(bytes), fileName: name)
        #expect(file.records.count == Self.expectedRecords[name])
        #expect(file.rejects.isEmpty)
        #expect(file.warnings.isEmpty)
        // They speak the shipped vocabulary: no label would count as unassigned.
        for r in file.records.map(\.record) {
            #expect(r.unmatchedDepartment == nil && r.unmatchedOutcome == nil && r.unmatchedChannel == nil, "\(name): \(r)")
        }
    }

    @Test("the examples cover every format")
    func coverage() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.directory)
        #expect(Set(names) == Set(Self.expectedRecords.keys))
        #expect(Set(names.compactMap { RecordFormat(fileName: $0) }) == Set(RecordFormat.allCases))
    }

    @Test("the mail examples read as the walk-through says")
    func mail() throws {
        let now: Int64 = 1_795_910_400
        let eml = try RecordReader(settings: Self.settings(now: now))
            .read(Array(try #require(FileManager.default.contents(atPath: Self.directory + "/angebot-rueckfrage.eml"))), fileName: "a.eml")
        let r = try #require(eml.records.first).record
        #expect(r.subject == "Re: Angebot für 40 Lizenzen – Rückfrage zum Pilotprojekt")
        #expect(r.employee == "anna.schmidt" && r.department == "sales" && r.customer == "j.mueller@kunde-gmbh.de")
        #expect(r.text?.hasSuffix("Mit freundlichen Grüßen\nAnna Schmidt") == true)
        #expect(r.text?.contains("1.200 € gilt bis Jahresende") == true)
        #expect(r.extras["thread"] == "a81c2f3e@kunde-gmbh.de")
        let mbox = try RecordReader(settings: Self.settings(now: now))
            .read(Array(try #require(FileManager.default.contents(atPath: Self.directory + "/postfach-export.mbox"))), fileName: "p.mbox")
        let records = mbox.records.map(\.record)
        #expect(records.map(\.employee) == ["anna.schmidt", "ben.krause"])
        #expect(records[0].customer == "j.mueller@kunde-gmbh.de" && records[0].text?.contains("From our side") == true)
        #expect(records[1].department == "service" && records[1].text?.hasPrefix("Hallo Frau Petersen,") == true)
    }

    @Test("the German CSV example reads as German Excel writes it")
    func germanCSV() throws {
        let bytes = try #require(FileManager.default.contents(atPath: Self.directory + "/vertrieb-woche.csv"))
        let file = try RecordReader(settings: ParseSettings(timeZone: TimeZone(identifier: "Europe/Berlin")!, now: 1_795_910_400))
            .read(Array(bytes), fileName: "vertrieb-woche.csv")
        #expect(file.records.map(\.record.valueCents) == [480_000, 0, 15_000])
        #expect(file.records.map(\.record.channel) == ["phone", "email", "instagram"])
        #expect(file.records[1].record.subject == "Zu teuer, \"vielleicht nächstes Jahr\"")
    }
}
