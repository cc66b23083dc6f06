import Foundation

/// Maps UTC hour buckets to local calendar keys (`2026-03-29`, `2026-W13`, `2026-03`) in a
/// time zone. Exact for zones whose offsets are whole hours (all of Europe and the Americas):
/// then every UTC hour lies inside one local day. Offsets are cached per day, so 8,760 hours
/// cost a few hundred zone lookups.
public struct HourCalendar {
    public let timeZone: TimeZone
    private var cachedFrom: Int64 = 1
    private var cachedUntil: Int64 = 0
    private var cachedOffset: Int64 = 0

    public init(timeZone: TimeZone) { self.timeZone = timeZone }

    /// UTC offset in seconds in force at `t`.
    public mutating func offset(at t: Int64) -> Int64 {
        if t >= cachedFrom, t < cachedUntil { return cachedOffset }
        let date = Date(timeIntervalSince1970: Double(t))
        cachedOffset = Int64(timeZone.secondsFromGMT(for: date))
        cachedFrom = t
        let next = timeZone.nextDaylightSavingTimeTransition(after: date).map { Int64($0.timeIntervalSince1970) } ?? Int64.max
        cachedUntil = min(next, t + 86_400)
        return cachedOffset
    }

    /// The local calendar key of the hour starting at `hour × 3600`.
    public mutating func key(hour: Int64, grouping: RoiQuery.Grouping) -> String {
        let t = RoiQuery.hourStart(hour)
        let (wall, overflow) = t.addingReportingOverflow(offset(at: t))
        if overflow { return "out-of-range" }
        let days = wall % 86_400 < 0 ? wall / 86_400 - 1 : wall / 86_400
        switch grouping {
        case .week:
            let mondayBased = (Int64(CivilTime.weekday(daysSinceEpoch: Int(days))) + 6) % 7
            let thursday = days - mondayBased + 3
            let year = CivilTime.civil(fromDays: thursday).year
            let week = (thursday - Self.days(year: year, month: 1, day: 1)) / 7 + 1
            return "\(year)-W" + Self.pad(week)
        case .month:
            let c = CivilTime.civil(fromDays: days)
            return "\(c.year)-" + Self.pad(c.month)
        default:
            let c = CivilTime.civil(fromDays: days)
            return "\(c.year)-" + Self.pad(c.month) + "-" + Self.pad(c.day)
        }
    }

    static func pad(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }


    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        Int64(CivilTime.daysFromCivil(Int(year), Int(month), Int(day)))
    }
}
