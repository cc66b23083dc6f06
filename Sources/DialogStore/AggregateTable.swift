import DialogCore

/// One of the ROI aggregate tables: a time column, key columns, and one column per
/// `RoiSumColumn`. All are exact integer rollups of the same conversations. Their CREATE
/// statements are frozen in `Schema`'s migrations; `SchemaFreezeTests` checks they match this.
struct AggregateTable: Sendable {
    let name: String
    /// `hour` (UTC hours since 1970) or `day` (UTC days since 1970).
    let time: String
    let keys: [String]

    /// Every dimension per hour and site: answers any filter and grouping, and the edges of windows.
    static let hourly = AggregateTable(name: "roi_hourly", time: "hour", keys: ["site", "department", "outcome", "channel", "employee"])
    /// Department per hour: totals (every conversation has exactly one department row, so an
    /// hour's rows sum to its total), by-department edges and calendar groupings. Outcome and
    /// channel have no hourly rows of their own: each stored row is ingest cost when every record
    /// opens new hours, and those rarer queries read `roi_hourly` at the edges instead.
    static let hourlyDepartment = AggregateTable(name: "roi_hourly_department", time: "hour", keys: ["site", "department"])
    /// Per UTC day: `department` (value in `a`) and the pairs `department/outcome`,
    /// `department/channel` (a, b). Outcome or channel alone are summed from their pair at query
    /// time: a year by outcome is ~17,500 rows, cheap; a year by department stays ~1,500.
    static let dailyDimension = AggregateTable(name: "roi_daily_dim", time: "day", keys: ["dim", "site", "a", "b"])
    /// Practitioner activity: employee × channel per day.
    static let dailyActivity = AggregateTable(name: "roi_daily_activity", time: "day", keys: ["site", "employee", "channel"])
    /// The daily tables summed per UTC week (floor(day / 7)): a window's whole weeks, with the
    /// days at its ends added or taken off, read a seventh of the rows (`RoiReader.dayGroups`).
    static let weeklyDimension = AggregateTable(name: "roi_weekly_dim", time: "week", keys: ["dim", "site", "a", "b"])
    static let weeklyActivity = AggregateTable(name: "roi_weekly_activity", time: "week", keys: ["site", "employee", "channel"])
    static let all = [hourly, hourlyDepartment, dailyDimension, dailyActivity, weeklyDimension, weeklyActivity]

    /// The weekly table holding this daily table's rows summed per week, if any.
    var weekly: AggregateTable? {
        switch name {
        case Self.dailyDimension.name: Self.weeklyDimension
        case Self.dailyActivity.name: Self.weeklyActivity
        default: nil
        }
    }

    /// floor(day / 7), also before 1970.
    static func week(ofDay day: Int64) -> Int64 { day % 7 < 0 ? day / 7 - 1 : day / 7 }

    static let pairs = ["outcome", "channel"] // each paired with department

    /// The columns a row of this table has, in order: time, keys, then every `RoiSumColumn`.
    var columns: [String] { [time] + keys + RoiSumColumn.names }

    /// Dimension tables lead with `dim`, so a query for one dimension reads only its rows.
    var primaryKey: [String] {
        keys.first == "dim" ? ["dim", time] + keys.dropFirst() : [time] + keys
    }

    /// The position of `site` among `keys`, nil for the tables of migrations before v6.
    var siteIndex: Int? { keys.firstIndex(of: "site") }

    var upsertSQL: String {
        "INSERT INTO \(name) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
            + " ON CONFLICT (\(([time] + keys).joined(separator: ", "))) DO UPDATE SET "
            + RoiSumColumn.names.map { "\($0) = \($0) + excluded.\($0)" }.joined(separator: ", ")
    }

    /// Every sum column, comma-separated, for SELECT and INSERT column lists.
    static var sumsList: String { RoiSumColumn.names.joined(separator: ", ") }
    static var sumsSelect: String { RoiSumColumn.names.map { "sum(\($0))" }.joined(separator: ", ") }
}

/// Orders dated in a bucket, their amount, and the amount of those without a touch
/// (`roi_orders_hourly`, `roi_orders_daily`): the order side of `roi`'s total, which belongs
/// to no conversation's labels.
struct OrderTotals: Equatable {
    var orders: Int64 = 0
    var cents: Int64 = 0
    var unattributedCents: Int64 = 0

    static func += (a: inout OrderTotals, b: OrderTotals) {
        a.orders += b.orders
        a.cents += b.cents
        a.unattributedCents += b.unattributedCents
    }

    /// The order tables: per UTC hour (window edges) and per UTC day (whole days).
    static let tables = [(name: "roi_orders_hourly", time: "hour", perDay: false), (name: "roi_orders_daily", time: "day", perDay: true)]
}
