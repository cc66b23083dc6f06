import DialogCore

/// Aggregate changes of the open transaction, merged in memory and written once at commit:
/// a batch of conversations from the same hours touches each bucket row once, not once per record.
/// A change touches only its `hourly` row, keyed by its labels' ids (`LabelIDs`); the other
/// tables are summed from the hourly rows at the write (`tables`), as `rebuildAggregates` sums
/// them in SQL (issue 17: six rows keyed by strings, each one hashed, per record were a tenth of
/// the loop's work on a flood).
struct AggregateBuffer {
    /// A row of any table: its time, its site and its other key columns in `AggregateTable.keys`
    /// order, as ids in `labels` (unused columns 0, the empty text).
    struct Key: Hashable {
        var time: Int64
        var site: Int32
        var a: Int32
        var b: Int32 = 0
        var c: Int32 = 0
        var d: Int32 = 0
    }

    /// hour, site, department (a), outcome (b), channel (c), employee (d).
    var hourly: [Key: RoiSums] = [:]
    /// Order totals by the order's UTC hour (`OrderTotals`).
    var orderTotals: [Int64: OrderTotals] = [:]
    /// The texts the keys' ids stand for.
    private(set) var labels = LabelIDs()

    /// At most what the rows in the buffer hold, in bytes, with the tables summed from them at
    /// the write: names and labels can be 800 bytes each, so a bound on the row count alone
    /// does not bound memory.
    private(set) var estimatedBytes = 0

    var isEmpty: Bool { hourly.isEmpty && orderTotals.isEmpty }

    /// `sign` -1 takes a record back out; `site` is the record's (`conversations.site`). `sums`:
    /// the record's own, when already summed (`CountedRecord.sums`), else summed here.
    mutating func add(_ record: ConversationRecord, _ priced: PricedConversation, sums given: RoiSums? = nil, site: String, sign: Int64 = 1) {
        let own = given ?? RoiSums(record: record, priced: priced)
        let sums = sign < 0 ? RoiSums() - own : own
        add(sums, hour: RoiQuery.floorHour(record.date), site: site, department: priced.department ?? "", outcome: priced.outcome ?? "",
            channel: record.channel, employee: record.employee)
    }

    /// Credits `cents` of an order dated `orderDate` to a touch counted under `bucket` (its
    /// current labels): attributed revenue counts in the window of the order's date.
    mutating func addShare(_ cents: Int64, orderDate: Int64, _ bucket: Bucket) {
        guard cents != 0 else { return }
        var sums = RoiSums()
        sums.attributedCents = cents
        add(sums, hour: RoiQuery.floorHour(orderDate), site: bucket.site, department: bucket.department, outcome: bucket.outcome,
            channel: bucket.channel, employee: bucket.employee)
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

    /// The labels come one by one, not as a `Bucket`: building one per record retained five strings.
    private mutating func add(_ sums: RoiSums, hour: Int64, site: String, department: String, outcome: String, channel: String, employee: String) {
        let key = Key(time: hour, site: labels.id(site, place: 0), a: labels.id(department, place: 1),
                      b: labels.id(outcome, place: 2), c: labels.id(channel, place: 3), d: labels.id(employee, place: 4))
        let rows = hourly.count
        hourly[key, default: RoiSums()] += sums
        if hourly.count > rows {
            // A new hourly row brings at most five more at the write; its text is counted twice
            // (as when every table held its own strings): an upper bound.
            let text = site.utf8.count + department.utf8.count + outcome.utf8.count + channel.utf8.count + employee.utf8.count
            estimatedBytes += 2 * text + 6 * (MemoryLayout<Key>.stride + MemoryLayout<RoiSums>.stride + 32)
        }
    }

    /// (table, rows) pairs to write: the hourly rows, and every other table's rows summed from
    /// them. A batch has far fewer hourly rows than records, and fewer daily rows than hourly.
    var tables: [(AggregateTable, [Key: RoiSums])] {
        var hourlyDepartment: [Key: RoiSums] = [:]
        var dailyDimension: [Key: RoiSums] = [:]
        var activity: [Key: RoiSums] = [:]
        hourlyDepartment.reserveCapacity(hourly.count)
        dailyDimension.reserveCapacity(hourly.count)
        activity.reserveCapacity(hourly.count)
        for (key, sums) in hourly {
            let day = key.time % 24 < 0 ? key.time / 24 - 1 : key.time / 24
            hourlyDepartment[Key(time: key.time, site: key.site, a: key.a), default: RoiSums()] += sums
            dailyDimension[Key(time: day, site: key.site, a: LabelIDs.department, b: key.a), default: RoiSums()] += sums
            dailyDimension[Key(time: day, site: key.site, a: LabelIDs.departmentOutcome, b: key.a, c: key.b), default: RoiSums()] += sums
            dailyDimension[Key(time: day, site: key.site, a: LabelIDs.departmentChannel, b: key.a, c: key.c), default: RoiSums()] += sums
            activity[Key(time: day, site: key.site, a: key.d, b: key.c), default: RoiSums()] += sums
        }
        return [(.hourly, hourly), (.hourlyDepartment, hourlyDepartment), (.dailyDimension, dailyDimension), (.dailyActivity, activity),
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

/// The texts of one buffer's keys as small integers: a label is hashed once per record, not
/// once per row it counts in, and a key hashes integers. A flood repeats its labels, so each of
/// a bucket's five places remembers its last label and compares before it hashes.
struct LabelIDs {
    /// The ids every buffer starts with: the empty text and `roi_daily_dim`'s dimensions.
    static let empty: Int32 = 0
    static let department: Int32 = 1
    static let departmentOutcome: Int32 = 2
    static let departmentChannel: Int32 = 3

    private(set) var texts = ["", "department", "department/outcome", "department/channel"]
    /// By bytes, as SQLite keys the rows: "Müller" composed and decomposed are two employees.
    private var ids: [ExactBytes: Int32] = [ExactBytes(""): empty, ExactBytes("department"): department,
                                            ExactBytes("department/outcome"): departmentOutcome, ExactBytes("department/channel"): departmentChannel]
    /// The last label asked for in each place (site, department, outcome, channel, employee), and its id.
    private var recent: [(text: String, id: Int32)] = Array(repeating: ("", empty), count: 5)

    /// The id of `text`, given one if new; `place` is its place in a bucket (0…4).
    mutating func id(_ text: String, place: Int) -> Int32 {
        if recent[place].text.sameBytes(as: text) { return recent[place].id }
        let id: Int32
        if let known = ids[ExactBytes(text)] {
            id = known
        } else {
            id = Int32(texts.count)
            texts.append(text)
            ids[ExactBytes(text)] = id
        }
        recent[place] = (text, id)
        return id
    }

    func text(_ id: Int32) -> String { texts[Int(id)] }
}
