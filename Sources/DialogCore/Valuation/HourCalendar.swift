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
            let mondayBased = (Self.weekdaySundayZero(days) + 6) % 7
            let thursday = days - mondayBased + 3
            let year = Self.civil(thursday).year
            let week = (thursday - Self.days(year: year, month: 1, day: 1)) / 7 + 1
            return "\(year)-W" + Self.pad(week)
        case .month:
            let c = Self.civil(days)
            return "\(c.year)-" + Self.pad(c.month)
        default:
            let c = Self.civil(days)
            return "\(c.year)-" + Self.pad(c.month) + "-" + Self.pad(c.day)
        }
    }

    static func pad(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }

    static func weekdaySundayZero(_ days: Int64) -> Int64 { ((days % 7) + 11) % 7 }

    /// Days since 1970-01-01 → proleptic Gregorian date (H. Hinnant's civil_from_days).
    static func civil(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        Int64(CivilTime.daysFromCivil(Int(year), Int(month), Int(day)))
    }
}
