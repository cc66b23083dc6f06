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
    func addToAggregates(_ record: ConversationRecord, _ priced: PricedConversation) throws {
        #if DIALOGBENCH_NO_AGGREGATES
        // A benchmark-only build (docs/benchmarks.md) that measures what the aggregates cost ingest.
        #else
        pendingAggregates.add(record, priced)
        if !defersAggregates || pendingAggregates.hourly.count >= maxBufferedBuckets { try flushAggregates() }
        #endif
    }

    /// Takes one priced record back out of the aggregates (a relabel moves it).
    func subtractFromAggregates(_ record: ConversationRecord, _ priced: PricedConversation) throws {
        pendingAggregates.add(record, priced, sign: -1)
        if !defersAggregates || pendingAggregates.hourly.count >= maxBufferedBuckets { try flushAggregates() }
    }

    /// Writes the buffered aggregate changes with one UPSERT per touched row.
    func flushAggregates() throws {
        guard !pendingAggregates.isEmpty else { return }
        defer { pendingAggregates = AggregateBuffer() }
        for (table, rows) in pendingAggregates.tables {
            let statement = try database.cachedStatement(table.upsertSQL)
            let keyCount = table.keys.count
            for (key, sums) in rows {
                try statement.bind(key.time, at: 1)
                try statement.bind(key.a, at: 2)
                if keyCount > 1 { try statement.bind(key.b, at: 3) }
                if keyCount > 2 { try statement.bind(key.c, at: 4) }
                if keyCount > 3 { try statement.bind(key.d, at: 5) }
                let base = 2 + keyCount
                try statement.bind(sums.conversations, at: base)
                try statement.bind(sums.seconds, at: base + 1)
                try statement.bind(sums.costCents, at: base + 2)
                try statement.bind(sums.valueCents, at: base + 3)
                try statement.bind(sums.satisfactionSum, at: base + 4)
                try statement.bind(sums.satisfactionCount, at: base + 5)
                try statement.bind(sums.satisfactionHigh, at: base + 6)
                try statement.bind(sums.responseSeconds, at: base + 7)
                try statement.bind(sums.responseCount, at: base + 8)
                try statement.bind(sums.positive, at: base + 9)
                try statement.bind(sums.neutral, at: base + 10)
                try statement.bind(sums.negative, at: base + 11)
                try statement.execute()
            }
        }
    }

    /// Whether the stored figures were built with a valuation other than `current` (or are
    /// unpriced rows from before the ROI engine). An empty store is never stale.
    public func valuationIsStale(current: Valuation) throws -> Bool {
        let stored = try meta(Self.valuationMetaKey)
        if stored == current.fingerprint { return false }
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
        return try valuationIsStale(current: valuation)
    }

    /// Re-prices every stored conversation with `valuation` and rebuilds the aggregates from
    /// them, in one transaction; afterwards the figures equal a fresh ingest with these rates.
    /// Logged departments, outcomes and channels are mapped through the vocabulary again
    /// (issue 18): a drifted `vertrieb` from before aliases becomes `sales`, keeping its text
    /// in `raw_department`; one that still matches nothing counts as unassigned and waits in
    /// `review`. Returns the number of conversations priced.
    @discardableResult
    public func recompute() throws -> Int {
        let vocabulary = LabelVocabulary(valuation.config)
        return try transaction {
            let update = try database.prepare("""
                UPDATE conversations SET department_final = ?, outcome_final = ?, duration_s_effective = ?,
                    cost_cents = ?, value_cents_effective = ?, department = ?, raw_department = ?, outcome = ?,
                    raw_outcome = ?, channel = ?, raw_channel = ? WHERE id = ?
                """)
            // Labels a rule, the model or a reviewer gave count as the record's own (v3 sources).
            let select = try database.prepare("""
                SELECT id, date, employee, coalesce(raw_channel, channel), coalesce(raw_department, department),
                    coalesce(raw_outcome, outcome), duration_s, value_cents,
                    CASE WHEN department_source IN ('rule', 'model', 'review') THEN department_final END,
                    CASE WHEN outcome_source IN ('rule', 'model', 'review') THEN outcome_final END,
                    department_source IN ('rule', 'model', 'review'), outcome_source IN ('rule', 'model', 'review')
                FROM conversations
                """)
            var count = 0
            while try select.step() {
                let row = select.row
                let channel = Self.remap(channel: row[3], vocabulary)
                let department = Self.remap(row[4], .department, vocabulary)
                let outcome = Self.remap(row[5], .outcome, vocabulary)
                let decidedDepartment: Bool = row[10] as Bool? ?? false
                let decidedOutcome: Bool = row[11] as Bool? ?? false
                let record = ConversationRecord(
                    date: row[1], employee: row[2], channel: channel.label ?? "unknown",
                    department: decidedDepartment ? row[8] : department.label,
                    outcome: decidedOutcome ? row[9] : outcome.label,
                    durationSeconds: row[6], valueCents: row[7], rawDepartment: department.raw)
                let id: Int64 = row[0]
                let priced = valuation.price(record)
                try update.bind(priced.department, at: 1)
                try update.bind(priced.outcome, at: 2)
                try update.bind(priced.durationSeconds, at: 3)
                try update.bind(priced.costCents, at: 4)
                try update.bind(priced.valueCents, at: 5)
                try update.bind(department.label, at: 6)
                try update.bind(department.raw, at: 7)
                try update.bind(outcome.label, at: 8)
                try update.bind(outcome.raw, at: 9)
                try update.bind(channel.label ?? "unknown", at: 10)
                try update.bind(channel.raw, at: 11)
                try update.bind(id, at: 12)
                try update.execute()
                count += 1
            }
            select.reset()
            try rebuildAggregates()
            try setMeta(Self.valuationMetaKey, valuation.fingerprint)
            // Orders are credited again with the current `[attribution]` (issue 14).
            try reattributeAll()
            return count
        }
    }

    /// A stored department or outcome (its written text where kept) through the vocabulary.
    static func remap(_ written: String?, _ kind: LabelVocabulary.Kind, _ vocabulary: LabelVocabulary) -> MappedLabel {
        guard let written else { return MappedLabel(label: nil, raw: nil) }
        return MappedLabel.map(written, kind, vocabulary: vocabulary, normalized: FieldValues.label(written))
    }

    /// A stored channel through the vocabulary; `unknown` without written text stays so.
    static func remap(channel written: String, _ vocabulary: LabelVocabulary) -> MappedLabel {
        let label = vocabulary.resolve(written, .channel)
        if label == nil, written == "unknown" { return MappedLabel(label: nil, raw: nil) }
        return MappedLabel(label: label, raw: label == written.lowercased() ? nil : written)
    }

    /// Rebuilds every aggregate table from the priced columns (call inside a transaction):
    /// `roi_hourly` by one GROUP BY over the conversations, the daily tables from it.
    func rebuildAggregates() throws {
        for table in AggregateTable.all { try database.execute("DELETE FROM \(table.name)") }
        let sums = AggregateTable.sumsSelect
        try database.execute("""
            INSERT INTO roi_hourly
            SELECT date / 3600 - (date % 3600 < 0), coalesce(department_final, ''),
                coalesce(outcome_final, ''), channel, employee,
                count(*), sum(duration_s_effective), sum(cost_cents), sum(value_cents_effective),
                coalesce(sum(satisfaction), 0), count(satisfaction), count(CASE WHEN satisfaction >= 4 THEN 1 END),
                coalesce(sum(response_time_s), 0), count(response_time_s),
                count(CASE WHEN sentiment_final = 'positive' THEN 1 END), count(CASE WHEN sentiment_final = 'neutral' THEN 1 END),
                count(CASE WHEN sentiment_final = 'negative' THEN 1 END)
            FROM conversations
            GROUP BY 1, 2, 3, 4, 5
            """)
        let day = "hour / 24 - (hour % 24 < 0)"
        try database.execute("INSERT INTO roi_hourly_department SELECT hour, department, \(sums) FROM roi_hourly GROUP BY 1, 2")
        try database.execute("INSERT INTO roi_daily_dim SELECT \(day), 'department', department, '', \(sums) FROM roi_hourly_department GROUP BY 1, 3")
        for other in AggregateTable.pairs {
            try database.execute("""
                INSERT INTO roi_daily_dim SELECT \(day), 'department/\(other)', department, \(other), \(sums)
                FROM roi_hourly GROUP BY 1, 3, 4
                """)
        }
        try database.execute("INSERT INTO roi_daily_activity SELECT \(day), employee, channel, \(sums) FROM roi_hourly GROUP BY 1, 2, 3")
    }
}
