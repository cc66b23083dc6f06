import DialogCore
import Foundation
import Testing
@testable import DialogStore

/// Issue 13 item 3 at the reader: open windows cost what the stored data costs, and no reply
/// holds more than `RoiQuery.maxRows` rows.
@Suite("ROI request limits")
struct RoiLimitTests {
    static let now: Int64 = 1_796_000_000

    static func record(_ n: Int, channel: String, date: Int64 = now - 3600) -> ConversationRecord {
        ConversationRecord(id: "r\(n)", date: date, employee: "e\(n % 7)", channel: channel, department: "service",
                           outcome: "resolved", durationSeconds: 60, valueCents: 100, currency: "EUR")
    }

    static func reader(_ store: ConversationStore) -> RoiReader {
        RoiReader(database: store.database, timeZone: RoiFixtures.berlin, labeler: EmployeeLabeler(mode: .named, key: "k"))
    }

    @Test("±2^40 s by day equals the stored window by day, and the rows are the stored days")
    func openWindowClamped() throws {
        try withTemporaryDirectory { dir in
            let store = try ConversationStore(path: dir + "/d.db")
            try RoiAggregateTests.ingest((0..<5).map { Self.record($0, channel: "email", date: Self.now - Int64($0) * 86_400) }, into: store)
            let reader = Self.reader(store)
            let huge = try reader.roi(RoiQuery(since: -(1 << 40), until: 1 << 40, groupBy: .day), now: Self.now)
            let all = try reader.roi(RoiQuery(window: .all, groupBy: .day), now: Self.now)
            #expect(huge.rows == all.rows && huge.total == all.total)
            #expect(huge.rows.count == 5 && huge.total.conversations == 5)
            #expect(huge.window.since == RoiQuery.floorHour(-(1 << 40)) * 3600, "the reply names the window asked for")
        }
    }

    @Test("10,001 channels: roi by channel, kpi and pyramid are refused naming the limit; 10,000 are served")
    func rowLimit() throws {
        try withTemporaryDirectory { dir in
            let store = try ConversationStore(path: dir + "/d.db")
            try RoiAggregateTests.ingest((0..<RoiQuery.maxRows).map { Self.record($0, channel: "c\($0)") }, into: store)
            let reader = Self.reader(store)
            let query = RoiQuery(window: .d7, groupBy: .channel)
            #expect(try reader.roi(query, now: Self.now).rows.count == RoiQuery.maxRows)
            try RoiAggregateTests.ingest([Self.record(RoiQuery.maxRows, channel: "one-too-many")], into: store)
            for (what, call) in [("roi", { _ = try reader.roi(query, now: Self.now) }),
                                 ("kpi", { _ = try reader.kpis(query, now: Self.now) }),
                                 ("pyramid", { _ = try reader.pyramid(query, now: Self.now) })] as [(String, () throws -> Void)] {
                let error = thrownError(RoiQueryError.self, call)
                #expect(error?.code == "bad_argument" && error?.message.contains("at most 10000 rows") == true, "\(what): \(String(describing: error))")
            }
            // Grouped otherwise, the same data is one row.
            #expect(try reader.roi(RoiQuery(window: .d7, groupBy: .department), now: Self.now).rows.count == 1)
        }
    }

    @Test("a calendar grouping is refused before its per-day work when the stored span has too many periods")
    func calendarSpan() throws {
        try withTemporaryDirectory { dir in
            let store = try ConversationStore(path: dir + "/d.db")
            // 40 years apart: ~14,600 days, ~2,090 weeks, ~480 months.
            try RoiAggregateTests.ingest([Self.record(0, channel: "email", date: Self.now - 40 * 365 * 86_400),
                                          Self.record(1, channel: "email")], into: store)
            let reader = Self.reader(store)
            let byDay = thrownError(RoiQueryError.self) { _ = try reader.roi(RoiQuery(window: .all, groupBy: .day), now: Self.now) }
            #expect(byDay?.code == "bad_argument" && byDay?.message.contains("10000") == true)
            let started = Date()
            #expect(try reader.roi(RoiQuery(since: -(1 << 40), until: 1 << 40, groupBy: .week), now: Self.now).rows.count == 2)
            #expect(try reader.roi(RoiQuery(window: .all, groupBy: .month), now: Self.now).rows.count == 2)
            #expect(Date().timeIntervalSince(started) < 5)
        }
    }
}
