import Foundation

/// The peak resident set of a live process (VmHWM of /proc/PID/status), in KiB; nil once it is gone.
func peakResidentKiB(_ pid: Int32) -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return Int(line.dropFirst("VmHWM:".count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
    }
    return nil
}

/// The limit docs/reliability.md promises for the daemon's whole run.
let residentLimitKiB = 64 * 1024
