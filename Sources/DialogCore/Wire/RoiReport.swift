/// Money figures of one row or total (docs/protocol.md `roi --json`). `minutes` is the row's summed
/// seconds / 60 rounded half up; `roi` = net / cost, `null` when cost is 0.
public struct RoiFigures: Sendable, Equatable, Codable {
    public var conversations: Int64
    public var minutes: Int64
    public var costCents: Int64
    public var valueCents: Int64
    public var netCents: Int64
    public var roi: Double?
    /// Order revenue credited to this row's conversations (`[attribution]`), counted in the
    /// window of the order's date (docs/roi.md "Orders and attribution"); absent for calendar rows.
    public var attributedCents: Int64?
    /// Total only, without filters: orders dated in the window, their amount, and the amount
    /// of those without a touch. By a dimension, rows' `attributed_cents` + `unattributed_cents`
    /// = `orders_cents`.
    public var orders: Int64?
    public var ordersCents: Int64?
    public var unattributedCents: Int64?
    /// (attributed − cost) / cost beside `roi`, in the pyramid's rows where it applies: orders
    /// dated in the window and a cost (`OrderRevenue.roi`); absent elsewhere.
    public var attributedRoi: Double?

    public init(_ sums: RoiSums) {
        conversations = sums.conversations
        minutes = (sums.seconds + 30) / 60
        costCents = sums.costCents
        valueCents = sums.valueCents
        netCents = sums.valueCents - sums.costCents
        roi = sums.costCents == 0 ? nil : Double(netCents) / Double(sums.costCents)
    }

    enum CodingKeys: String, CodingKey {
        case conversations, minutes, roi
        case costCents = "cost_cents", valueCents = "value_cents", netCents = "net_cents"
        case attributedCents = "attributed_cents", orders, ordersCents = "orders_cents", unattributedCents = "unattributed_cents"
        case attributedRoi = "attributed_roi"
    }

    /// Writes `roi` as an explicit `null` rather than leaving it out.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(conversations, forKey: .conversations)
        try c.encode(minutes, forKey: .minutes)
        try c.encode(costCents, forKey: .costCents)
        try c.encode(valueCents, forKey: .valueCents)
        try c.encode(netCents, forKey: .netCents)
        try c.encode(roi, forKey: .roi)
        try c.encodeIfPresent(attributedCents, forKey: .attributedCents)
        try c.encodeIfPresent(orders, forKey: .orders)
        try c.encodeIfPresent(ordersCents, forKey: .ordersCents)
        try c.encodeIfPresent(unattributedCents, forKey: .unattributedCents)
        try c.encodeIfPresent(attributedRoi, forKey: .attributedRoi)
    }
}

/// One group of a grouped answer: its key (department, `2026-03-29`, `2026-W13`, `2026-03`, …)
/// followed by the figures, flat in JSON.
public struct RoiRow: Sendable, Equatable, Codable {
    public var key: String
    public var figures: RoiFigures

    public init(key: String, figures: RoiFigures) {
        self.key = key
        self.figures = figures
    }

    enum KeyCodingKeys: String, CodingKey { case key }

    public init(from decoder: any Decoder) throws {
        key = try decoder.container(keyedBy: KeyCodingKeys.self).decode(String.self, forKey: .key)
        figures = try RoiFigures(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: KeyCodingKeys.self)
        try c.encode(key, forKey: .key)
        try figures.encode(to: encoder)
    }
}

/// A half-open time span `[since, until)` in Unix seconds.
public struct TimeSpan: Sendable, Equatable, Codable {
    public var since: Int64
    public var until: Int64
    public init(since: Int64, until: Int64) {
        self.since = since
        self.until = until
    }
}

/// The answer to a `RoiQuery`: rows (empty without grouping), the total, and the total of the
/// previous window of equal length (`nil` for `all`).
public struct RoiReport: Sendable, Equatable, Codable {
    public var window: TimeSpan
    public var rows: [RoiRow]
    public var total: RoiFigures
    public var previousWindow: TimeSpan?
    public var previous: RoiFigures?

    public init(window: TimeSpan, rows: [RoiRow], total: RoiFigures, previousWindow: TimeSpan?, previous: RoiFigures?) {
        self.window = window
        self.rows = rows
        self.total = total
        self.previousWindow = previousWindow
        self.previous = previous
    }

    enum CodingKeys: String, CodingKey {
        case window, rows, total, previous
        case previousWindow = "previous_window"
    }
}
