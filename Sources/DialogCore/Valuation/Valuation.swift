/// A conversation as priced: the labels it is counted under and its money figures.
public struct PricedConversation: Sendable, Equatable {
    /// Department it is counted under; `nil` = unassigned.
    public var department: String?
    /// Outcome it is counted under; `nil` = unclassified.
    public var outcome: String?
    /// Employee time used for the cost, seconds.
    public var durationSeconds: Int64
    public var costCents: Int64
    public var valueCents: Int64
    public var netCents: Int64 { valueCents - costCents }

    public init(department: String?, outcome: String?, durationSeconds: Int64, costCents: Int64, valueCents: Int64) {
        self.department = department
        self.outcome = outcome
        self.durationSeconds = durationSeconds
        self.costCents = costCents
        self.valueCents = valueCents
    }
}

/// Prices conversations (docs/roi.md), pure and deterministic:
/// `cost = round(duration_s × hourly_cost_cents / 3600) + cost_per_conversation`,
/// rounding half up on the exact rational; `value = (record value, else outcome default, else 0)
/// × the outcome's probability` (expected value), rounded half away from zero to the cent.
/// Only labels of the vocabulary count: any other department or outcome counts as unassigned.
public struct Valuation: Sendable, Equatable {
    public let config: ValuationConfig

    public init(_ config: ValuationConfig = ValuationConfig()) {
        self.config = config
    }

    /// The department a record is counted under: logged, else its outcome's department.
    public func department(of record: ConversationRecord) -> String? {
        if let d = record.department { return config.departments[d] == nil ? nil : d }
        // A logged department outside the vocabulary is not replaced by the outcome's guess.
        if record.rawDepartment != nil { return nil }
        if let o = record.outcome { return config.outcomes[o]?.department }
        return nil
    }

    /// `cents × basisPoints / 10000`, rounded half away from zero, saturating.
    public static func expected(_ cents: Int64, basisPoints: Int64) -> Int64 {
        if basisPoints == 10_000 { return cents }
        let (product, overflow) = cents.multipliedReportingOverflow(by: basisPoints)
        if overflow { return cents < 0 ? Int64.min / 2 : Int64.max / 2 }
        return product >= 0 ? (product + 5_000) / 10_000 : -((-product + 5_000) / 10_000)
    }

    /// Employee time: logged, else the channel's default, else the global default.
    public func duration(of record: ConversationRecord) -> Int64 {
        record.durationSeconds
            ?? config.channels[record.channel]?.defaultDurationSeconds
            ?? config.defaultDurationSeconds
    }

    /// Rate for `department`; unassigned or unknown departments use `default_hourly_cost`.
    public func hourlyCostCents(_ department: String?) -> Int64 {
        department.flatMap { config.departments[$0]?.hourlyCostCents } ?? config.defaultHourlyCostCents
    }

    /// `seconds × centsPerHour / 3600`, rounded half up (both are ≥ 0), saturating at Int64.max.
    public static func timeCost(seconds: Int64, centsPerHour: Int64) -> Int64 {
        let (product, overflow) = max(0, seconds).multipliedReportingOverflow(by: max(0, centsPerHour))
        if overflow { return Int64.max / 2 }
        return (product + 1800) / 3600
    }

    public func price(_ record: ConversationRecord) -> PricedConversation {
        let department = department(of: record)
        let seconds = duration(of: record)
        let cost = Self.timeCost(seconds: seconds, centsPerHour: hourlyCostCents(department)) + config.costPerConversationCents
        let outcome = record.outcome.flatMap { config.outcomes[$0] }
        let stated = record.valueCents ?? outcome?.valueCents ?? 0
        let value = Self.expected(stated, basisPoints: outcome?.probabilityBasisPoints ?? unknownOutcomeBasisPoints)
        return PricedConversation(department: department, outcome: outcome == nil ? nil : record.outcome,
                                  durationSeconds: seconds, costCents: cost, valueCents: value)
    }

    /// A stated value whose outcome is not known (unclassified, or a typo that matched no
    /// outcome) counts at the lowest probability any outcome has until it is labelled: a
    /// mistyped lead must not count its whole offer (issue 18). 1 when no outcome is uncertain.
    public var unknownOutcomeBasisPoints: Int64 {
        // A loop, not `map(…).min()`: every record is priced, and the array was one allocation each (issue 17).
        var lowest: Int64?
        for outcome in config.outcomes.values where lowest.map({ outcome.probabilityBasisPoints < $0 }) ?? true {
            lowest = outcome.probabilityBasisPoints
        }
        return lowest ?? 10_000
    }

    /// Every priced input in one stable text (sorted, one fact per line), so equal rates
    /// give equal fingerprints whatever order the config file lists them in.
    public var canonicalText: String {
        var lines = ["valuation v3",
                     "cost_per_conversation=\(config.costPerConversationCents)",
                     "default_duration=\(config.defaultDurationSeconds)",
                     "default_hourly_cost=\(config.defaultHourlyCostCents)"]
        for (name, d) in config.departments.sorted(by: { $0.key < $1.key }) {
            lines.append("department \(name) hourly_cost=\(d.hourlyCostCents) aliases=\(d.aliases.sorted().joined(separator: ","))")
        }
        for (name, o) in config.outcomes.sorted(by: { $0.key < $1.key }) {
            lines.append("outcome \(name) department=\(o.department ?? "-") value=\(o.valueCents) probability=\(o.probabilityBasisPoints) aliases=\(o.aliases.sorted().joined(separator: ","))")
        }
        for (name, c) in config.channels.sorted(by: { $0.key < $1.key }) {
            lines.append("channel \(name) default_duration=\(c.defaultDurationSeconds.map(String.init) ?? "-") aliases=\(c.aliases.sorted().joined(separator: ","))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// SHA-256 of `canonicalText`, hex: stored with the aggregates to notice a rate change.
    public var fingerprint: String { SHA256.hex(canonicalText) }
}
