import DialogCore

/// The ROI aggregates (`AggregateTable`): changed in the ingest transaction, rebuilt by
/// `recompute`, tagged in `meta` with the fingerprint of the valuation they were built with.
extension ConversationStore {
    static let valuationMetaKey = "valuation_fingerprint"

    /// floor(date / 3600), also for dates before 1970.
    public static func hour(of date: Int64) -> Int64 {
        RoiQuery.floorHour(date)
    }

    /// Adds one priced record to the aggregates: buffered inside `transaction` (written at
    /// commit, or early when the buffer grows large), written at once otherwise. An early
    /// write inside a savepoint is safe: rolling back undoes it and `savepoint` restores the
    /// buffer as it was when the savepoint began.
    func addToAggregates(_ record: ConversationRecord, _ priced: PricedConversation, sums: RoiSums? = nil, site: String) throws {
        #if DIALOGBENCH_NO_AGGREGATES
        // A benchmark-only build (docs/benchmarks.md) that measures what the aggregates cost ingest.
        #else
        pendingAggregates.add(record, priced, sums: sums, site: site)
        try flushAggregatesIfDue()
        #endif
    }

    /// Takes one priced record back out of the aggregates (a relabel moves it).
    func subtractFromAggregates(_ record: ConversationRecord, _ priced: PricedConversation, site: String) throws {
        pendingAggregates.add(record, priced, site: site, sign: -1)
        try flushAggregatesIfDue()
    }

    /// Writes the buffer at once outside a transaction, and early inside one when it reaches its
    /// bound. Every other table's rows are at most three per `hourly` row, so that count bounds all.
    func flushAggregatesIfDue() throws {
        let due = inOpenTransaction
            ? pendingAggregates.hourly.count >= maxOpenBufferedBuckets || pendingAggregates.estimatedBytes >= Self.maxOpenBufferedBytes
            : pendingAggregates.hourly.count >= maxBufferedBuckets
        if !defersAggregates || due { try flushAggregates() }
    }

    /// Writes the buffered aggregate changes with one UPSERT per touched row that changed.
    func flushAggregates() throws {
        guard !pendingAggregates.isEmpty else { return }
        let buffer = pendingAggregates
        pendingAggregates = AggregateBuffer()
        try write(buffer)
    }

    private func write(_ buffer: AggregateBuffer) throws {
        let zero = RoiSums()
        for (table, rows) in buffer.tables {
            let statement = try database.cachedStatement(table.upsertSQL)
            let keyCount = table.keys.count
            let siteAt = 2 + (table.siteIndex ?? 0)
            // A share taken out and put back in the same batch (a customer's unchanged orders
            // attributed again) nets to zero: nothing to write.
            for (key, sums) in rows where sums != zero {
                try statement.bind(key.time, at: 1)
                texts.removeAll()
                texts.append(buffer.labels.text(key.site), at: siteAt)
                // The other keys a, b, c, d fill the remaining key columns in order.
                var position = 2
                for other in 0..<(keyCount - 1) {
                    if position == siteAt { position += 1 }
                    let id = other == 0 ? key.a : other == 1 ? key.b : other == 2 ? key.c : key.d
                    texts.append(buffer.labels.text(id), at: position)
                    position += 1
                }
                let base = 2 + keyCount
                for column in RoiSumColumn.allCases { try statement.bind(sums[column], at: base + column.rawValue) }
                try statement.run(&texts)
            }
        }
        try flushOrderTotals(buffer.orderTotals)
    }

    /// Whether the stored figures were built with a valuation other than the adopted one (or
    /// are unpriced rows from before the ROI engine). An empty store is never stale.
    public func valuationIsStale() throws -> Bool {
        let stored = try meta(Self.valuationMetaKey)
        if stored == valuation.fingerprint { return false }
        return try database.scalar("SELECT EXISTS (SELECT 1 FROM conversations)", as: Bool.self) ?? false
    }

    /// Sets `valuation`; an empty store records its fingerprint at once, so the first
    /// ingest needs no recompute. Returns whether stored figures are stale for it.
    @discardableResult
    public func adopt(_ valuation: Valuation) throws -> Bool {
        self.valuation = valuation
        if try conversationCount() == 0 {
            try setMeta(Self.valuationMetaKey, valuation.fingerprint)
            return false
        }
        return try valuationIsStale()
    }

    /// Prices every stored conversation again with `repricing` (the pipeline's, `RecordLabeler.recompute`)
    /// and rebuilds the aggregates from them, in one transaction; afterwards the figures equal a
    /// fresh ingest with its valuation, whose fingerprint they are tagged with. Labels a rule, the
    /// model or a reviewer gave count as the record's own (v3 sources). Returns the rows priced.
    @discardableResult
    public func recompute(_ repricing: Repricing) throws -> Int {
        try transaction {
            let update = try database.prepare("""
                UPDATE conversations SET department_final = ?, outcome_final = ?, duration_s_effective = ?,
                    cost_cents = ?, value_cents_effective = ?, department = ?, raw_department = ?, outcome = ?,
                    raw_outcome = ?, channel = ?, raw_channel = ?, revision = ? WHERE id = ?
                """)
            let revision = try nextRevision()
            let select = try database.prepare("""
                SELECT id, date, employee, coalesce(raw_channel, channel), coalesce(raw_department, department),
                    coalesce(raw_outcome, outcome), duration_s, value_cents,
                    CASE WHEN department_source IN ('rule', 'model', 'review') THEN department_final END,
                    CASE WHEN outcome_source IN ('rule', 'model', 'review') THEN outcome_final END,
                    department_source IN ('rule', 'model', 'review'), outcome_source IN ('rule', 'model', 'review')
                FROM conversations\(recomputesShippedFigures ? "" : " WHERE site_revision IS NULL")
                """)
            var count = 0
            while try select.step() {
                let row = select.row
                let decidedDepartment: Bool = row[10] as Bool? ?? false
                let decidedOutcome: Bool = row[11] as Bool? ?? false
                let repriced = repricing(StoredForPricing(
                    date: row[1], employee: row[2], channel: row[3], department: row[4], outcome: row[5],
                    durationSeconds: row[6], valueCents: row[7],
                    decidedDepartment: decidedDepartment ? .some(row[8] as String?) : .none,
                    decidedOutcome: decidedOutcome ? .some(row[9] as String?) : .none))
                let id: Int64 = row[0]
                let priced = repriced.priced
                try update.bind(priced.department, at: 1)
                try update.bind(priced.outcome, at: 2)
                try update.bind(priced.durationSeconds, at: 3)
                try update.bind(priced.costCents, at: 4)
                try update.bind(priced.valueCents, at: 5)
                try update.bind(repriced.department.label, at: 6)
                try update.bind(repriced.department.raw, at: 7)
                try update.bind(repriced.outcome.label, at: 8)
                try update.bind(repriced.outcome.raw, at: 9)
                try update.bind(repriced.channel.label ?? "unknown", at: 10)
                try update.bind(repriced.channel.raw, at: 11)
                try update.bind(revision, at: 12)
                try update.bind(id, at: 13)
                try update.execute()
                count += 1
            }
            select.reset()
            // Orders are credited again with the current `[attribution]` (issue 14), then every
            // aggregate is rebuilt: the conversations' figures and the new shares.
            _ = try reattributeShares()
            try rebuildAggregates()
            try setMeta(Self.valuationMetaKey, repricing.valuation.fingerprint)
            return count
        }
    }

    /// Rebuilds every aggregate table from the priced columns (call inside a transaction):
    /// `roi_hourly` by one GROUP BY over the conversations, the daily tables from it, the weekly
    /// ones from those; then the stored shares and order totals on top (`rebuildAttributedAggregates`).
    func rebuildAggregates() throws {
        for table in AggregateTable.all { try database.execute("DELETE FROM \(table.name)") }
        let sums = AggregateTable.sumsSelect
        let fromConversations = RoiSumColumn.table.map(\.fromConversations).joined(separator: ", ")
        try database.execute("""
            INSERT INTO roi_hourly (\(AggregateTable.hourly.columns.joined(separator: ", ")))
            SELECT date / 3600 - (date % 3600 < 0), site, coalesce(department_final, ''),
                coalesce(outcome_final, ''), channel, employee, \(fromConversations)
            FROM conversations
            GROUP BY 1, 2, 3, 4, 5, 6
            """)
        let day = "hour / 24 - (hour % 24 < 0)"
        func into(_ table: AggregateTable) -> String { "INSERT INTO \(table.name) (\(table.columns.joined(separator: ", ")))" }
        try database.execute("\(into(.hourlyDepartment)) SELECT hour, site, department, \(sums) FROM roi_hourly GROUP BY 1, 2, 3")
        try database.execute("\(into(.dailyDimension)) SELECT \(day), 'department', site, department, '', \(sums) FROM roi_hourly_department GROUP BY 1, 3, 4")
        for other in AggregateTable.pairs {
            try database.execute("""
                \(into(.dailyDimension)) SELECT \(day), 'department/\(other)', site, department, \(other), \(sums)
                FROM roi_hourly GROUP BY 1, 3, 4, 5
                """)
        }
        try database.execute("\(into(.dailyActivity)) SELECT \(day), site, employee, channel, \(sums) FROM roi_hourly GROUP BY 1, 2, 3, 4")
        let week = "day / 7 - (day % 7 < 0)"
        try database.execute("\(into(.weeklyDimension)) SELECT \(week), dim, site, a, b, \(sums) FROM roi_daily_dim GROUP BY 1, 2, 3, 4, 5")
        try database.execute("\(into(.weeklyActivity)) SELECT \(week), site, employee, channel, \(sums) FROM roi_daily_activity GROUP BY 1, 2, 3, 4")
        try rebuildAttributedAggregates()
    }
}
