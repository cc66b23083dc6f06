import DialogCore
import Foundation
import Testing

@Suite("Byte size text")
struct ByteSizeTextTests {
    /// What dialogctl printed before (String(format: "%.1f %@")), the oracle for every case.
    static func printf(_ count: Int64) -> String {
        if count < 1024 { return "\(count) B" }
        let units = ["KiB", "MiB", "GiB", "TiB"]
        var value = Double(count) / 1024
        var unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        return String(format: "%.1f %@", value, units[unit])
    }

    @Test("the same text as printf's %.1f: unit edges, exact halves (to even), rounding up into the next whole")
    func matchesPrintf() {
        var counts: [Int64] = [Int64.min, -1, 0, 1, 1023, 1024, 1025, 102_400, 1_048_575, 1_048_576, Int64.max]
        for base in [Int64(1024), 1 << 20, 1 << 30, 1 << 40] {
            for whole in [Int64(1), 2, 3, 9, 10, 999, 1023] {
                for tenth in Int64(0)...10 {
                    let at = whole * base + tenth * base / 10
                    counts += [at - 1, at, at + 1, whole * base + base / 20, whole * base + 3 * base / 20, whole * base + 19 * base / 20]
                }
            }
        }
        for count in counts where count < (1 << 62) {
            #expect(ByteSizeText.binary(count) == Self.printf(count), "\(count)")
        }
        #expect(ByteSizeText.binary(102_400) == "100.0 KiB")
        #expect(ByteSizeText.binary(1536) == "1.5 KiB")
        #expect(ByteSizeText.binary(Int64.max).hasSuffix(" TiB"), "the largest count does not trap")
    }
}
