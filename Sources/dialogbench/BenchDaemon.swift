import Foundation
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// The release `dialogd` next to this binary, on a private temp directory.
final class BenchDaemon {
    let root: String
    /// The running (or last) dialogd; `start()` makes a new one, so a daemon can be restarted.
    private(set) var process = Process()
    private let executable: URL
    var spool: String { root + "/spool" }

    init(settings: String) throws {
        var template = Array("/tmp/dialogbench-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw BenchError("mkdtemp failed")
        }
        root = String(cString: template.withUnsafeBufferPointer { $0.baseAddress! })
        let config = """
            [spool]
            dir = \(root)/spool
            \(settings)
            [store]
            path = \(root)/lib/dialogd.db
            [socket]
            path = \(root)/run/dialogd.sock
            [records]
            timezone = Europe/Berlin
            [log]
            level = notice
            """
        try config.write(toFile: root + "/dialogd.conf", atomically: true, encoding: .utf8)
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        executable = URL(fileURLWithPath: (exe as NSString).deletingLastPathComponent + "/dialogd")
        _ = FileManager.default.createFile(atPath: root + "/dialogd.log", contents: nil)
    }

    /// Starts dialogd (again) and, unless told not to, waits for this start's `ready` line.
    func start(waitForReady: Bool = true) throws {
        let readyBefore = log.components(separatedBy: " ready: ").count
        let logHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: root + "/dialogd.log"))
        logHandle.seekToEndOfFile()
        process = Process()
        process.executableURL = executable
        process.arguments = ["--config", root + "/dialogd.conf"]
        process.standardError = logHandle
        try process.run()
        guard waitForReady else { return }
        let deadline = Date().addingTimeInterval(30)
        while log.components(separatedBy: " ready: ").count == readyBefore {
            guard Date() < deadline, process.isRunning else { throw BenchError("dialogd did not start: \(log)") }
            usleep(10_000)
        }
    }

    var log: String { (try? String(contentsOfFile: root + "/dialogd.log", encoding: .utf8)) ?? "" }

    /// SIGKILL: a crash at an arbitrary moment.
    func crash() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM, waiting for the exit; the directory stays for the next `start()`.
    func terminate() {
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
    }

    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Peak resident set (VmHWM) in KiB, from /proc.
    var peakRSSKiB: Int { procStatus("VmHWM:") }
    var rssKiB: Int { procStatus("VmRSS:") }

    private func procStatus(_ field: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix(field) })
        else { return -1 }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]) ?? -1
    }

    /// utime + stime in clock ticks, from /proc/PID/stat.
    var cpuTicks: Int {
        guard let text = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")")
        else { return -1 }
        let fields = text[text.index(after: close)...].split(separator: " ")
        return (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)
    }

    /// Bytes the daemon caused to be written to storage (`write_bytes` of /proc/PID/io): the
    /// WAL, checkpoints and directory updates; -1 when the kernel does not account I/O.
    var writtenBytes: Int {
        guard let text = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/io", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("write_bytes:") })
        else { return -1 }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]) ?? -1
    }

    /// Number of entries in a spool area (dot-files included, as they are work too).
    func entries(_ area: String) -> Int {
        guard let dir = opendir(spool + "/" + area) else { return -1 }
        defer { closedir(dir) }
        var n = 0
        while let entry = readdir(dir) {
            // In place: readdir's record is only as long as its name (copying d_name reads past it).
            let first = withUnsafeMutablePointer(to: &entry.pointee.d_name) { $0.withMemoryRebound(to: UInt8.self, capacity: 2) { ($0[0], $0[1]) } }
            if first.0 == UInt8(ascii: "."), first.1 == 0 || first.1 == UInt8(ascii: ".") { continue }
            n += 1
        }
        return n
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
