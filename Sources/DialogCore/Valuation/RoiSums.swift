/// The additive figures of a set of conversations: what the aggregate tables store per bucket
/// and what every ROI and KPI figure is derived from. Sums of sums are exact (integers only).
/// Its figures are the columns of `RoiSumColumn`, the one table of them (docs/design.md).
public struct RoiSums: Sendable, Equatable {
    /// One lane per `RoiSumColumn` (its `rawValue`); lanes past the last column stay 0. A SIMD
    /// value, not key paths, because `+=` runs six times per ingested record (key paths: ~80× slower).
    public typealias Lanes = SIMD16<Int64>
    private(set) var lanes = Lanes()

    public init() {}

    /// The sums of one priced conversation: each column's `contribution`.
    public init(record: ConversationRecord, priced: PricedConversation) {
        for column in RoiSumColumn.table { lanes[column.column.rawValue] = column.contribution(record, priced) }
    }

    public subscript(_ column: RoiSumColumn) -> Int64 {
        get { lanes[column.rawValue] }
        set { lanes[column.rawValue] = newValue }
    }

    public var conversations: Int64 { get { self[.conversations] } set { self[.conversations] = newValue } }
    public var seconds: Int64 { get { self[.seconds] } set { self[.seconds] = newValue } }
    public var costCents: Int64 { get { self[.costCents] } set { self[.costCents] = newValue } }
    public var valueCents: Int64 { get { self[.valueCents] } set { self[.valueCents] = newValue } }
    public var satisfactionSum: Int64 { get { self[.satisfactionSum] } set { self[.satisfactionSum] = newValue } }
    public var satisfactionCount: Int64 { get { self[.satisfactionCount] } set { self[.satisfactionCount] = newValue } }
    /// Ratings of 4 or 5.
    public var satisfactionHigh: Int64 { get { self[.satisfactionHigh] } set { self[.satisfactionHigh] = newValue } }
    public var responseSeconds: Int64 { get { self[.responseSeconds] } set { self[.responseSeconds] = newValue } }
    public var responseCount: Int64 { get { self[.responseCount] } set { self[.responseCount] = newValue } }
    public var positive: Int64 { get { self[.positive] } set { self[.positive] = newValue } }
    public var neutral: Int64 { get { self[.neutral] } set { self[.neutral] = newValue } }
    public var negative: Int64 { get { self[.negative] } set { self[.negative] = newValue } }

    public static func + (a: RoiSums, b: RoiSums) -> RoiSums {
        var s = a
        s += b
        return s
    }

    /// The sums of `a` without `b` (a conversation moved out of a bucket).
    public static func - (a: RoiSums, b: RoiSums) -> RoiSums {
        var s = a
        // Lane by lane with Swift's checked arithmetic, as the named fields had: an overflow traps, never wraps.
        for i in 0..<RoiSumColumn.count { s.lanes[i] -= b.lanes[i] }
        return s
    }

    public static func += (a: inout RoiSums, b: RoiSums) {
        for i in 0..<RoiSumColumn.count { a.lanes[i] += b.lanes[i] }
    }
}

extension RoiSums: Codable {
    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Keyed by each column's Swift name (`costCents`), as the stored properties were before the table.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        for column in RoiSumColumn.allCases {
            self[column] = try container.decodeIfPresent(Int64.self, forKey: Key(stringValue: column.key)) ?? 0
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for column in RoiSumColumn.allCases { try container.encode(self[column], forKey: Key(stringValue: column.key)) }
    }
}
