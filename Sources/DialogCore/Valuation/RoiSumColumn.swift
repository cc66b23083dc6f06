/// The one table of the ROI sums (docs/design.md "where to add a sum"): for each, its column in
/// every aggregate table, what one priced conversation contributes, and the same summed by SQL
/// over stored conversations. `RoiSums`, the store's writes, its rebuild and `RoiReader` all
/// follow this table; a new case must also get a schema migration that adds its column to
/// every `roi_*` table (a test fails until it does). Order = `rawValue` = lane in `RoiSums`.
public enum RoiSumColumn: Int, CaseIterable, Sendable {
    case conversations, seconds, costCents, valueCents, satisfactionSum, satisfactionCount, satisfactionHigh
    case responseSeconds, responseCount, positive, neutral, negative
    /// Order revenue credited to conversations (issue 14): not a conversation's own figure but
    /// its order shares, added under the order's hour and the touch's labels
    /// (`AggregateBuffer.addShare`); a conversation alone adds 0.
    case attributedCents

    /// One row of the table.
    public struct Row: Sendable {
        public let column: RoiSumColumn
        /// The column's name in every aggregate table.
        public let name: String
        /// What one priced conversation adds to it.
        public let contribution: @Sendable (ConversationRecord, PricedConversation) -> Int64
        /// The same over a group of stored `conversations` rows (their priced columns), for a rebuild.
        public let fromConversations: String
        /// Its declaration in an aggregate table (every sum is an exact integer).
        public var sqlType: String { "INTEGER NOT NULL" }
    }

    // swiftlint:disable:next function_body_length
    private var row: Row {
        switch self {
        case .conversations: Row(column: self, name: "conversations", contribution: { _, _ in 1 }, fromConversations: "count(*)")
        case .seconds: Row(column: self, name: "seconds", contribution: { _, p in p.durationSeconds }, fromConversations: "sum(duration_s_effective)")
        case .costCents: Row(column: self, name: "cost_cents", contribution: { _, p in p.costCents }, fromConversations: "sum(cost_cents)")
        case .valueCents: Row(column: self, name: "value_cents", contribution: { _, p in p.valueCents }, fromConversations: "sum(value_cents_effective)")
        case .satisfactionSum:
            Row(column: self, name: "satisfaction_sum", contribution: { r, _ in r.satisfaction.map { Int64($0) } ?? 0 },
                fromConversations: "coalesce(sum(satisfaction), 0)")
        case .satisfactionCount:
            Row(column: self, name: "satisfaction_count", contribution: { r, _ in r.satisfaction == nil ? 0 : 1 },
                fromConversations: "count(satisfaction)")
        case .satisfactionHigh:
            Row(column: self, name: "satisfaction_high", contribution: { r, _ in (r.satisfaction ?? 0) >= 4 ? 1 : 0 },
                fromConversations: "count(CASE WHEN satisfaction >= 4 THEN 1 END)")
        case .responseSeconds:
            Row(column: self, name: "response_s_sum", contribution: { r, _ in r.responseTimeSeconds ?? 0 },
                fromConversations: "coalesce(sum(response_time_s), 0)")
        case .responseCount:
            Row(column: self, name: "response_count", contribution: { r, _ in r.responseTimeSeconds == nil ? 0 : 1 },
                fromConversations: "count(response_time_s)")
        // Counts of conversations counted with that (final) sentiment. Closures capture nothing:
        // a captured label would cost a retain per record on the ingest path.
        case .positive:
            Row(column: self, name: "positive", contribution: { r, _ in r.sentiment == "positive" ? 1 : 0 },
                fromConversations: "count(CASE WHEN sentiment_final = 'positive' THEN 1 END)")
        case .neutral:
            Row(column: self, name: "neutral", contribution: { r, _ in r.sentiment == "neutral" ? 1 : 0 },
                fromConversations: "count(CASE WHEN sentiment_final = 'neutral' THEN 1 END)")
        case .negative:
            Row(column: self, name: "negative", contribution: { r, _ in r.sentiment == "negative" ? 1 : 0 },
                fromConversations: "count(CASE WHEN sentiment_final = 'negative' THEN 1 END)")
        // Keyed by the order's hour, not the conversation's: the rebuild adds it from
        // `order_shares` (`ConversationStore.rebuildAttributed`).
        case .attributedCents: Row(column: self, name: "attributed_cents", contribution: { _, _ in 0 }, fromConversations: "0")
        }
    }

    /// Every row, in lane order (built once).
    public static let table: [Row] = allCases.map(\.row)
    public static let count = allCases.count

    /// The column's name in the aggregate tables.
    public var name: String { Self.table[rawValue].name }
    /// The Swift name (`costCents`), the key it is encoded under.
    public var key: String { String(describing: self) }
    /// Every column's name in lane order, for SQL column lists.
    public static let names: [String] = table.map(\.name)
}
