/// What became of a file's records, counted: one value for a file's result (`FileResult`), a
/// commit's share of it (`StreamedFileIngest`'s counted deltas) and a large file's progress row
/// (`StreamProgress`), so a new counter is carried by all three — none copies them one by one.
struct RecordCounts: Equatable, Sendable {
    var stored = 0
    var duplicates = 0
    /// Orders stored, and orders already stored (docs/spool.md "Orders"); never conversations.
    var orders = 0
    var orderDuplicates = 0
    /// Stored records replaced by an amend.
    var amended = 0
    /// Shipped copies that replaced an older copy (docs/spool.md "Many sites").
    var updated = 0
    /// Shipped copies older than the stored copy, ignored (also counted in `duplicates`).
    var outdated = 0
    /// Records refused because their id is stored with other content (also in `rejects`,
    /// or in the reason of a file refused as a whole).
    var conflicting = 0
    /// Amends of ids not stored (refused like `conflicting`, counted as rejected records).
    var unknownAmends = 0
    /// Stored orders replaced by an amend (docs/spool.md "Orders": correcting an order).
    var ordersAmended = 0
    /// Credit notes whose order came later for another customer, and credit notes taking back
    /// more than their order (docs/roi.md "Credit notes"): each warned about in the log.
    var creditNotesMismatched = 0
    var creditNotesExceeding = 0

    /// Every counter, in the order a progress row stores them: a new counter goes at the end, so
    /// rows written before it still read (`RecordCountsTests` checks that none is missing here).
    static var all: [WritableKeyPath<RecordCounts, Int>] {
        [\.stored, \.duplicates, \.orders, \.orderDuplicates, \.amended, \.updated, \.outdated, \.conflicting, \.unknownAmends, \.ordersAmended,
         \.creditNotesMismatched, \.creditNotesExceeding]
    }

    /// What `self` counts beyond `earlier`: the counts of a commit since the one before.
    static func - (counts: RecordCounts, earlier: RecordCounts) -> RecordCounts {
        var delta = RecordCounts()
        for counter in all { delta[keyPath: counter] = counts[keyPath: counter] - earlier[keyPath: counter] }
        return delta
    }

    /// The counters as a progress row stores them.
    var encoded: [Int64] { Self.all.map { Int64(self[keyPath: $0]) } }

    /// Counters as `encoded` wrote them; a row of a release with fewer counters reads the missing
    /// ones as 0. Nil for more fields than there are counters (a newer release's row) or a negative count.
    init?<Fields: Collection<Int64>>(encoded fields: Fields) {
        guard fields.count <= Self.all.count, fields.allSatisfy({ $0 >= 0 && $0 <= Int64(Int32.max) }) else { return nil }
        for (counter, value) in zip(Self.all, fields) { self[keyPath: counter] = Int(value) }
    }

    init() {}
}
