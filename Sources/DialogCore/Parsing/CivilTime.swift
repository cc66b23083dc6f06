import Foundation

/// Calendar arithmetic on proleptic Gregorian dates, hand-written for speed (no Calendar/DateFormatter).
enum CivilTime {
    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (H. Hinnant's days_from_civil).
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// Days since 1970-01-01 → proleptic Gregorian date (H. Hinnant's civil_from_days).
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
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

    /// 0 = Sunday … 6 = Saturday.
    static func weekday(daysSinceEpoch days: Int) -> Int { ((days % 7) + 11) % 7 }

    /// Wall-clock seconds (as if UTC) → UTC instant in `zone`. A time in the spring gap is moved
    /// forward by the gap (02:30 → 03:30 CEST); an autumn time that occurs twice takes the first.
    static func resolveLocal(_ wall: Int64, in zone: TimeZone) -> (utc: Int64, offset: Int32) {
        let before = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(wall - 86_400))))
        let after = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(wall + 86_400))))
        func offset(at t: Int64) -> Int64 { Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(t)))) }
        if before == after {
            let o = offset(at: wall - before)
            if o == before { return (wall - before, Int32(before)) }
            // A transition inside the window that reverses within it (rare); fall back to a direct guess.
            let t = wall - o
            return (t, Int32(offset(at: t)))
        }
        var best: Int64?
        for o in [before, after] where offset(at: wall - o) == o {
            let t = wall - o
            if best == nil || t < best! { best = t }
        }
        if let t = best { return (t, Int32(offset(at: t))) }
        // Nonexistent wall time: interpret with the offset in force before the gap → shifted forward.
        let t = wall - before
        return (t, Int32(offset(at: t)))
    }
}
