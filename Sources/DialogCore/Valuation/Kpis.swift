/// The aggregate sums of one department paired with one outcome, or with one channel: the
/// two partitions of a set of conversations that KPIs are computed from.
public struct AggregateCell: Sendable, Equatable {
    /// `nil` = unassigned.
    public var department: String?
    /// The outcome (`nil` = unclassified) or the channel, depending on the partition.
    public var label: String?
    public var sums: RoiSums

    public init(department: String?, label: String?, sums: RoiSums) {
        self.department = department
        self.label = label
        self.sums = sums
    }
}

/// Positive : neutral : negative counts and shares of the conversations with a sentiment.
public struct SentimentRatio: Sendable, Equatable, Codable {
    public var positive: Int64
    public var neutral: Int64
    public var negative: Int64
    public var positiveShare: Double?
    public var negativeShare: Double?

    public init(_ s: RoiSums) {
        positive = s.positive
        neutral = s.neutral
        negative = s.negative
        let n = s.positive + s.neutral + s.negative
        positiveShare = Kpis.share(s.positive, n)
        negativeShare = Kpis.share(s.negative, n)
    }

    enum CodingKeys: String, CodingKey {
        case positive, neutral, negative
        case positiveShare = "positive_share", negativeShare = "negative_share"
    }
}

/// The KPIs of docs/roi.md (Altimeter, Lovett and Owyang) over one set of conversations.
/// Ratios are `nil` when their denominator is 0; money is integer cents. See docs/roi.md.
public struct Kpis: Sendable, Equatable, Codable {
    public var figures: RoiFigures
    /// resolved / (resolved + escalated + unresolved)
    public var resolutionRate: Double?
    /// Mean `response_time` of conversations that logged one, seconds.
    public var resolutionTimeSeconds: Double?
    public var satisfactionMean: Double?
    /// Share of ratings that are 4 or 5.
    public var satisfactionShareHigh: Double?
    public var sentiment: SentimentRatio
    /// Conversations per channel / all conversations, by channel.
    public var shareOfVoice: [String: Double]
    /// advocacy / all conversations.
    public var advocacyRate: Double?
    /// won / (won + lost)
    public var leadConversion: Double?
    public var ideas: Int64
    public var ideaValueCents: Int64
    /// Cost of service-department conversations / resolved, rounded half up; `nil` with none resolved.
    public var costPerResolutionCents: Int64?
    public var callCenterContactCostCents: Int64
    /// resolved × call-centre contact cost − service cost: what answering here instead of
    /// by the call centre saved (negative when it cost more); `nil` without service conversations.
    public var deflectionSavingsCents: Int64?
    /// Customers with a conversation who ordered within the lookback after it (docs/roi.md
    /// "Customer conversion"); set by `RoiReader.kpis` (it reads conversations and orders, not
    /// the aggregates), absent elsewhere.
    public var customerConversion: CustomerConversion?

    /// `outcomes`: the conversations partitioned by (department, outcome); `channels`: the same
    /// conversations partitioned by (department, channel). The resolution KPIs (rate, cost per
    /// resolution, deflection) count only `serviceDepartments` — those a resolution outcome
    /// belongs to in the config — so a sale marked `resolved` shows no resolution rate.
    public init(outcomes: [AggregateCell], channels: [AggregateCell], callCenterContactCostCents: Int64,
                serviceDepartments: Set<String> = ["service"]) {
        var total = RoiSums()
        var byOutcome: [String: RoiSums] = [:]
        var serviceOutcomes: [String: Int64] = [:]
        var byChannel: [String: Int64] = [:]
        var serviceCost: Int64 = 0
        var serviceConversations: Int64 = 0
        for cell in outcomes {
            total += cell.sums
            if let o = cell.label { byOutcome[o, default: RoiSums()] += cell.sums }
            if let d = cell.department, serviceDepartments.contains(d) {
                serviceCost += cell.sums.costCents
                serviceConversations += cell.sums.conversations
                if let o = cell.label { serviceOutcomes[o, default: 0] += cell.sums.conversations }
            }
        }
        for cell in channels {
            byChannel[cell.label ?? "", default: 0] += cell.sums.conversations
        }
        func count(_ o: String) -> Int64 { byOutcome[o]?.conversations ?? 0 }
        let resolved = serviceOutcomes["resolved"] ?? 0
        figures = RoiFigures(total)
        resolutionRate = Self.share(resolved, ValuationConfig.resolutionOutcomes.reduce(0) { $0 + (serviceOutcomes[$1] ?? 0) })
        resolutionTimeSeconds = total.responseCount == 0 ? nil : Double(total.responseSeconds) / Double(total.responseCount)
        satisfactionMean = total.satisfactionCount == 0 ? nil : Double(total.satisfactionSum) / Double(total.satisfactionCount)
        satisfactionShareHigh = Self.share(total.satisfactionHigh, total.satisfactionCount)
        sentiment = SentimentRatio(total)
        shareOfVoice = byChannel.compactMapValues { Self.share($0, total.conversations) }
        advocacyRate = Self.share(count("advocacy"), total.conversations)
        leadConversion = Self.share(count("won"), count("won") + count("lost"))
        ideas = count("idea")
        ideaValueCents = byOutcome["idea"]?.valueCents ?? 0
        costPerResolutionCents = resolved == 0 ? nil : (2 * serviceCost + resolved) / (2 * resolved)
        self.callCenterContactCostCents = callCenterContactCostCents
        deflectionSavingsCents = serviceConversations == 0 ? nil : resolved * callCenterContactCostCents - serviceCost
    }

    static func share(_ part: Int64, _ whole: Int64) -> Double? {
        whole == 0 ? nil : Double(part) / Double(whole)
    }

    enum CodingKeys: String, CodingKey {
        case figures, sentiment, ideas
        case resolutionRate = "resolution_rate", resolutionTimeSeconds = "resolution_time_s"
        case satisfactionMean = "satisfaction_mean", satisfactionShareHigh = "satisfaction_share_4_plus"
        case shareOfVoice = "share_of_voice", advocacyRate = "advocacy_rate", leadConversion = "lead_conversion"
        case ideaValueCents = "idea_value_cents", costPerResolutionCents = "cost_per_resolution_cents"
        case callCenterContactCostCents = "call_center_contact_cost_cents", deflectionSavingsCents = "deflection_savings_cents"
        case customerConversion = "customer_conversion"
    }
}
