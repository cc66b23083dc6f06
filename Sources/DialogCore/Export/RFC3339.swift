/// Unix seconds and a UTC offset as RFC 3339 (`2026-11-28T14:05:00+01:00`), without Foundation
/// formatters: what export writes and every record parser reads back.
public enum RFC3339 {
    public static func string(_ seconds: Int64, offset: Int32) -> String {
        let local = seconds + Int64(offset)
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let secondOfDay = local - days * 86_400
        let (y, m, d) = CivilTime.civil(fromDays: days)
        let sign = offset < 0 ? "-" : "+"
        let o = Int64(abs(Int(offset)))
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay % 3600 / 60, 2)):\(pad(secondOfDay % 60, 2))"
            + (offset == 0 ? "Z" : "\(sign)\(pad(o / 3600, 2)):\(pad(o % 3600 / 60, 2))")
    }

    static func pad(_ n: Int64, _ width: Int) -> String {
        let digits = String(n)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
