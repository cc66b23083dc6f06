import DialogCore
import DialogStore
import Foundation

/// Issue 17's read rows on a store that already exists (one kept by `DIALOGBENCH_KEEP=1 dialogbench
/// pyramid`, or a copy of a live one): the time to open it (its pending migrations), then
/// `pyramid --window 30d` in every privacy mode and `roi --window 365d --by department`,
/// interleaved. No ingest, so before/after binaries can take turns on copies of one file.
enum ReadsBenchmark {
    static func run(path: String, rounds: Int) throws -> String {
        let opened = DispatchTime.now().uptimeNanoseconds
        let store = try ConversationStore(path: path)
        let openMs = Double(DispatchTime.now().uptimeNanoseconds - opened) / 1e6
        try store.adopt(Valuation())
        // The newest stored hour is "now": the windows then hold what a live store's do.
        let last = try store.database.scalar("SELECT max(hour) FROM roi_hourly", as: Int64.self) ?? 0
        let now = (last + 1) * 3600 - 1
        let zone = TimeZone(identifier: "Europe/Berlin")!
        var readers: [(String, RoiReader)] = []
        for mode in [EmployeeFigures.pseudonymous, .named, .off] {
            readers.append(("pyramid --window 30d, \(mode.rawValue)", try store.roiReader(timeZone: zone, employeeFigures: mode)))
        }
        let pyramid = RoiQuery(window: .d30), roi = RoiQuery(window: .d365, groupBy: .department)
        var times = Array(repeating: [(wall: Double, cpu: Double)](), count: readers.count + 1)
        for _ in 0..<rounds {
            for (i, (_, reader)) in readers.enumerated() {
                times[i].append(try timed { _ = try reader.pyramid(pyramid, now: now) })
            }
            times[readers.count].append(try timed { _ = try readers[0].1.roi(roi, now: now) })
        }
        func median(_ t: [(wall: Double, cpu: Double)]) -> String {
            String(format: "%.2f ms | %.2f ms", t.map(\.wall).sorted()[t.count / 2] * 1000, t.map(\.cpu).sorted()[t.count / 2] * 1000)
        }
        var text = "| \(path) (median of \(rounds), interleaved) | wall | thread CPU |\n|---|---|---|\n"
        text += String(format: "| open (pending migrations) | %.0f ms | |\n", openMs)
        for (i, (name, _)) in readers.enumerated() { text += "| \(name) | \(median(times[i])) |\n" }
        return text + "| roi --window 365d --by department | \(median(times[readers.count])) |"
    }

    /// Wall time and this thread's CPU time of `body`, in seconds: on a machine shared with other
    /// jobs the wall time includes waiting for a core, the CPU time does not.
    static func timed(_ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
        func cpu() -> Double {
            var t = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
            return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
        }
        let (cpu0, wall0) = (cpu(), DispatchTime.now().uptimeNanoseconds)
        try body()
        return (Double(DispatchTime.now().uptimeNanoseconds - wall0) / 1e9, cpu() - cpu0)
    }
}
