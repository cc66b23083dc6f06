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
    static let all = [hourly, hourlyDepartment, dailyDimension, dailyActivity]

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

    /// About what the rows in the buffer hold, in bytes: names and labels can be 800 bytes each,
    /// so a bound on the row count alone does not bound memory.
    private(set) var estimatedBytes = 0

    var isEmpty: Bool { hourly.isEmpty }

    /// `sign` -1 takes a record back out; `site` is the record's (`conversations.site`).
    mutating func add(_ record: ConversationRecord, _ priced: PricedConversation, site: String, sign: Int64 = 1) {
        let sums = sign < 0 ? RoiSums() - RoiSums(record: record, priced: priced) : RoiSums(record: record, priced: priced)
        let hour = RoiQuery.floorHour(record.date)
        let day = hour % 24 < 0 ? hour / 24 - 1 : hour / 24
        let department = priced.department ?? ""
        let outcome = priced.outcome ?? ""
        let rows = hourly.count
        hourly[Key(time: hour, site: site, a: department, b: outcome, c: record.channel, d: record.employee), default: RoiSums()] += sums
        if hourly.count > rows {
            // A new hourly row brings at most five more; its text is held about twice (hourly, activity/pairs).
            let text = site.utf8.count + department.utf8.count + outcome.utf8.count + record.channel.utf8.count + record.employee.utf8.count
            estimatedBytes += 2 * text + 6 * (MemoryLayout<Key>.stride + MemoryLayout<RoiSums>.stride + 32)
        }
        hourlyDepartment[Key(time: hour, site: site, a: department), default: RoiSums()] += sums
        dailyDimension[Key(time: day, site: site, a: "department", b: department), default: RoiSums()] += sums
        dailyDimension[Key(time: day, site: site, a: "department/outcome", b: department, c: outcome), default: RoiSums()] += sums
        dailyDimension[Key(time: day, site: site, a: "department/channel", b: department, c: record.channel), default: RoiSums()] += sums
        activity[Key(time: day, site: site, a: record.employee, b: record.channel), default: RoiSums()] += sums
    }

    /// (table, rows) pairs to write.
    var tables: [(AggregateTable, [Key: RoiSums])] {
        [(.hourly, hourly), (.hourlyDepartment, hourlyDepartment), (.dailyDimension, dailyDimension), (.dailyActivity, activity)]
    }
}
