/// The additive figures of a set of conversations: what the aggregate table stores per bucket
/// and what every ROI and KPI figure is derived from. Sums of sums are exact (integers only).
public struct RoiSums: Sendable, Equatable, Codable {
    public var conversations: Int64 = 0
    public var seconds: Int64 = 0
    public var costCents: Int64 = 0
    public var valueCents: Int64 = 0
    public var satisfactionSum: Int64 = 0
    public var satisfactionCount: Int64 = 0
    /// Ratings of 4 or 5.
    public var satisfactionHigh: Int64 = 0
    public var responseSeconds: Int64 = 0
    public var responseCount: Int64 = 0
    public var positive: Int64 = 0
    public var neutral: Int64 = 0
    public var negative: Int64 = 0

    public init() {}

    /// The sums of one priced conversation.
    public init(record: ConversationRecord, priced: PricedConversation) {
        conversations = 1
        seconds = priced.durationSeconds
        costCents = priced.costCents
        valueCents = priced.valueCents
        if let s = record.satisfaction {
            satisfactionSum = Int64(s)
            satisfactionCount = 1
            satisfactionHigh = s >= 4 ? 1 : 0
        }
        if let r = record.responseTimeSeconds {
            responseSeconds = r
            responseCount = 1
        }
        switch record.sentiment {
        case "positive": positive = 1
        case "neutral": neutral = 1
        case "negative": negative = 1
        default: break
        }
    }

    public static func + (a: RoiSums, b: RoiSums) -> RoiSums {
        var s = a
        s += b
        return s
    }

    /// The sums of `a` without `b` (a conversation moved out of a bucket).
    public static func - (a: RoiSums, b: RoiSums) -> RoiSums {
        var s = a
        s.conversations -= b.conversations; s.seconds -= b.seconds; s.costCents -= b.costCents; s.valueCents -= b.valueCents
        s.satisfactionSum -= b.satisfactionSum; s.satisfactionCount -= b.satisfactionCount; s.satisfactionHigh -= b.satisfactionHigh
        s.responseSeconds -= b.responseSeconds; s.responseCount -= b.responseCount
        s.positive -= b.positive; s.neutral -= b.neutral; s.negative -= b.negative
        return s
    }

    public static func += (a: inout RoiSums, b: RoiSums) {
        a.conversations += b.conversations
        a.seconds += b.seconds
        a.costCents += b.costCents
        a.valueCents += b.valueCents
        a.satisfactionSum += b.satisfactionSum
        a.satisfactionCount += b.satisfactionCount
        a.satisfactionHigh += b.satisfactionHigh
        a.responseSeconds += b.responseSeconds
        a.responseCount += b.responseCount
        a.positive += b.positive
        a.neutral += b.neutral
        a.negative += b.negative
    }
}
