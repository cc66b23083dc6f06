import DialogCore
import Foundation
import Testing
@testable import DialogStore

/// The worked example of docs/roi.md, computed by hand there and checked here.
@Suite("KPIs and the pyramid")
struct KpiTests {
    static let hour: Int64 = 1_774_746_000 // 2026-03-29T01:00Z
    static func at(_ minute: Int64) -> Int64 { hour + minute * 60 }

    static let records: [ConversationRecord] = [
        .init(id: "1", date: at(1), employee: "anna", channel: "twitter", department: "service", outcome: "resolved",
              durationSeconds: 1800, satisfaction: 5, sentiment: "positive", responseTimeSeconds: 600),
        .init(id: "2", date: at(2), employee: "anna", channel: "email", department: "service", outcome: "resolved",
              durationSeconds: 900, satisfaction: 4, sentiment: "neutral", responseTimeSeconds: 1200),
        .init(id: "3", date: at(3), employee: "anna", channel: "phone", department: "service", outcome: "escalated",
              durationSeconds: 1200, satisfaction: 2, sentiment: "negative", responseTimeSeconds: 3000),
        .init(id: "4", date: at(4), employee: "anna", channel: "twitter", department: "service", outcome: "unresolved",
              sentiment: "negative"),
        .init(id: "5", date: at(5), employee: "ben", channel: "xing", department: "sales", outcome: "won",
              durationSeconds: 3600, valueCents: 200_000, satisfaction: 5, sentiment: "positive"),
        .init(id: "6", date: at(6), employee: "ben", channel: "xing", department: "sales", outcome: "lost", durationSeconds: 1800),
        .init(id: "7", date: at(7), employee: "ben", channel: "email", department: "sales", outcome: "lost", durationSeconds: 1800),
        .init(id: "8", date: at(8), employee: "anna", channel: "twitter", department: "marketing", outcome: "advocacy", durationSeconds: 360),
        .init(id: "9", date: at(9), employee: "anna", channel: "email", outcome: "idea", durationSeconds: 720),
        .init(id: "10", date: at(59), employee: "anna", channel: "chat"),
        // The previous hour: the trend's baseline.
        .init(id: "11", date: at(-30), employee: "ben", channel: "xing", department: "sales", outcome: "won",
              durationSeconds: 3600, valueCents: 100_000),
    ]

    static let query = RoiQuery(since: hour, until: hour + 3600)

    func withExample<T>(_ figures: EmployeeFigures, _ body: (RoiReader) throws -> T) throws -> T {
        try withTemporaryDirectory { dir in
            let store = try ConversationStore(path: dir + "/d.db")
            try store.adopt(Valuation())
            try RoiAggregateTests.ingest(Self.records, into: store)
            return try body(try store.roiReader(timeZone: RoiFixtures.berlin, employeeFigures: figures))
        }
    }

    @Test("every KPI of the worked example, computed by hand")
    func kpis() throws {
        let k = try withExample(.off) { try $0.kpis(Self.query, now: 0) }
        #expect(k.figures.conversations == 10)
        #expect(k.figures.minutes == 225)
        #expect(k.figures.costCents == 19_100)
        #expect(k.figures.valueCents == 215_500)
        #expect(k.figures.netCents == 196_400)
        #expect(k.figures.roi == 196_400.0 / 19_100.0)
        #expect(k.resolutionRate == 0.5)
        #expect(k.resolutionTimeSeconds == 1600)
        #expect(k.satisfactionMean == 4.0)
        #expect(k.satisfactionShareHigh == 0.75)
        #expect(k.sentiment == SentimentRatio.init(positive: 2, neutral: 1, negative: 2))
        #expect(k.shareOfVoice == ["twitter": 0.3, "email": 0.3, "xing": 0.2, "phone": 0.1, "chat": 0.1])
        #expect(k.advocacyRate == 0.1)
        #expect(k.leadConversion == 1.0 / 3.0)
        #expect(k.ideas == 1)
        #expect(k.ideaValueCents == 5_000)
        #expect(k.costPerResolutionCents == 2_600)
        // Unwrapped first: Swift Testing's optional-vs-value comparison overflows a stack buffer
        // under AddressSanitizer (in the toolchain's AnyHashable conversion, not in our code).
        let deflection = try #require(k.deflectionSavingsCents)
        #expect(deflection == 2 * 650 - 5_200)
    }

    @Test("the pyramid: executive trend, department KPIs, practitioners under each privacy mode")
    func pyramid() throws {
        let p = try withExample(.named) { try $0.pyramid(Self.query, now: 0) }
        #expect(p.executive.figures.valueCents == 215_500)
        #expect(p.executive.previous.valueCents == 100_000)
        #expect(p.executive.previous.costCents == 5_550)
        #expect(p.executive.valueTrend == 1.155)
        #expect(p.executive.deflectionSavingsCents == -3_900)
        #expect(p.executive.valueByDepartment.map(\.key) == ["marketing", "product", "sales", "service", "unassigned"])
        #expect(p.executive.valueByDepartment.map(\.figures.valueCents) == [4_000, 5_000, 200_000, 6_500, 0])
        #expect(p.managers.map(\.department) == ["marketing", "product", "sales", "service", "unassigned"])
        let service = p.managers.first { $0.department == "service" }!.kpis
        #expect(service.resolutionRate == 0.5)
        #expect(service.costPerResolutionCents == 2_600)
        #expect(service.figures.costCents == 5_200)
        #expect(p.managers.first { $0.department == "sales" }!.kpis.leadConversion == 1.0 / 3.0)
        #expect(p.practitioners.awaitingReview == 1)
        #expect(p.practitioners.activity.map { "\($0.employee)/\($0.channel)/\($0.conversations)/\($0.minutes)" } == [
            "anna/chat/1/12", "anna/email/2/27", "anna/phone/1/20", "anna/twitter/3/46", "ben/email/1/30", "ben/xing/2/90",
        ])
        let off = try withExample(.off) { try $0.pyramid(Self.query, now: 0) }
        #expect(off.practitioners.activity.isEmpty && off.practitioners.employeeFigures == "off")
        let pseudo = try withExample(.pseudonymous) { try $0.pyramid(Self.query, now: 0) }
        #expect(pseudo.practitioners.activity.count == 6)
        #expect(pseudo.practitioners.activity.allSatisfy { $0.employee.hasPrefix("emp-") })
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(try JSONDecoder().decode(Pyramid.self, from: encoder.encode(p)) == p)
    }
}

extension SentimentRatio {
    init(positive: Int64, neutral: Int64, negative: Int64) {
        var s = RoiSums()
        s.positive = positive
        s.neutral = neutral
        s.negative = negative
        self.init(s)
    }
}
