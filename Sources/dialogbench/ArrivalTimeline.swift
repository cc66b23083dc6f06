import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `DIALOGBENCH_TIMELINE=1`: when a flood's files reached `cur/` (issue 17, session 16), to see
/// where a files row's wall time goes — before the first move (start, listing, first batch),
/// pauses of the moves (waiting for the next commit), and how busy the machine's cores were.
/// Printed to standard error; the measurement itself is unchanged.
struct ArrivalTimeline {
    private let started: Date
    private let machineBefore = ArrivalTimeline.machineJiffies()
    private var first: Double?
    /// The watch's queue overflowed (files dropped faster than polled): later arrivals uncounted.
    private var overflowedAt: Int?
    private var last = 0.0
    private var quietPolls = 0
    private var quietMilliseconds = 0.0

    /// A timeline when `DIALOGBENCH_TIMELINE` is set, made right before a measurement's mark
    /// (its `/proc/stat` read stays outside the measured time); nil otherwise.
    static func made() -> ArrivalTimeline? {
        getenv("DIALOGBENCH_TIMELINE") != nil ? ArrivalTimeline() : nil
    }

    private init() { started = Date() }

    /// One poll of the watch on `cur/`: `arrived` files since the poll before, `total` so far.
    mutating func poll(arrived: Int, total: Int, overflowed: Bool) {
        guard overflowedAt == nil else { return }
        if overflowed { overflowedAt = total }
        let now = Date().timeIntervalSince(started) * 1000
        defer { last = now }
        guard arrived > 0 else {
            if first != nil { quietPolls += 1; quietMilliseconds += now - last }
            return
        }
        if first == nil { first = now }
        FileHandle.standardError.write(Data(String(format: "%7.1f ms %7d in cur/\n", now, total).utf8))
    }

    /// The summary line, once drained.
    func finish() {
        let after = Self.machineJiffies()
        let total = after.total - machineBefore.total, idle = after.idle - machineBefore.idle
        let idlePercent = total > 0 ? Double(idle) / Double(total) * 100 : -1
        var line = String(
            format: "timeline: first file in cur/ after %.0f ms; %d polls (10 ms) without a move after it, %.0f ms; machine idle %.0f %% of the time",
            first ?? -1, quietPolls, quietMilliseconds, idlePercent)
        if let overflowedAt { line += "; the watch overflowed at \(overflowedAt) files, the rest not timed" }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// All cores' jiffies (user through steal: guest time is inside user already) and their
    /// idle + iowait part, from the first line of /proc/stat.
    private static func machineJiffies() -> (total: Int, idle: Int) {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = text.split(separator: "\n").first
        else { return (0, 0) }
        let values = line.split(separator: " ").dropFirst().compactMap { Int($0) }
        guard values.count >= 5 else { return (0, 0) }
        return (values.prefix(8).reduce(0, +), values[3] + values[4])
    }
}
