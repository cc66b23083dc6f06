/// Revenue from orders beside the logged value in the pyramid's executive level (docs/roi.md
/// "Order revenue in the pyramid"): a figure only where it applies, so a store without orders
/// says so instead of showing an ROI of −100 % on revenue nobody fed in.
public struct OrderRevenue: Sendable, Equatable, Codable {
    /// `[attribution] model` the shares were made with (`linear`, `time_decay`, …).
    public var model: String
    public var lookbackSeconds: Int64
    /// `time_decay` only.
    public var halfLifeSeconds: Int64?
    /// The stored shares were made with another model, lookback, half-life or max_touches (`dialogctl recompute`).
    public var stale: Bool
    /// Whether the store holds any order at all; `false`: every figure below is absent.
    public var hasOrders: Bool
    /// Orders dated in the window, whatever the filters (the denominator of "applies").
    public var ordersInWindow: Int64?
    /// Shares of the window's orders credited to the conversations the filters keep.
    public var attributedCents: Int64?
    /// (attributed − cost) / cost, beside the ROI on logged value; absent without orders in
    /// the window or without cost.
    public var roi: Double?
    /// Without filters only (as `roi --json`'s total): the window's order amount and the part
    /// of it that had no conversation before it, also as a share of `orders_cents`.
    public var ordersCents: Int64?
    public var unattributedCents: Int64?
    /// unattributed / orders; absent unless `orders_cents` > 0.
    public var unattributedShare: Double?

    public init(attribution: AttributionConfig, stale: Bool, hasOrders: Bool) {
        model = attribution.model.name
        lookbackSeconds = attribution.lookbackSeconds
        if case .timeDecay(let h) = attribution.model { halfLifeSeconds = h }
        self.stale = stale
        self.hasOrders = hasOrders
    }

    /// (revenue − cost) / cost where it applies: orders in the window and a cost to divide by.
    public static func roi(attributedCents: Int64?, costCents: Int64, ordersInWindow: Int64?) -> Double? {
        guard let attributedCents, let orders = ordersInWindow, orders > 0, costCents != 0 else { return nil }
        return Double(attributedCents - costCents) / Double(costCents)
    }

    enum CodingKeys: String, CodingKey {
        case model, stale, roi
        case lookbackSeconds = "lookback_s", halfLifeSeconds = "half_life_s", hasOrders = "has_orders"
        case ordersInWindow = "orders", attributedCents = "attributed_cents", ordersCents = "orders_cents"
        case unattributedCents = "unattributed_cents", unattributedShare = "unattributed_share"
    }
}

/// Conversion (docs/roi.md "Customer conversion"): of the customers with a conversation in the
/// window, how many ordered within the lookback after one of those conversations. A store
/// without any order says so (`has_orders` false, no figures) rather than a rate of 0 %.
public struct CustomerConversion: Sendable, Equatable, Codable {
    public var hasOrders: Bool
    /// Distinct customers with a conversation in the window under the filters.
    public var customers: Int64?
    /// Of them, those with an order of a positive amount dated from one of those conversations'
    /// dates to the lookback after it, inclusive.
    public var ordered: Int64?
    /// ordered / customers; absent without orders or without customers.
    public var rate: Double?
    public var lookbackSeconds: Int64

    /// `customers`/`ordered` nil: the store holds no order, nothing was counted.
    public init(customers: Int64?, ordered: Int64?, lookbackSeconds: Int64) {
        hasOrders = customers != nil
        self.customers = customers
        self.ordered = customers == nil ? nil : ordered
        self.lookbackSeconds = lookbackSeconds
        if let customers, let ordered, customers > 0 { rate = Double(ordered) / Double(customers) }
    }

    enum CodingKeys: String, CodingKey {
        case customers, ordered, rate
        case hasOrders = "has_orders", lookbackSeconds = "lookback_s"
    }
}

extension OrderRevenue {
    /// `rows` with `attributed_roi` where it applies (their `attributed_cents` set, orders in the window).
    public func rated(_ rows: [RoiRow]) -> [RoiRow] {
        rows.map { row in
            var row = row
            row.figures.attributedRoi = Self.roi(attributedCents: row.figures.attributedCents, costCents: row.figures.costCents,
                                                 ordersInWindow: ordersInWindow)
            return row
        }
    }
}
