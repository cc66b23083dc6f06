import DialogCore

extension RoiReader {
    /// Sums per calendar key (day, week or month in the configured zone). A UTC day whose 24
    /// hours all fall under one key is read from a daily rollup, one range scan per run of such
    /// days; the hours of days that straddle a key boundary, and the window's partial edge
    /// days, hour by hour. Keys never go backwards in time (a repeated DST hour stays on its
    /// day), so a day's first and last hour decide. Filters no daily rollup answers (employee)
    /// read every hour, as before.
    func calendarSums(_ hours: Range<Int64>, filters: Filters, grouping: RoiQuery.Grouping) throws -> [String: RoiSums] {
        var calendar = HourCalendar(timeZone: timeZone)
        let conditions = filters.conditions
        let hourly = Self.plan(columns: ["hour"], conditions: conditions, hourly: true)
            ?? Plan(table: .hourly, conditions: conditions, columns: ["hour"])
        let firstDay = Self.ceilDiv(hours.lowerBound, 24)
        let endDay = Self.floorDiv(hours.upperBound, 24)
        var merged: [String: RoiSums] = [:]
        guard firstDay < endDay, let daily = Self.plan(columns: [], conditions: conditions, hourly: false) else {
            try addHours([hours], hourly, grouping, &calendar, into: &merged)
            return merged
        }
        var hourRanges = [hours.lowerBound..<(firstDay * 24), (endDay * 24)..<hours.upperBound]
        var runs: [(key: String, days: Range<Int64>)] = []
        for day in firstDay..<endDay {
            let key = calendar.key(hour: day * 24, grouping: grouping)
            guard key == calendar.key(hour: day * 24 + 23, grouping: grouping) else {
                hourRanges.append((day * 24)..<((day + 1) * 24))
                continue
            }
            if let last = runs.last, last.key == key, last.days.upperBound == day {
                runs[runs.count - 1].days = last.days.lowerBound..<(day + 1)
            } else {
                runs.append((key, day..<(day + 1)))
            }
        }
        for run in runs {
            for cell in try scan(daily, run.days) { merged[run.key, default: RoiSums()] += cell.sums }
        }
        try addHours(Self.coalesced(hourRanges), hourly, grouping, &calendar, into: &merged)
        return merged
    }

    private func addHours(_ ranges: [Range<Int64>], _ plan: Plan, _ grouping: RoiQuery.Grouping,
                          _ calendar: inout HourCalendar, into merged: inout [String: RoiSums]) throws {
        for range in ranges where !range.isEmpty {
            for cell in try scan(plan, range) {
                merged[calendar.key(hour: Int64(cell.keys[0])!, grouping: grouping), default: RoiSums()] += cell.sums
            }
        }
    }

    /// Adjacent ranges joined, so "day" grouping (every UTC day straddles local midnight
    /// outside UTC) stays one scan.
    static func coalesced(_ ranges: [Range<Int64>]) -> [Range<Int64>] {
        var out: [Range<Int64>] = []
        for range in ranges.filter({ !$0.isEmpty }).sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = out.last, last.upperBound >= range.lowerBound {
                out[out.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                out.append(range)
            }
        }
        return out
    }
}
