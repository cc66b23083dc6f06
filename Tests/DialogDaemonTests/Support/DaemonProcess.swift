import Foundation
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// The real `dialogd` binary, started on a test directory with its own config, spool and store.
final class DaemonProcess {
    let directory: TestDirectory
    let configPath: String
    private var process: Process?
    private var logHandle: FileHandle?
    var spool: String { directory.sub("spool") }
    var databasePath: String { directory.sub("lib/dialogd.db") }
    var logPath: String { directory.sub("dialogd.log") }

    /// The executables SwiftPM built next to the test bundle, or those in `DIALOGD_TEST_BINARIES`:
    /// CI runs the daemon's hostile-input suites against an AddressSanitizer build of them (.ci/run).
    static func binary(_ name: String) -> String {
        if let directory = ProcessInfo.processInfo.environment["DIALOGD_TEST_BINARIES"], !directory.isEmpty {
            return directory + "/" + name
        }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return (exe as NSString).deletingLastPathComponent + "/" + name
    }

    /// `settings` are `section.key` → value, over the test defaults below.
    init(directory: TestDirectory, settings: [String: String] = [:]) {
        self.directory = directory
        configPath = directory.sub("dialogd.conf")
        var merged: [String: String] = [
            "spool.dir": directory.sub("spool"),
            "spool.rescan_seconds": "2",
            "store.path": directory.sub("lib/dialogd.db"),
            "socket.path": directory.sub("run/dialogd.sock"),
            "records.timezone": "Europe/Berlin",
            "log.level": "debug",
        ]
        merged.merge(settings) { $1 }
        var text = ""
        // The section is everything before the last dot (`department.billing.hourly_cost`).
        func section(_ key: String) -> String { key.lastIndex(of: ".").map { String(key[..<$0]) } ?? key }
        for name in Set(merged.keys.map(section)).sorted() {
            text += "[\(name)]\n"
            for (key, value) in merged.sorted(by: { $0.key < $1.key }) where section(key) == name {
                text += "\(key.dropFirst(name.count + 1)) = \(value)\n"
            }
        }
        directory.write("dialogd.conf", text)
    }

    deinit {
        if let process, process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    var pid: Int32 { process?.processIdentifier ?? -1 }
    var isRunning: Bool { process?.isRunning ?? false }

    /// Starts the daemon and waits for its `ready` log line (the recovery scan is done by then).
    /// `launcher` runs it through another program (e.g. a shell that sets the umask and execs it).
    @discardableResult
    func start(waitForReady: Bool = true, environment: [String: String] = [:], launcher: [String] = []) throws -> DaemonProcess {
        if !FileManager.default.fileExists(atPath: logPath) {
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        }
        let readyBefore = readyLines
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        handle.seekToEndOfFile()
        let p = Process()
        let command = launcher + [DaemonProcess.binary("dialogd"), "--config", configPath]
        p.executableURL = URL(fileURLWithPath: command[0])
        p.arguments = Array(command.dropFirst())
        if !environment.isEmpty {
            p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        p.standardError = handle
        p.standardOutput = handle
        try p.run()
        process = p
        logHandle = handle
        if waitForReady {
            guard waitUntil(30, every: 1_000, { self.readyLines > readyBefore || !p.isRunning }), p.isRunning else {
                throw DaemonError.notReady(log)
            }
        }
        return self
    }

    /// How many times the daemon has said it is ready, to tell this start from earlier ones.
    private var readyLines: Int { log.components(separatedBy: " ready: ").count - 1 }

    /// SIGTERM and wait; returns the exit status.
    @discardableResult
    func stop() -> Int32 {
        guard let process else { return -1 }
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            // A test that failed while the daemon was SIGSTOPped must not wait forever here.
            kill(process.processIdentifier, SIGCONT)
        }
        process.waitUntilExit()
        self.process = nil
        return process.terminationStatus
    }

    /// SIGKILL: a crash at an arbitrary moment.
    func crash() {
        guard let process else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    var log: String { directory.read("dialogd.log") ?? "" }

    /// Drops a file the protocol's way: write into tmp/, rename into new/.
    func drop(_ name: String, _ bytes: [UInt8]) {
        directory.write("spool/tmp/\(name)", bytes)
        rename(directory.sub("spool/tmp/\(name)"), directory.sub("spool/new/\(name)"))
    }

    func drop(_ name: String, _ text: String) { drop(name, Array(text.utf8)) }

    /// Waits until new/ is empty; false on timeout.
    func drained(_ seconds: Double = 30) -> Bool {
        waitUntil(seconds) { directory.list("spool/new").isEmpty }
    }
}

enum DaemonError: Error, CustomStringConvertible {
    case notReady(String)
    var description: String {
        switch self {
        case .notReady(let log): return "dialogd did not become ready; log:\n\(log)"
        }
    }
}
