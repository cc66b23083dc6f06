import DialogSystem
import Foundation
import Synchronization
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Issue 4's socket figures: `dialogctl status` round trip with process start (beside
/// `dialogctl --version` and socat in the same run, issue 17), status requests per second on one
/// connection, and ingest throughput while 50 clients query continuously.
enum SocketBenchmark {
    static func run(files: Int) throws -> String {
        var lines = ["| measure | result | target |", "|---|---|---|"]
        let daemon = try BenchDaemon(settings: "")
        try daemon.start()
        let socketPath = daemon.root + "/run/dialogd.sock"
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let dialogctl = (exe as NSString).deletingLastPathComponent + "/dialogctl"

        // posix_spawn + waitpid, as a shell would: Foundation's Process adds ~40 ms per run here.
        // Round-robin, so a busy moment of the machine falls on every command alike (issue 17).
        let request = daemon.root + "/status-request.json"
        try Data("{\"command\":\"status\"}\n".utf8).write(to: URL(fileURLWithPath: request))
        var commands: [(label: String, argv: [String])] = [
            ("`dialogctl status` round trip, process start included", [dialogctl, "--socket", socketPath, "status"]),
            ("`dialogctl --version`: process start alone", [dialogctl, "--version"]),
        ]
        let socatPaths = ["/usr/bin/socat", "/bin/socat"]
        if let socat = socatPaths.first(where: { access($0, X_OK) == 0 }) {
            commands.append(("socat sending the same request",
                             [socat, "-t", "5", "OPEN:\(request),rdonly!!STDOUT", "UNIX-CONNECT:\(socketPath)"]))
        }
        var trips = Array(repeating: [Double](), count: commands.count)
        for _ in 0..<101 {
            for (index, command) in commands.enumerated() {
                let start = Date()
                let status = try spawnAndWait(command.argv)
                guard status == 0 else { throw BenchError("\(command.argv.joined(separator: " ")) exited \(status)") }
                trips[index].append(Date().timeIntervalSince(start) * 1000)
            }
        }
        for (index, command) in commands.enumerated() {
            let sorted = trips[index].sorted()
            let target = index == 0 ? "median ≤ 4 ms (issue 17; ≤ 10 ms issue 4)" : "—"
            lines.append(String(format: "| %@ (101 runs) | median %.1f ms, p90 %.1f ms | %@ |", command.label, sorted[50], sorted[90], target))
        }
        if commands.count < 3 { lines.append("| socat sending the same request | socat not installed | — |") }

        let client = try BenchClient(path: socketPath)
        let requests = 20_000
        let start = Date()
        for _ in 0..<requests { try client.status() }
        let rate = Double(requests) / Date().timeIntervalSince(start)
        lines.append(String(format: "| `status` requests on one connection, one at a time | %.0f /s | ≥ 5,000 /s (issue 4) |", rate))
        daemon.stop()

        let quiet = try IngestBenchmark.files(files, days: 7)
        let loaded = try IngestBenchmark.files(files, days: 7) { socket in try QueryLoad(path: socket, clients: 50) }
        let quietRate = Double(quiet.records) / quiet.seconds
        let loadedRate = Double(loaded.records) / loaded.seconds
        lines.append(String(format: "| ingest of %d files, no clients | %.0f /s | — |", files, quietRate))
        lines.append(String(format: "| ingest of %d files, 50 clients querying `status` flat out | %.0f /s (%+.0f %%) | drop ≤ 10 %% (issue 4) |", files, loadedRate, (loadedRate / quietRate - 1) * 100))
        return lines.joined(separator: "\n")
    }
}

/// One blocking connection speaking the line protocol.
/// Used by one thread at a time: created on the main thread, then handed to its client thread.
final class BenchClient: @unchecked Sendable {
    let fd: Int32
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    init(path: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in path.utf8.enumerated() { raw[i] = byte }
        }
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard rc == 0 else {
            close(fd)
            throw BenchError("connect \(path): \(SystemError.reason(errno))")
        }
    }

    deinit { close(fd) }

    /// Sends one `status` request and reads its one-line reply.
    func status() throws { try request("{\"command\":\"status\"}") }

    /// Sends one request line and reads its one-line reply (not decoded).
    func request(_ json: String) throws {
        let request = Array((json + "\n").utf8)
        guard send(fd, request, request.count, Int32(MSG_NOSIGNAL)) == request.count else { throw BenchError("send failed") }
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            guard n > 0 else { throw BenchError("connection closed") }
            if buffer[n - 1] == 0x0A { return }
        }
    }
}

/// `clients` threads, each on its own connection, asking `status` until stopped.
final class QueryLoad: Sendable {
    private let stopping = Atomic<Bool>(false)
    private let running = Atomic<Int>(0)
    let served = Atomic<Int>(0)

    init(path: String, clients: Int) throws {
        for _ in 0..<clients {
            let client = try BenchClient(path: path)
            running.add(1, ordering: .sequentiallyConsistent)
            let thread = Thread { [self] in
                while !self.stopping.load(ordering: .relaxed) {
                    guard (try? client.status()) != nil else { break }
                    self.served.add(1, ordering: .relaxed)
                }
                self.running.subtract(1, ordering: .sequentiallyConsistent)
            }
            thread.start()
        }
    }

    func stop() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        while running.load(ordering: .sequentiallyConsistent) > 0 { usleep(1000) }
    }
}

/// Runs `argv` with stdout and stderr on /dev/null; returns the exit status.
func spawnAndWait(_ argv: [String]) throws -> Int32 {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var cArgs = argv.map { strdup($0) } + [nil]
    defer { for arg in cArgs { free(arg) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, argv[0], &actions, nil, &cArgs, environ)
    guard rc == 0 else { throw BenchError("posix_spawn \(argv[0]): \(SystemError.reason(rc))") }
    var status: Int32 = 0
    try syscall("waitpid", argv[0]) { waitpid(pid, &status, 0) }
    return (status >> 8) & 0xFF
}
