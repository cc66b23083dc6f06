/// A byte count for people: `512 B`, `100.0 KiB`, `1.5 MiB`, one decimal, rounded half to even
/// as `printf("%.1f")` does. In integers, so dialogctl's start pays no `String(format:)`: its
/// variadic arguments cost a scan of every protocol conformance of the binary (issue 17).
public enum ByteSizeText {
    static let units = ["KiB", "MiB", "GiB", "TiB"]

    public static func binary(_ count: Int64) -> String {
        if count < 1024 { return "\(count) B" }
        var unit = 0
        var divisor: Int64 = 1024
        while count / divisor >= 1024, unit < units.count - 1 {
            divisor *= 1024
            unit += 1
        }
        var whole = count / divisor
        let rest = count % divisor  // < divisor ≤ 2^40, so rest × 10 cannot overflow
        var tenths = rest * 10 / divisor
        let left = rest * 10 % divisor
        if left * 2 > divisor || (left * 2 == divisor && tenths % 2 == 1) { tenths += 1 }
        if tenths == 10 {
            whole += 1
            tenths = 0
        }
        return "\(whole).\(tenths) \(units[unit])"
    }
}
