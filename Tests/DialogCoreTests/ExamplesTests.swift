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
        "support-chat.jsonl": 3, "vertrieb-woche.csv": 3,
    ]

    @Test("every example parses completely, without rejects or warnings", arguments: expectedRecords.keys.sorted())
    func parses(name: String) throws {
        let bytes = try #require(FileManager.default.contents(atPath: Self.directory + "/" + name))
        let now = Int64(Date().timeIntervalSince1970)
        let file = try RecordReader(settings: DialogConfig(layout: .system).parseSettings(now: now)).read(Array(bytes), fileName: name)
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
