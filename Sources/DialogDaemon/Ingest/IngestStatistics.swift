/// Running totals since start, for the log, `status` and metrics.
public struct IngestStatistics: Sendable, Equatable {
    public var batches = 0
    public var filesArchived = 0
    public var filesQuarantined = 0
    public var recordsStored = 0
    public var recordsDuplicate = 0
    public var recordsRejected = 0
    /// Refused: the id is stored with other content (docs/spool.md).
    public var recordsConflicting = 0
    /// Stored records replaced by an amend.
    public var recordsAmended = 0
    /// Shipped copies that replaced an older copy of their record.
    public var recordsUpdated = 0
    /// Shipped copies older than the stored copy, ignored (counted in `recordsDuplicate` too).
    public var recordsOutdated = 0
    /// Orders stored, orders already stored with the same content, and stored orders replaced
    /// by an amend (docs/spool.md "Orders"); never counted as records above. An order refused
    /// as a conflict counts in `recordsConflicting`, a rejected one in `recordsRejected`.
    public var ordersStored = 0
    public var orderDuplicates = 0
    public var ordersAmended = 0
    public var lastBatchFiles = 0
    public var lastBatchMilliseconds: Int64 = 0
    public var lastError: String?

    public init() {}

    /// Record and order counts of a commit: a batch's files, or a large file's slice (a file counts once it has left `new/`).
    mutating func count(_ counted: IngestBatch.FileResult) {
        recordsStored += counted.stored
        recordsDuplicate += counted.duplicates
        recordsAmended += counted.amended
        recordsUpdated += counted.updated
        recordsOutdated += counted.outdated
        recordsConflicting += counted.conflicting
        ordersStored += counted.orders
        orderDuplicates += counted.orderDuplicates
        ordersAmended += counted.ordersAmended
    }

    /// A batch's records count at its commit, when they became durable.
    mutating func countCommitted(_ results: [IngestBatch.FileResult], milliseconds: Int64) {
        batches += 1
        lastBatchFiles = results.count
        lastBatchMilliseconds = milliseconds
        for result in results {
            count(result)
            recordsRejected += result.rejectedRecords
        }
    }

    /// Files count once they have left `new/`; one its dropper took back (or another file replaced) counts as neither.
    mutating func countMoved(_ results: [IngestBatch.FileResult]) {
        for result in results where !result.leftInPlace {
            if result.quarantineReason == nil { filesArchived += 1 } else { filesQuarantined += 1 }
        }
    }
}

extension IngestService {
    /// The one-line summary for `STATUS=` and the exit line.
    func statusLine() -> String {
        let s = statistics
        // ROI engine (issue 3): a stale valuation shows in STATUS= until recompute.
        let stale = (try? store.valuationIsStale()) == true || (try? store.attributionIsStale()) == true
        let roi = stale ? ", ROI figures stale (run recompute)" : ""
        let paused = pause.reason.map { "ingest paused: \($0); " } ?? ""
        // A conflict is a writer's problem that needs a person: it shows until the daemon restarts.
        let conflicts = s.recordsConflicting > 0 ? ", \(s.recordsConflicting) conflicting" : ""
        return paused + "\(s.recordsStored) stored, \(s.recordsDuplicate) duplicate\(conflicts), \(s.filesQuarantined) file(s) quarantined, \(waitingCount) waiting" + roi
    }
}
