import DialogCore
import Foundation

/// Answers ROI queries from `roi_hourly` alone (never the raw conversations), so a year is
/// a range scan over hour buckets. Built per query or kept; reads only.
public struct RoiReader {
    let database: Database
    public let timeZone: TimeZone
    public let labeler: EmployeeLabeler
    /// Yardstick for cost per resolution (deflection savings).
    public let callCenterContactCostCents: Int64
    /// Channel → `[channel.NAME] group`; channels not in it belong to `other`.
    public let channelGroups: [String: String]
    /// Departments the resolution KPIs apply to (`ValuationConfig.serviceDepartments`).
    public let serviceDepartments: Set<String>
    /// Maps filter values to labels; nil takes them as given.
    public var vocabulary: LabelVocabulary?
    /// `[attribution]`: named beside attributed revenue; its lookback is conversion's.
    public var attribution = AttributionConfig()
    /// Employee labels kept across requests (the store's); nil computes each one anew.
    public var pseudonyms: PseudonymCache?

    /// An employee's label under the privacy switch, from `pseudonyms` when kept.
    func employeeLabel(_ employee: String) -> String? {
        pseudonyms.map { $0.label(employee, labeler) } ?? labeler.label(employee)
    }

    public init(database: Database, timeZone: TimeZone, labeler: EmployeeLabeler, callCenterContactCostCents: Int64 = 6_50,
                channelGroups: [String: String] = [:], serviceDepartments: Set<String> = ["service"], vocabulary: LabelVocabulary? = nil) {
        self.database = database
        self.timeZone = timeZone
        self.labeler = labeler
        self.callCenterContactCostCents = callCenterContactCostCents
        self.channelGroups = channelGroups
        self.serviceDepartments = serviceDepartments
        self.vocabulary = vocabulary
    }

    func group(ofChannel channel: String) -> String { channelGroups[channel] ?? ValuationConfig.otherGroup }

    /// Filters of a query in table terms (`unassigned`/`unclassified` are the empty string).
    struct Filters {
        var department: String?
        var channel: String?
        var employee: String?
        var outcome: String?
        var site: String?
        /// Not a table column: `cells` groups by channel and keeps this group's channels.
        var channelGroup: String?

        /// `vocabulary` maps any spelling of a label to it (`Vertrieb` → `sales`).
        init(_ q: RoiQuery, _ vocabulary: LabelVocabulary? = nil) {
            func map(_ v: String?, _ kind: LabelVocabulary.Kind) -> String? { v.map { vocabulary?.resolve($0, kind) ?? $0 } }
            department = map(q.department, .department).map { $0 == "unassigned" ? "" : $0 }
            outcome = map(q.outcome, .outcome).map { $0 == "unclassified" ? "" : $0 }
            channel = map(q.channel, .channel)
            employee = q.employee
            site = q.site
            channelGroup = q.channelGroup
        }

        init() {}

        var conditions: [(column: String, value: String)] {
            [("site", site), ("department", department), ("channel", channel), ("employee", employee), ("outcome", outcome)]
                .compactMap { pair in pair.1.map { (pair.0, $0) } }
        }
    }

    typealias Cell = (keys: [String], sums: RoiSums)

    /// Sums of `hours`, grouped by `columns` (dimension names, or `hour`; none: one total row).
    /// Whole UTC days inside the window come from a daily rollup when one fits the grouping
    /// and filters, the partial days at the edges from an hourly table; all tables are exact
    /// rollups of the same conversations, so the answer is the same whichever is read (the
    /// property tests check every path against the raw records). `keepingAttributed` keeps groups
    /// with attributed revenue and no conversation (`roi`); others drop them.
    func cells(hours: Range<Int64>, filters: Filters, by columns: [String], keepingAttributed: Bool = false) throws -> [Cell] {
        if let group = filters.channelGroup {
            // A group filter: the channel cells of the wanted columns, kept when in the group.
            var plain = filters
            plain.channelGroup = nil
            let extra = !columns.contains("channel")
            let at = extra ? columns.count : columns.firstIndex(of: "channel") ?? 0
            var merged: [GroupKey: RoiSums] = [:]
            for cell in try cells(hours: hours, filters: plain, by: extra ? columns + ["channel"] : columns, keepingAttributed: keepingAttributed)
            where self.group(ofChannel: cell.keys[at]) == group {
                merged[GroupKey(extra ? Array(cell.keys.dropLast()) : cell.keys), default: RoiSums()] += cell.sums
            }
            return merged.map { ($0.key.values, $0.value) }
        }
        let hours = try storedPart(of: hours)
        guard !hours.isEmpty else { return [] }
        let conditions = filters.conditions
        let hourly = Self.plan(columns: columns, conditions: conditions, hourly: true)
            ?? Plan(table: .hourly, conditions: conditions, columns: columns)
        let firstDay = Self.ceilDiv(hours.lowerBound, 24)
        let endDay = Self.floorDiv(hours.upperBound, 24)
        guard firstDay < endDay, let daily = Self.plan(columns: columns, conditions: conditions, hourly: false) else {
            return try scan(hourly, hours, keepingAttributed: keepingAttributed)
        }
        var merged: [GroupKey: RoiSums] = [:]
        let parts = [
            try scan(hourly, hours.lowerBound..<(firstDay * 24), keepingAttributed: keepingAttributed),
            Self.kept(try dayGroups(daily, firstDay..<endDay), keepingAttributed: keepingAttributed),
            try scan(hourly, (endDay * 24)..<hours.upperBound, keepingAttributed: keepingAttributed),
        ]
        for part in parts {
            for cell in part { merged[GroupKey(cell.keys), default: RoiSums()] += cell.sums }
        }
        return merged.map { ($0.key.values, $0.value) }
    }

    /// A scan in physical terms: table, `column = value` conditions, grouping columns.
    struct Plan {
        var table: AggregateTable
        var conditions: [(column: String, value: String)]
        var columns: [String]
        /// The sums read; the others stay 0 (the pyramid's activity needs five of them).
        var sums = RoiSumColumn.allCases
    }

    /// The smallest table that answers `columns` under `conditions`: hourly, the department
    /// table when they use at most the department; daily, a dimension row set when they use
    /// department and at most one of outcome or channel (alone, outcome and channel are summed
    /// from their department pair), activity for employee × channel; else `roi_hourly`
    /// (hourly) or `nil` (daily).
    static func plan(columns: [String], conditions: [(column: String, value: String)], hourly: Bool) -> Plan? {
        // Every table has the site key, so a site filter or grouping fits any of them.
        let used = Set(columns + conditions.map(\.column)).subtracting(["hour", "site"])
        if hourly {
            // An hour's department rows sum to its total: every conversation has exactly one.
            return Plan(table: used.isSubset(of: ["department"]) ? .hourlyDepartment : .hourly, conditions: conditions, columns: columns)
        }
        if columns.contains("hour") { return nil }
        if columns.filter({ $0 != "site" }) == ["employee", "channel"], conditions.allSatisfy({ $0.column == "site" }) {
            return Plan(table: .dailyActivity, conditions: conditions, columns: columns)
        }
        let others = used.subtracting(["department"])
        guard others.count <= 1 else { return nil }
        var dim = "department"
        var physical = ["department": "a", "site": "site"]
        if let other = others.first {
            guard AggregateTable.pairs.contains(other) else { return nil }
            dim = "department/" + other
            physical[other] = "b"
        }
        return Plan(
            table: .dailyDimension,
            conditions: [("dim", dim)] + conditions.map { (physical[$0.column]!, $0.value) },
            columns: columns.map { physical[$0] ?? $0 })
    }

    /// One range scan of `table` over `times` (its own unit: hours, days or weeks): its groups
    /// with conversations (or, `keepingAttributed`, attributed revenue).
    func scan(_ plan: Plan, _ times: Range<Int64>, keepingAttributed: Bool = false) throws -> [Cell] {
        var groups: [GroupKey: RoiSums] = [:]
        try add(plan, times, to: &groups)
        return Self.kept(groups, keepingAttributed: keepingAttributed)
    }

    static func kept(_ groups: [GroupKey: RoiSums], keepingAttributed: Bool) -> [Cell] {
        groups.compactMap {
            $0.value.conversations > 0 || (keepingAttributed && $0.value.attributedCents != 0) ? ($0.key.values, $0.value) : nil
        }
    }

    /// Sums of the whole UTC days `days` under a daily plan, through its weekly table when that
    /// reads fewer rows: the whole weeks between the week starts nearest each end, and the up
    /// to 3 days between such a start and the end added, or taken off. Exact either way: a week
    /// row is the sum of its day rows. Groups are kept even when they sum to nothing.
    func dayGroups(_ plan: Plan, _ days: Range<Int64>) throws -> [GroupKey: RoiSums] {
        var groups: [GroupKey: RoiSums] = [:]
        let firstWeek = AggregateTable.week(ofDay: days.lowerBound + 3), endWeek = AggregateTable.week(ofDay: days.upperBound + 3)
        let (start, end) = (firstWeek * 7, endWeek * 7)
        guard let table = plan.table.weekly, firstWeek < endWeek,
              (endWeek - firstWeek) + abs(start - days.lowerBound) + abs(end - days.upperBound) < Int64(days.count) else {
            try add(plan, days, to: &groups)
            return groups
        }
        try add(Plan(table: table, conditions: plan.conditions, columns: plan.columns, sums: plan.sums), firstWeek..<endWeek, to: &groups)
        try add(plan, min(start, days.lowerBound)..<max(start, days.lowerBound), negated: start < days.lowerBound, to: &groups)
        try add(plan, min(end, days.upperBound)..<max(end, days.upperBound), negated: end > days.upperBound, to: &groups)
        return groups
    }

    /// Adds (or, `negated`, subtracts) the rows of one range scan to `groups`.
    func add(_ plan: Plan, _ times: Range<Int64>, negated: Bool = false, to groups: inout [GroupKey: RoiSums]) throws {
        var sets = [groups]
        groups = [:]
        defer { groups = sets[0] }
        try add(plan, times, negated: negated, projecting: [Array(plan.columns.indices)], to: &sets)
    }

    /// Adds the rows of one range scan to several groupings at once: `groups[i]` is keyed by the
    /// plan's columns at `projections[i]`. Groups are summed in hash maps here rather than by
    /// SQL GROUP BY, which sorts (10 ms for 12k rows).
    func add(_ plan: Plan, _ times: Range<Int64>, negated: Bool = false, projecting projections: [[Int]],
             to groups: inout [[GroupKey: RoiSums]]) throws {
        guard !times.isEmpty else { return }
        let (table, conditions, columns) = (plan.table, plan.conditions, plan.columns)
        let read = plan.sums
        let sums = read.map { columns.isEmpty ? "sum(\($0.name))" : $0.name }.joined(separator: ", ")
        var sql = "SELECT " + (columns.isEmpty ? "" : columns.joined(separator: ", ") + ", ") + sums
            + " FROM \(table.name) WHERE \(table.time) >= ? AND \(table.time) < ?"
        var arguments: [(any SQLValue)?] = [times.lowerBound, times.upperBound]
        for (column, value) in conditions {
            sql += " AND \(column) = ?"
            arguments.append(value)
        }
        let n = columns.count
        let statement = try database.cachedStatement(sql)
        try statement.bind(arguments: arguments)
        defer { statement.reset() }
        // One key array per grouping, overwritten row by row: a lookup of a known group then
        // allocates nothing (only a new group's key is copied into the map).
        var keys = projections.map { [String](repeating: "", count: $0.count) }
        var values = [String](repeating: "", count: n)
        for g in groups.indices where groups[g].isEmpty { groups[g].reserveCapacity(512) }
        while try statement.step() {
            let row = statement.row
            for i in 0..<n { values[i] = row[i] }
            var s = RoiSums()
            for (i, column) in read.enumerated() { s[column] = row[n + i] }
            if negated { s = RoiSums() - s }
            for (g, projection) in projections.enumerated() {
                for (k, i) in projection.enumerated() { keys[g][k] = values[i] }
                groups[g][GroupKey(keys[g]), default: RoiSums()] += s
            }
        }
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a % b < 0 ? a / b - 1 : a / b }
    static func ceilDiv(_ a: Int64, _ b: Int64) -> Int64 { -floorDiv(-a, b) }

    /// First and last stored hour of conversations or orders (an order without a touch has no
    /// conversation row), for the `all` window and to clamp others. One subquery per end and
    /// table: SQLite reads one end of the primary key for a lone min() or max(), but scans for both.
    func storedHours() throws -> ClosedRange<Int64>? {
        try database.fetchOne("""
            SELECT min(coalesce(a, b), coalesce(b, a)), max(coalesce(c, d), coalesce(d, c)) FROM (SELECT
                (SELECT min(hour) FROM roi_hourly) AS a, (SELECT min(hour) FROM roi_orders_hourly) AS b,
                (SELECT max(hour) FROM roi_hourly) AS c, (SELECT max(hour) FROM roi_orders_hourly) AS d)
            """) { row -> ClosedRange<Int64>? in
            row.isNull(0) ? nil : (row[0] as Int64)...(row[1] as Int64)
        } ?? nil
    }

    /// The part of `hours` between the first and last stored hour: an open window (`since`
    /// 2^40 s back) then costs what the stored data costs, not what the window spans. Hours
    /// outside hold no rows, so every figure stays the same.
    func storedPart(of hours: Range<Int64>) throws -> Range<Int64> {
        guard let stored = try storedHours() else { return hours.lowerBound..<hours.lowerBound }
        let lower = max(hours.lowerBound, stored.lowerBound)
        let upper = min(hours.upperBound, stored.upperBound + 1)
        return lower < upper ? lower..<upper : hours.lowerBound..<hours.lowerBound
    }

    /// Refuses a reply of more than `RoiQuery.maxRows` rows.
    static func checkRows(_ count: Int, _ what: @autoclosure () -> String) throws {
        if count > RoiQuery.maxRows { throw RoiQueryError.tooManyRows(what(), Int64(count)) }
    }

    /// How many calendar rows `hours` can hold at most: checked before the per-day work of a
    /// calendar grouping, whose cost grows with the span, not with the rows found.
    static func calendarRows(_ hours: Range<Int64>, _ grouping: RoiQuery.Grouping) -> Int64 {
        let days = ceilDiv(Int64(hours.count), 24) + 1
        switch grouping {
        case .week: return days / 7 + 2
        case .month: return days / 28 + 2
        default: return days
        }
    }

    /// The hour range `query` covers at `now` and the previous range of equal length (`nil` for `all`).
    public func hours(of query: RoiQuery, now: Int64) throws -> (current: Range<Int64>, previous: Range<Int64>?) {
        let stored = query.window == .all && query.since == nil && query.until == nil ? try storedHours() : nil
        let current = query.hours(now: now, stored: stored)
        let isAll = query.window == .all && query.since == nil && query.until == nil
        let previous = isAll ? nil : (current.lowerBound - Int64(current.count))..<current.lowerBound
        return (current, previous)
    }

    /// `dialogctl roi`: figures of the window, grouped and filtered, with the previous window's total.
    public func roi(_ query: RoiQuery, now: Int64) throws -> RoiReport {
        try labeler.checkFilter(query.employee)
        if query.groupBy == .employee, labeler.mode == .off { throw RoiQueryError.figuresOff }
        let filters = Filters(query, vocabulary)
        let (current, previous) = try hours(of: query, now: now)
        var total = RoiSums()
        var rows: [RoiRow] = []
        if let grouping = query.groupBy, !grouping.isCalendar {
            // The rows of a dimension split the window's conversations and shares: their sum is the total.
            let sums = try dimensionSums(current, filters: filters, by: grouping)
            for value in sums.values { total += value }
            rows = Self.rows(sums, grouping)
        } else {
            total = try cells(hours: current, filters: filters, by: [], keepingAttributed: true).first?.sums ?? RoiSums()
            if let grouping = query.groupBy { rows = try grouped(current, filters: filters, by: grouping) }
        }
        let previousTotal = try previous.map { try cells(hours: $0, filters: filters, by: []).first?.sums ?? RoiSums() }
        var report = RoiReport(
            window: Self.span(current), rows: rows, total: RoiFigures(total),
            previousWindow: previous.map(Self.span), previous: previousTotal.map(RoiFigures.init))
        report.total.attributedCents = total.attributedCents
        try addOrderTotals(to: &report, filters: filters, hours: current)
        return report
    }

    static func span(_ hours: Range<Int64>) -> TimeSpan {
        TimeSpan(since: RoiQuery.hourStart(hours.lowerBound), until: RoiQuery.hourStart(hours.upperBound))
    }

    /// Rows of one grouping, sorted by key (chronological for calendar groupings).
    func grouped(_ hours: Range<Int64>, filters: Filters, by grouping: RoiQuery.Grouping) throws -> [RoiRow] {
        guard grouping.isCalendar else { return Self.rows(try dimensionSums(hours, filters: filters, by: grouping), grouping) }
        var merged: [String: RoiSums] = [:]
        let stored = try storedPart(of: hours)
        guard !stored.isEmpty else { return [] }
        let most = Self.calendarRows(stored, grouping)
        if most > RoiQuery.maxRows {
            throw RoiQueryError.tooManyRows("by \(grouping.rawValue) over the stored data in this window (\(stored.count / 24) days)", most)
        }
        if filters.channelGroup != nil {
            // The rollups know no groups: hour by hour, the group's channels kept by `cells`.
            var calendar = HourCalendar(timeZone: timeZone)
            for cell in try cells(hours: stored, filters: filters, by: ["hour"]) {
                guard let hour = Int64(cell.keys[0]) else { continue }
                merged[calendar.key(hour: hour, grouping: grouping), default: RoiSums()] += cell.sums
            }
        } else {
            merged = try calendarSums(stored, filters: filters, grouping: grouping)
        }
        try Self.checkRows(merged.count, "by \(grouping.rawValue)")
        // Calendar keys are dates (ASCII): one per String.
        return Self.rows(Dictionary(uniqueKeysWithValues: merged.map { (ExactBytes($0.key), $0.value) }), grouping)
    }

    /// Sums per shown key of a dimension grouping. Attributed revenue of a key without
    /// conversations in the window (its touch was before) counts too.
    /// Keyed by bytes: two employees spelled alike are two rows, as in `list` (`GroupKey`).
    func dimensionSums(_ hours: Range<Int64>, filters: Filters, by grouping: RoiQuery.Grouping) throws -> [ExactBytes: RoiSums] {
        var merged: [ExactBytes: RoiSums] = [:]
        let column = grouping == .channelGroup ? "channel" : grouping.rawValue
        for cell in try cells(hours: hours, filters: filters, by: [column], keepingAttributed: true) {
            merged[ExactBytes(displayKey(cell.keys[0], grouping)), default: RoiSums()] += cell.sums
        }
        try Self.checkRows(merged.count, "by \(grouping.rawValue)")
        return merged
    }

    /// Rows sorted by key; dimension rows carry their attributed revenue, calendar rows none (docs/protocol.md).
    static func rows(_ merged: [ExactBytes: RoiSums], _ grouping: RoiQuery.Grouping) -> [RoiRow] {
        merged.sorted { $0.key.text.sortsBefore($1.key.text) }.map { key, sums in
            var figures = RoiFigures(sums)
            if !grouping.isCalendar { figures.attributedCents = sums.attributedCents }
            return RoiRow(key: key.text, figures: figures)
        }
    }

    /// Table value → what users see: `unassigned`, `unclassified`, employee labels.
    func displayKey(_ value: String, _ grouping: RoiQuery.Grouping) -> String {
        switch grouping {
        case .department: value.isEmpty ? "unassigned" : value
        case .outcome: value.isEmpty ? "unclassified" : value
        case .employee: employeeLabel(value) ?? EmployeeLabeler.hidden
        case .channelGroup: group(ofChannel: value)
        default: value
        }
    }
}

extension ConversationStore {
    static let pseudonymMetaKey = "employee_pseudonym_key"

    /// The installation's secret for employee pseudonyms, created (random, 256 bits) on first use.
    public func pseudonymKey() throws -> String {
        if let key = try meta(Self.pseudonymMetaKey) { return key }
        var generator = SystemRandomNumberGenerator()
        let key = SHA256.hexString((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try setMeta(Self.pseudonymMetaKey, key)
        return key
    }

    /// A reader for ROI queries over this store's aggregates.
    public func roiReader(timeZone: TimeZone, employeeFigures: EmployeeFigures) throws -> RoiReader {
        var reader = RoiReader(database: database, timeZone: timeZone, labeler: EmployeeLabeler(mode: employeeFigures, key: try pseudonymKey()),
                               callCenterContactCostCents: valuation.config.callCenterContactCostCents,
                               channelGroups: valuation.config.channels.compactMapValues(\.group),
                               serviceDepartments: valuation.config.serviceDepartments, vocabulary: LabelVocabulary(valuation.config))
        reader.attribution = attribution
        reader.pseudonyms = pseudonyms
        return reader
    }
}
