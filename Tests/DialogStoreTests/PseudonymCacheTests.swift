import DialogCore
import Foundation
import Testing
@testable import DialogStore

/// Employee pseudonyms computed once per employee, not per request (issue 17), on a real store.
@Suite("employee pseudonyms kept per connection")
struct PseudonymCacheTests {
    @Test("the pyramid's activity and roi by employee carry the same labels with the cache as without; one entry per employee; a new secret or mode never serves an old label")
    func sameLabels() throws {
        try withTemporaryDirectory { dir in
            let store = try ConversationStore(path: dir + "/d.db")
            try store.adopt(Valuation())
            try RoiAggregateTests.ingest(KpiTests.records, into: store)
            var cached = try store.roiReader(timeZone: RoiFixtures.berlin, employeeFigures: .pseudonymous)
            #expect(cached.pseudonyms === store.pseudonyms)
            var plain = cached
            plain.pseudonyms = nil
            let first = try cached.pyramid(KpiTests.query, now: 0)
            #expect(store.pseudonyms.count == 2, "anna and ben: once each, not once per employee × channel cell")
            #expect(try cached.pyramid(KpiTests.query, now: 0) == first)
            #expect(try plain.pyramid(KpiTests.query, now: 0) == first)
            let employees = Set(first.practitioners.activity.map(\.employee))
            let labeler = EmployeeLabeler(mode: .pseudonymous, key: try store.pseudonymKey())
            #expect(employees == [labeler.shown("anna"), labeler.shown("ben")])
            var byEmployee = KpiTests.query
            byEmployee.groupBy = .employee
            #expect(Set(try cached.roi(byEmployee, now: 0).rows.map(\.key)) == employees)

            // Another installation secret (a restored store): labels of that secret only.
            let other = EmployeeLabeler(mode: .pseudonymous, key: String(repeating: "0", count: 64))
            cached = RoiReader(database: store.database, timeZone: RoiFixtures.berlin, labeler: other)
            cached.pseudonyms = store.pseudonyms
            let moved = Set(try cached.pyramid(KpiTests.query, now: 0).practitioners.activity.map(\.employee))
            #expect(moved == [other.shown("anna"), other.shown("ben")] && moved.isDisjoint(with: employees))
            // Named: the names, whatever the cache held.
            cached = RoiReader(database: store.database, timeZone: RoiFixtures.berlin, labeler: EmployeeLabeler(mode: .named, key: other.key))
            cached.pseudonyms = store.pseudonyms
            #expect(Set(try cached.pyramid(KpiTests.query, now: 0).practitioners.activity.map(\.employee)) == ["anna", "ben"])
        }
    }
}
