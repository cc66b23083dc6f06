import DialogCore
import Foundation
import Testing
@testable import DialogStore

/// Customer conversion's edges (docs/roi.md "Customer conversion") on a real SQLite file.
@Suite("customer conversion at its edges")
struct ConversionTests {
    static let day: Int64 = 86_400
    static let start: Int64 = 1_795_000_000 / 86_400 * 86_400  // a UTC midnight

    static func conversation(_ id: String, _ at: Int64, _ customer: String, channel: String = "email") -> ConversationRecord {
        ConversationRecord(id: id, date: at, employee: "sara", channel: channel, customer: customer, department: "sales", outcome: "lead")
    }

    @Test("an order on the conversation's own second and one exactly the lookback after it count; a second later, a credit note, a zero amount or an order before do not")
    func boundaries() throws {
        try withTemporaryDirectory { dir in
            let store = try ConversationStore(path: dir + "/d.db")
            try store.adopt(Valuation())
            store.attribution = AttributionConfig(lookbackSeconds: 10 * Self.day)
            let t = Self.start + 5 * Self.day
            try RoiAggregateTests.ingest([
                Self.conversation("same", t, "cus-same"), Self.conversation("edge", t, "cus-edge"),
                Self.conversation("late", t, "cus-late"), Self.conversation("credit", t, "cus-credit"),
                Self.conversation("zero", t, "cus-zero"), Self.conversation("before", t, "cus-before"),
                Self.conversation("social", t, "cus-social", channel: "twitter"),
            ], into: store)
            let orders = [
                OrderRecord(id: "1", date: t, customer: "cus-same", amountCents: 1, currency: "EUR"),
                OrderRecord(id: "2", date: t + 10 * Self.day, customer: "cus-edge", amountCents: 1, currency: "EUR"),
                OrderRecord(id: "3", date: t + 10 * Self.day + 1, customer: "cus-late", amountCents: 1, currency: "EUR"),
                OrderRecord(id: "4", date: t + Self.day, customer: "cus-credit", amountCents: -100, currency: "EUR"),
                OrderRecord(id: "5", date: t + Self.day, customer: "cus-zero", amountCents: 0, currency: "EUR"),
                OrderRecord(id: "6", date: t - 1, customer: "cus-before", amountCents: 100, currency: "EUR"),
                OrderRecord(id: "7", date: t + Self.day, customer: "cus-social", amountCents: 100, currency: "EUR"),
            ]
            try store.transaction { () throws in
                for (i, order) in orders.enumerated() { _ = try store.ingest(order, key: order.key, sourceFile: "o.orders.csv", line: i + 2, ingestedAt: 0) }
            }
            var reader = RoiReader(database: store.database, timeZone: RoiFixtures.berlin, labeler: EmployeeLabeler(mode: .off, key: "k"),
                                   channelGroups: ["twitter": "social"])
            reader.attribution = store.attribution
            let window = RoiQuery(since: Self.start, until: Self.start + 7 * Self.day)
            let result = try reader.kpiResult(window, now: 0)
            #expect(result.kpis.customerConversion == CustomerConversion(customers: 7, ordered: 3, lookbackSeconds: 10 * Self.day))
            #expect(result.customerConversionByDepartment == ["sales": CustomerConversion(customers: 7, ordered: 3, lookbackSeconds: 10 * Self.day)])
            // A channel group keeps its channels' conversations only.
            var social = window
            social.channelGroup = "social"
            #expect(try reader.kpis(social, now: 0).customerConversion == CustomerConversion(customers: 1, ordered: 1, lookbackSeconds: 10 * Self.day))
            // A window the conversations are not in: no customers, no rate.
            let empty = try reader.kpis(RoiQuery(since: Self.start + 6 * Self.day, until: Self.start + 7 * Self.day), now: 0).customerConversion
            #expect(empty == CustomerConversion(customers: 0, ordered: 0, lookbackSeconds: 10 * Self.day) && empty?.rate == nil)
        }
    }

    @Test("a date at the end of the range is held there, not wrapped round")
    func laterSaturates() {
        #expect(RoiReader.later(Int64.max - 5, by: 10) == Int64.max)
        #expect(RoiReader.later(100, by: 10) == 110)
        #expect(RoiReader.anyDate(in: 5...9, sorted: [1, 4, 10]) == false)
        #expect(RoiReader.anyDate(in: 5...10, sorted: [1, 4, 10]) == true)
        #expect(RoiReader.anyDate(in: 5...10, sorted: []) == false)
    }
}
