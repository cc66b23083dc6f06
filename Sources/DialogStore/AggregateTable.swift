import DialogCore

/// One of the ROI aggregate tables: a time column, key columns, and the twelve sums of
/// `RoiSums`. All are exact integer rollups of the same conversations.
struct AggregateTable: Sendable {
    let name: String
    /// `hour` (UTC hours since 1970) or `day` (UTC days since 1970).
    let time: String
    let keys: [String]

    static let hourly = AggregateTable(name: "roi_hourly", time: "hour", keys: ["department", "outcome", "channel", "employee"])
    static let daily = AggregateTable(name: "roi_daily", time: "day", keys: ["department", "outcome", "channel"])
    /// One dimension at a time (`dim` = total/department/outcome/channel): a year by department is ~1,800 rows.
    static let dailyDimension = AggregateTable(name: "roi_daily_dim", time: "day", keys: ["dim", "value"])
    /// Practitioner activity: employee × channel per day.
    static let dailyActivity = AggregateTable(name: "roi_daily_activity", time: "day", keys: ["employee", "channel"])
    static let all = [hourly, daily, dailyDimension, dailyActivity]

    static let dimensions = ["department", "outcome", "channel"]

    static let sumColumns = [
        "conversations", "seconds", "cost_cents", "value_cents", "satisfaction_sum", "satisfaction_count",
        "satisfaction_high", "response_s_sum", "response_count", "positive", "neutral", "negative",
    ]

    var createSQL: String {
        let columns = ([time + " INTEGER NOT NULL"] + keys.map { $0 + " TEXT NOT NULL" } + Self.sumColumns.map { $0 + " INTEGER NOT NULL" })
        return "CREATE TABLE \(name) (\n    " + columns.joined(separator: ",\n    ")
            + ",\n    PRIMARY KEY (\(([time] + keys).joined(separator: ", ")))\n) STRICT, WITHOUT ROWID;"
    }

    var upsertSQL: String {
        let all = [time] + keys + Self.sumColumns
        return "INSERT INTO \(name) (\(all.joined(separator: ", "))) VALUES (\(all.map { _ in "?" }.joined(separator: ", ")))"
            + " ON CONFLICT (\(([time] + keys).joined(separator: ", "))) DO UPDATE SET "
            + Self.sumColumns.map { "\($0) = \($0) + excluded.\($0)" }.joined(separator: ", ")
    }

    static var sumsSelect: String { sumColumns.map { "sum(\($0))" }.joined(separator: ", ") }
}

/// Aggregate changes of the open transaction, merged in memory and written once at commit:
/// a batch of conversations from the same hours touches each bucket row once, not once per record.
struct AggregateBuffer {
    struct Key: Hashable {
        var time: Int64
        var a: String
        var b: String = ""
        var c: String = ""
        var d: String = ""
    }

    var hourly: [Key: RoiSums] = [:]
    var daily: [Key: RoiSums] = [:]
    var dimension: [Key: RoiSums] = [:]
    var activity: [Key: RoiSums] = [:]

    var isEmpty: Bool { hourly.isEmpty }

    mutating func add(_ record: ConversationRecord, _ priced: PricedConversation) {
        let sums = RoiSums(record: record, priced: priced)
        let hour = RoiQuery.floorHour(record.date)
        let day = hour % 24 < 0 ? hour / 24 - 1 : hour / 24
        let department = priced.department ?? ""
        let outcome = priced.outcome ?? ""
        hourly[Key(time: hour, a: department, b: outcome, c: record.channel, d: record.employee), default: RoiSums()] += sums
        daily[Key(time: day, a: department, b: outcome, c: record.channel), default: RoiSums()] += sums
        dimension[Key(time: day, a: "total", b: ""), default: RoiSums()] += sums
        dimension[Key(time: day, a: "department", b: department), default: RoiSums()] += sums
        dimension[Key(time: day, a: "outcome", b: outcome), default: RoiSums()] += sums
        dimension[Key(time: day, a: "channel", b: record.channel), default: RoiSums()] += sums
        activity[Key(time: day, a: record.employee, b: record.channel), default: RoiSums()] += sums
    }

    /// (table, rows) pairs to write.
    var tables: [(AggregateTable, [Key: RoiSums])] {
        [(.hourly, hourly), (.daily, daily), (.dailyDimension, dimension), (.dailyActivity, activity)]
    }
}
