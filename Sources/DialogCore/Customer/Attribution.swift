import Foundation

/// How an order's amount is shared among its touches (docs/roi.md "Orders and attribution").
public enum AttributionModel: Sendable, Equatable, CustomStringConvertible {
    case lastTouch, firstTouch, linear
    /// Each touch weighs 2^(−age / half-life), its age counted back from the order's date.
    case timeDecay(halfLifeSeconds: Int64)
    /// 40 % to the first touch, 40 % to the last, 20 % spread evenly over those between.
    case position

    /// The config spelling (`[attribution] model`).
    public var name: String {
        switch self {
        case .lastTouch: "last_touch"
        case .firstTouch: "first_touch"
        case .linear: "linear"
        case .timeDecay: "time_decay"
        case .position: "position"
        }
    }

    public var description: String {
        if case .timeDecay(let h) = self { return "time_decay (half-life \(DurationFormat.describe(h)))" }
        return name
    }
}

/// `[attribution]`: the model and how far back a conversation still counts as a touch.
public struct AttributionConfig: Sendable, Equatable {
    /// `last_touch`, `first_touch`, `linear`, `time_decay` or `position`.
    public var modelName = "linear"
    /// For `time_decay`: a touch this much older than the order weighs half as much.
    public var halfLifeSeconds: Int64 = 7 * 86_400
    /// Touches are conversations dated from order date − lookback to the order date, inclusive.
    public var lookbackSeconds: Int64 = 90 * 86_400
    /// An order's touches are at most this many: the latest of its lookback (`touchRange`), so
    /// one arriving conversation re-attributes at most orders-in-its-lookback × this many shares.
    public var maxTouches = AttributionConfig.defaultMaxTouches
    public static let defaultMaxTouches = 100
    /// The largest `max_touches` the config takes.
    public static let maxTouchesLimit = 10_000
    /// At most this many orders of one customer dated within `lookback` before or after a new
    /// one: every conversation of the customer re-attributes the orders in its lookback ahead,
    /// so this bounds one arrival's work at orders × `maxTouches` (an order beyond it is
    /// refused with a reason; docs/roi.md "How many orders"). Not in the fingerprint: it changes no share.
    public var maxOrders = AttributionConfig.defaultMaxOrders
    public static let defaultMaxOrders = 1_000
    public static let maxOrdersLimit = 1_000_000
    public static let modelNames = ["last_touch", "first_touch", "linear", "time_decay", "position"]

    public init(modelName: String = "linear", halfLifeSeconds: Int64 = 7 * 86_400, lookbackSeconds: Int64 = 90 * 86_400,
                maxTouches: Int = AttributionConfig.defaultMaxTouches) {
        self.modelName = modelName
        self.halfLifeSeconds = halfLifeSeconds
        self.lookbackSeconds = lookbackSeconds
        self.maxTouches = maxTouches
    }

    public var model: AttributionModel {
        switch modelName {
        case "last_touch": .lastTouch
        case "first_touch": .firstTouch
        case "time_decay": .timeDecay(halfLifeSeconds: halfLifeSeconds)
        case "position": .position
        default: .linear
        }
    }

    /// Model, lookback and touch cap as text: stored shares made with another one are stale.
    /// The default cap is left out, so a store attributed before the cap existed is not flagged.
    public var fingerprint: String {
        var text = model.name + ";lookback=\(lookbackSeconds)"
        if case .timeDecay(let h) = model { text += ";half_life=\(h)" }
        if maxTouches != Self.defaultMaxTouches { text += ";max_touches=\(maxTouches)" }
        return text
    }

    /// How `status`, the pyramid and the daemon's warning say shares are stale: one wording,
    /// so a half-life change is never reported as "another model".
    public static let staleWording = "made with another [attribution] model, lookback, half-life or max_touches"

    /// The settings that differ between a stored `fingerprint` and this config, as the config
    /// spells them with old and new value (`half_life 7d → 10d`); empty when nothing differs.
    public func changes(since stored: String) -> [String] {
        let old = Self.fields(stored), new = Self.fields(fingerprint)
        func seconds(_ text: String?) -> String { text.flatMap { Int64($0) }.map(DurationFormat.describe) ?? "none" }
        var changes: [String] = []
        if old["model"] != new["model"] { changes.append("model \(old["model"] ?? "?") → \(new["model"] ?? "?")") }
        if old["half_life"] != new["half_life"] {
            changes.append("half_life \(seconds(old["half_life"])) → \(seconds(new["half_life"]))")
        }
        if old["lookback"] != new["lookback"] {
            changes.append("lookback \(seconds(old["lookback"])) → \(seconds(new["lookback"]))")
        }
        if old["max_touches"] != new["max_touches"] {
            let cap = { (text: String?) in text ?? String(Self.defaultMaxTouches) }
            changes.append("max_touches \(cap(old["max_touches"])) → \(cap(new["max_touches"]))")
        }
        return changes
    }

    /// A fingerprint's parts: its first item is the model, the others `key=value`.
    static func fields(_ fingerprint: String) -> [String: String] {
        var fields: [String: String] = [:]
        for (index, item) in fingerprint.split(separator: ";").enumerated() {
            if index == 0 { fields["model"] = String(item); continue }
            let pair = item.split(separator: "=", maxSplits: 1)
            if pair.count == 2 { fields[String(pair[0])] = String(pair[1]) }
        }
        return fields
    }
}

/// Pure allocation: an order's amount in integer cents split over its touches so the shares
/// add up to the amount exactly (docs/roi.md has the rule and a worked example per model).
public enum Attribution {
    /// Which of `count` touches in an order's lookback (ordered by date, then key: oldest first)
    /// count: the latest `maxTouches` (at least one). The first touch is the earliest of those.
    public static func touchRange(count: Int, maxTouches: Int) -> Range<Int> {
        max(0, count - max(1, maxTouches))..<max(0, count)
    }

    /// Shares for touches dated `touchDates` (ordered by date, then key: oldest first), of an
    /// order of `amountCents` dated `orderDate`; one share per touch, none without touches.
    ///
    /// Every model gives each touch a weight; a touch gets ⌊amount × weight / total weight⌋
    /// and the cents left over (fewer than the touches) go one each to the touches with the
    /// largest cut-off fraction, the latest first among equals — for `linear` that is
    /// amount ÷ n rounded down, the remaining cents one each to the latest touches. A credit
    /// note (negative amount) gets the negated shares of its magnitude, so it takes back
    /// exactly what the same order gave.
    public static func shares(amountCents: Int64, touchDates: [Int64], orderDate: Int64, model: AttributionModel) -> [Int64] {
        guard !touchDates.isEmpty else { return [] }
        if amountCents < 0 {
            // magnitude of Int64.min does not fit; amounts are bounded far below it by parsing.
            let positive = amountCents == .min ? Int64.max : -amountCents
            return shares(amountCents: positive, touchDates: touchDates, orderDate: orderDate, model: model).map { -$0 }
        }
        return allocate(UInt64(amountCents), weights: weights(touchDates, orderDate: orderDate, model: model)).map { Int64($0) }
    }

    /// Shares of a credit note that names its order (docs/roi.md "Credit notes"): `amountCents`
    /// split over the order's touches in proportion to the order's shares `orderShares` (their
    /// magnitudes), by the same rule as an order — ⌊amount × share ÷ total⌋, the cents left one
    /// each to the largest cut-off fractions, the latest first — so the shares add up to the
    /// credit note exactly and a full credit note is exactly the order's shares negated.
    /// None when the order has no share.
    public static func shares(amountCents: Int64, proportionalTo orderShares: [Int64]) -> [Int64] {
        let weights = orderShares.map { $0.magnitude }
        guard weights.contains(where: { $0 > 0 }) else { return [] }
        let magnitude = amountCents == .min ? UInt64(Int64.max) : amountCents.magnitude
        let split = allocate(magnitude, weights: weights).map { Int64($0) }
        return amountCents < 0 ? split.map { -$0 } : split
    }

    /// Integer weights per touch (never all zero).
    static func weights(_ dates: [Int64], orderDate: Int64, model: AttributionModel) -> [UInt64] {
        let n = dates.count
        switch model {
        case .lastTouch: return (0..<n).map { $0 == n - 1 ? 1 : 0 }
        case .firstTouch: return (0..<n).map { $0 == 0 ? 1 : 0 }
        case .linear: return Array(repeating: 1, count: n)
        case .position:
            if n <= 2 { return Array(repeating: 1, count: n) }
            // first 40 %, last 40 %, each of the n − 2 middle touches 20 % / (n − 2).
            let ends = UInt64(4 * (n - 2))
            return (0..<n).map { $0 == 0 || $0 == n - 1 ? ends : 2 }
        case .timeDecay(let halfLife):
            // 2^(−age/h) in units of 2^−20, at least 1: the same touches always weigh the same.
            let h = Double(max(1, halfLife))
            return dates.map { date in
                let age = Double(max(0, orderDate &- date))
                return UInt64(max(1, (exp2(-age / h) * 1_048_576).rounded()))
            }
        }
    }

    /// Largest-remainder split of `amount` by `weights`; ties go to the later touch.
    static func allocate(_ amount: UInt64, weights: [UInt64]) -> [UInt64] {
        let total = weights.reduce(0, +)
        guard total > 0 else { return weights.map { _ in 0 } }
        var shares: [UInt64] = []
        var fractions: [UInt64] = []
        shares.reserveCapacity(weights.count)
        for w in weights {
            let product = amount.multipliedFullWidth(by: w)
            let (q, r) = total.dividingFullWidth(product)
            shares.append(q)
            fractions.append(r)
        }
        var left = amount - shares.reduce(0, +)
        let order = weights.indices.sorted { fractions[$0] != fractions[$1] ? fractions[$0] > fractions[$1] : $0 > $1 }
        for i in order where left > 0 {
            shares[i] += 1
            left -= 1
        }
        return shares
    }
}
