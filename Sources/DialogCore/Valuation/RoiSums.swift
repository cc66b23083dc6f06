/// The additive figures of a set of conversations: what the aggregate tables store per bucket
/// and what every ROI and KPI figure is derived from. Sums of sums are exact (integers only).
/// Its figures are the columns of `RoiSumColumn`, the one table of them (docs/design.md).
public struct RoiSums: Sendable, Equatable {
    /// One lane per `RoiSumColumn` (its `rawValue`), unused lanes 0. A fixed tuple walked by
    /// pointer, not key paths or a SIMD subscript: `+=` runs six times per ingested record, and
    /// both of those measured 20–80× slower than named fields; this is within 2× of them.
    typealias Lanes = (Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64)
    /// How many sums `RoiSumColumn` may have; a 17th widens `Lanes`.
    public static let capacity = 16
    private var lanes: Lanes = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

    @inline(__always)
    private mutating func withLanes<R>(_ body: (UnsafeMutablePointer<Int64>) throws -> R) rethrows -> R {
        try withUnsafeMutablePointer(to: &lanes) { try $0.withMemoryRebound(to: Int64.self, capacity: Self.capacity, body) }
    }

    @inline(__always)
    private func withLanes<R>(_ body: (UnsafePointer<Int64>) throws -> R) rethrows -> R {
        try withUnsafePointer(to: lanes) { try $0.withMemoryRebound(to: Int64.self, capacity: Self.capacity, body) }
    }

    public init() {}

    /// The sums of one priced conversation: each column's `contribution`.
    public init(record: ConversationRecord, priced: PricedConversation) {
        let table = RoiSumColumn.table
        withLanes { lane in
            for row in table { lane[row.column.rawValue] = row.contribution(record, priced) }
        }
    }

    public subscript(_ column: RoiSumColumn) -> Int64 {
        get { withLanes { $0[column.rawValue] } }
        set { withLanes { $0[column.rawValue] = newValue } }
    }

    public static func == (a: RoiSums, b: RoiSums) -> Bool {
        a.withLanes { pa in b.withLanes { pb in (0..<capacity).allSatisfy { pa[$0] == pb[$0] } } }
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
    /// Order revenue credited to these conversations' labels, by the order's date (docs/roi.md).
    public var attributedCents: Int64 { get { self[.attributedCents] } set { self[.attributedCents] = newValue } }

    public static func + (a: RoiSums, b: RoiSums) -> RoiSums {
        var s = a
        s += b
        return s
    }

    /// The sums of `a` without `b` (a conversation moved out of a bucket).
    public static func - (a: RoiSums, b: RoiSums) -> RoiSums {
        var s = a
        // Lane by lane with Swift's checked arithmetic, as the named fields had: an overflow traps, never wraps.
        s.withLanes { ps in b.withLanes { pb in for i in 0..<RoiSumColumn.count { ps[i] -= pb[i] } } }
        return s
    }

    public static func += (a: inout RoiSums, b: RoiSums) {
        a.withLanes { pa in b.withLanes { pb in for i in 0..<RoiSumColumn.count { pa[i] += pb[i] } } }
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
