import DialogCore

/// The hourly ROI aggregates (`roi_hourly`): kept in the ingest transaction, rebuilt by
/// `recompute`, tagged in `meta` with the fingerprint of the valuation they were built with.
extension ConversationStore {
    static let valuationMetaKey = "valuation_fingerprint"

    static let bucketSQL = """
        INSERT INTO roi_hourly VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (hour, department, outcome, channel, employee) DO UPDATE SET
            conversations = conversations + 1,
            seconds = seconds + excluded.seconds,
            cost_cents = cost_cents + excluded.cost_cents,
            value_cents = value_cents + excluded.value_cents,
            satisfaction_sum = satisfaction_sum + excluded.satisfaction_sum,
            satisfaction_count = satisfaction_count + excluded.satisfaction_count,
            satisfaction_high = satisfaction_high + excluded.satisfaction_high,
            response_s_sum = response_s_sum + excluded.response_s_sum,
            response_count = response_count + excluded.response_count,
            positive = positive + excluded.positive,
            neutral = neutral + excluded.neutral,
            negative = negative + excluded.negative
        """

    /// floor(date / 3600), also for dates before 1970.
    public static func hour(of date: Int64) -> Int64 {
        RoiQuery.floorHour(date)
    }

    /// Adds one priced record to its hourly bucket (UPSERT on a cached statement).
    func addToBuckets(_ record: ConversationRecord, _ priced: PricedConversation) throws {
        let statement: Statement
        if let bucketStatement {
            statement = bucketStatement
        } else {
            statement = try database.prepare(Self.bucketSQL)
            bucketStatement = statement
        }
        let sums = RoiSums(record: record, priced: priced)
        try statement.bind(Self.hour(of: record.date), at: 1)
        try statement.bind(priced.department ?? "", at: 2)
        try statement.bind(priced.outcome ?? "", at: 3)
        try statement.bind(record.channel, at: 4)
        try statement.bind(record.employee, at: 5)
        try statement.bind(sums.seconds, at: 6)
        try statement.bind(sums.costCents, at: 7)
        try statement.bind(sums.valueCents, at: 8)
        try statement.bind(sums.satisfactionSum, at: 9)
        try statement.bind(sums.satisfactionCount, at: 10)
        try statement.bind(sums.satisfactionHigh, at: 11)
        try statement.bind(sums.responseSeconds, at: 12)
        try statement.bind(sums.responseCount, at: 13)
        try statement.bind(sums.positive, at: 14)
        try statement.bind(sums.neutral, at: 15)
        try statement.bind(sums.negative, at: 16)
        try statement.execute()
    }

    /// Whether the stored figures were built with a valuation other than `current` (or are
    /// unpriced rows from before the ROI engine). An empty store is never stale.
    public func valuationIsStale(current: Valuation) throws -> Bool {
        let stored = try meta(Self.valuationMetaKey)
        if stored == current.fingerprint { return false }
        return try conversationCount() > 0
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

    /// Re-prices every stored conversation with `valuation` and rebuilds `roi_hourly` from
    /// them, in one transaction; afterwards the figures equal a fresh ingest with these rates.
    /// Returns the number of conversations priced.
    @discardableResult
    public func recompute() throws -> Int {
        try transaction {
            let update = try database.prepare("""
                UPDATE conversations SET department_final = ?, outcome_final = ?, duration_s_effective = ?,
                    cost_cents = ?, value_cents_effective = ? WHERE id = ?
                """)
            let select = try database.prepare("""
                SELECT id, date, employee, channel, department, outcome, duration_s, value_cents FROM conversations
                """)
            var count = 0
            while try select.step() {
                let row = select.row
                let record = ConversationRecord(
                    date: row[1], employee: row[2], channel: row[3], department: row[4], outcome: row[5],
                    durationSeconds: row[6], valueCents: row[7])
                let id: Int64 = row[0]
                let priced = valuation.price(record)
                try update.bind(priced.department, at: 1)
                try update.bind(priced.outcome, at: 2)
                try update.bind(priced.durationSeconds, at: 3)
                try update.bind(priced.costCents, at: 4)
                try update.bind(priced.valueCents, at: 5)
                try update.bind(id, at: 6)
                try update.execute()
                count += 1
            }
            select.reset()
            try rebuildAggregates()
            try setMeta(Self.valuationMetaKey, valuation.fingerprint)
            return count
        }
    }

    /// Rebuilds `roi_hourly` from the priced columns with one GROUP BY (call inside a transaction).
    func rebuildAggregates() throws {
        try database.execute("DELETE FROM roi_hourly")
        try database.execute("""
            INSERT INTO roi_hourly
            SELECT date / 3600 - (date % 3600 < 0), coalesce(department_final, ''),
                coalesce(outcome_final, ''), channel, employee,
                count(*), sum(duration_s_effective), sum(cost_cents), sum(value_cents_effective),
                coalesce(sum(satisfaction), 0), count(satisfaction), count(CASE WHEN satisfaction >= 4 THEN 1 END),
                coalesce(sum(response_time_s), 0), count(response_time_s),
                count(CASE WHEN sentiment = 'positive' THEN 1 END), count(CASE WHEN sentiment = 'neutral' THEN 1 END),
                count(CASE WHEN sentiment = 'negative' THEN 1 END)
            FROM conversations
            GROUP BY 1, 2, 3, 4, 5
            """)
    }
}
