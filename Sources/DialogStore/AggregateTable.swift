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

/// Aggregate changes of the open transaction, merged in memory and written once at commit:
/// a batch of conversations from the same hours touches each bucket row once, not once per record.
struct AggregateBuffer {
    struct Key: Hashable {
        var time: Int64
        var site: String
        var a: String
        var b: String = ""
        var c: String = ""
        var d: String = ""
    }

    var hourly: [Key: RoiSums] = [:]
    var hourlyDepartment: [Key: RoiSums] = [:]
    var dailyDimension: [Key: RoiSums] = [:]
    var activity: [Key: RoiSums] = [:]
    /// Order totals by the order's UTC hour (`OrderTotals`).
    var orderTotals: [Int64: OrderTotals] = [:]

    /// About what the rows in the buffer hold, in bytes: names and labels can be 800 bytes each,
    /// so a bound on the row count alone does not bound memory.
    private(set) var estimatedBytes = 0

    var isEmpty: Bool { hourly.isEmpty && orderTotals.isEmpty }

    /// `sign` -1 takes a record back out; `site` is the record's (`conversations.site`).
    mutating func add(_ record: ConversationRecord, _ priced: PricedConversation, site: String, sign: Int64 = 1) {
        let sums = sign < 0 ? RoiSums() - RoiSums(record: record, priced: priced) : RoiSums(record: record, priced: priced)
        let bucket = Bucket(site: site, department: priced.department ?? "", outcome: priced.outcome ?? "",
                            channel: record.channel, employee: record.employee)
        add(sums, hour: RoiQuery.floorHour(record.date), bucket)
    }

    /// Credits `cents` of an order dated `orderDate` to a touch counted under `bucket` (its
    /// current labels): attributed revenue counts in the window of the order's date.
    mutating func addShare(_ cents: Int64, orderDate: Int64, _ bucket: Bucket) {
        guard cents != 0 else { return }
        var sums = RoiSums()
        sums.attributedCents = cents
        add(sums, hour: RoiQuery.floorHour(orderDate), bucket)
    }

    /// Adds `delta` to the order totals of the hour of `orderDate`.
    mutating func addOrderTotals(_ delta: OrderTotals, orderDate: Int64) {
        orderTotals[RoiQuery.floorHour(orderDate), default: OrderTotals()] += delta
    }

    /// The labels a conversation is counted under in every table.
    struct Bucket {
        var site: String
        var department: String
        var outcome: String
        var channel: String
        var employee: String
    }

    private mutating func add(_ sums: RoiSums, hour: Int64, _ k: Bucket) {
        let day = hour % 24 < 0 ? hour / 24 - 1 : hour / 24
        let rows = hourly.count
        hourly[Key(time: hour, site: k.site, a: k.department, b: k.outcome, c: k.channel, d: k.employee), default: RoiSums()] += sums
        if hourly.count > rows {
            // A new hourly row brings at most five more; its text is held about twice (hourly, activity/pairs).
            let text = k.site.utf8.count + k.department.utf8.count + k.outcome.utf8.count + k.channel.utf8.count + k.employee.utf8.count
            estimatedBytes += 2 * text + 6 * (MemoryLayout<Key>.stride + MemoryLayout<RoiSums>.stride + 32)
        }
        hourlyDepartment[Key(time: hour, site: k.site, a: k.department), default: RoiSums()] += sums
        dailyDimension[Key(time: day, site: k.site, a: "department", b: k.department), default: RoiSums()] += sums
        dailyDimension[Key(time: day, site: k.site, a: "department/outcome", b: k.department, c: k.outcome), default: RoiSums()] += sums
        dailyDimension[Key(time: day, site: k.site, a: "department/channel", b: k.department, c: k.channel), default: RoiSums()] += sums
        activity[Key(time: day, site: k.site, a: k.employee, b: k.channel), default: RoiSums()] += sums
    }

    /// (table, rows) pairs to write. The weekly rows are the daily ones summed per week here,
    /// at the write, not per record: a batch has far fewer daily rows than records.
    var tables: [(AggregateTable, [Key: RoiSums])] {
        [(.hourly, hourly), (.hourlyDepartment, hourlyDepartment), (.dailyDimension, dailyDimension), (.dailyActivity, activity),
         (.weeklyDimension, Self.weekly(dailyDimension)), (.weeklyActivity, Self.weekly(activity))]
    }

    /// Daily rows summed per week (`AggregateTable.week(ofDay:)`), keys otherwise kept.
    static func weekly(_ daily: [Key: RoiSums]) -> [Key: RoiSums] {
        var weeks: [Key: RoiSums] = [:]
        weeks.reserveCapacity(daily.count)
        for (key, sums) in daily {
            var week = key
            week.time = AggregateTable.week(ofDay: key.time)
            weeks[week, default: RoiSums()] += sums
        }
        return weeks
    }
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
