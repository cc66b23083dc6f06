import DialogCore
import Foundation
import Testing

/// Issue 18 item 8: `--since`/`--until` take the date forms records take and read them in
/// `[records] timezone` (the test daemon's is Europe/Berlin), and `--window` any Nh/Nd/Nw.
@Suite("dialogctl dates and windows")
struct TimeArgumentTests {
    static let berlin = TimeZone(identifier: "Europe/Berlin")!

    /// Ten days ago in Berlin: (day, month, year) and the Unix second of its local midnight.
    static func localDay() -> (d: Int, m: Int, y: Int, midnight: Int64) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = berlin
        let day = calendar.startOfDay(for: Date().addingTimeInterval(-10 * 86_400))
        let parts = calendar.dateComponents([.day, .month, .year], from: day)
        return (parts.day!, parts.month!, parts.year!, Int64(day.timeIntervalSince1970))
    }

    static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// `dialogctl --json roi ARGS…`, decoded as the wire type.
    static func roi(_ daemon: DaemonProcess, _ arguments: String...) throws -> InCurrency<RoiReport> {
        let result = try runDialogctl(["--socket", daemon.socketPath, "--json", "roi"] + arguments)
        guard result.status == 0 else { throw ClientError.failed("roi \(arguments) exited \(result.status): \(result.stderr)") }
        return try JSONDecoder().decode(InCurrency<RoiReport>.self, from: Data(result.stdout.utf8))
    }

    @Test("list --since/--until: 01.11.2026, 2026-11-01 and 01.11.26 are local midnight, not UTC midnight")
    func listReadsLocalDates() throws {
        let dir = TestDirectory("ctl-dates")
        let daemon = DaemonProcess(directory: dir)
        try daemon.start()
        defer { daemon.stop() }
        let day = Self.localDay()
        // 23:30 the evening before (local) and 00:30 on the day: both before UTC midnight.
        let before = day.midnight - 1800, after = day.midnight + 1800
        daemon.drop("two.jsonl", """
            {"date": "\(RFC3339.string(before, offset: 0))", "employee": "anna", "subject": "evening"}
            {"date": "\(RFC3339.string(after, offset: 0))", "employee": "anna", "subject": "night"}

            """)
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctl("list").stdout.contains("night")) == true })
        let german = "\(Self.two(day.d)).\(Self.two(day.m)).\(day.y)"
        let iso = "\(day.y)-\(Self.two(day.m))-\(Self.two(day.d))"
        let short = "\(Self.two(day.d)).\(Self.two(day.m)).\(Self.two(day.y % 100))"
        for since in [german, iso, short, "\(short) 00:00"] {
            let r = try daemon.ctl("list", "--since", since)
            #expect(r.status == 0 && r.stdout.contains("night") && !r.stdout.contains("evening"), "--since \(since): \(r.stdout) \(r.stderr)")
        }
        let until = try daemon.ctl("list", "--until", german)
        #expect(until.status == 0 && until.stdout.contains("evening") && !until.stdout.contains("night"), "\(until.stdout) \(until.stderr)")
        let bad = try daemon.ctl("list", "--since", "32.\(Self.two(day.m)).\(day.y)")
        #expect(bad.status == 64 && bad.stderr.contains("is not a time"), "\(bad.stderr)")
    }

    @Test("roi --since 01.11.2026 starts at local midnight; --window takes 14d, 2w, 36h")
    func roiWindows() throws {
        let dir = TestDirectory("ctl-windows")
        let daemon = DaemonProcess(directory: dir)
        try daemon.start()
        defer { daemon.stop() }
        let day = Self.localDay()
        let german = "\(Self.two(day.d)).\(Self.two(day.m)).\(day.y)"
        let dated = try Self.roi(daemon, "--since", german, "--until", "\(german) 06:00").value
        #expect(dated.window.since == day.midnight && dated.window.until == day.midnight + 6 * 3600, "\(dated.window)")
        for (window, hours) in [("14d", 14 * 24), ("2w", 14 * 24), ("36h", 36), ("7D", 7 * 24), ("24h", 24)] {
            let r = try Self.roi(daemon, "--window", window).value
            #expect(r.window.until - r.window.since == Int64(hours) * 3600, "\(window): \(r.window)")
            #expect(r.previousWindow.map { $0.until - $0.since } == Int64(hours) * 3600, "\(window)")
        }
        let kpi = try daemon.ctl("kpi", "--window", "2w")
        #expect(kpi.status == 0, "\(kpi.stderr)")
    }
}
