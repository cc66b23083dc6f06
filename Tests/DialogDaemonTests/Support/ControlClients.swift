import DialogCore
import Foundation
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// What a finished `dialogctl` run left: exit status and its two streams.
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the real `dialogctl` (optionally through a prefix such as `setpriv …`) and waits.
/// posix_spawn + waitpid rather than Foundation's Process: under parallel tests its
/// `waitUntilExit` was seen to miss a child's exit and hang over a zombie.
func runDialogctl(_ arguments: [String], environment: [String: String]? = nil, prefix: [String] = [], stdin: String = "/dev/null") throws -> CommandResult {
    let command = prefix + [DaemonProcess.binary("dialogctl")] + arguments
    // Files, not pipes: a daemon another test spawns at the same moment may inherit a pipe's
    // write end, and then EOF never comes.
    let outputs = TestDirectory("ctl-out")
    let status = try spawnAndWait(command, environment: environment, stdin: stdin, stdout: outputs.sub("stdout"), stderr: outputs.sub("stderr"))
    return CommandResult(status: status, stdout: outputs.read("stdout") ?? "", stderr: outputs.read("stderr") ?? "")
}

/// Starts `command` with stdout/stderr to files and waits for it; returns its exit status.
func spawnAndWait(_ command: [String], environment: [String: String]?, stdin: String = "/dev/null", stdout: String, stderr: String) throws -> Int32 {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
    let env = environment ?? ProcessInfo.processInfo.environment
    let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { (argv + envp).forEach { free($0) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, command[0], &actions, nil, argv, envp)
    guard spawned == 0 else { throw ClientError.failed("posix_spawn \(command[0]): errno \(spawned)") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
        guard errno == EINTR else { throw ClientError.failed("waitpid: errno \(errno)") }
    }
    // WIFEXITED / WEXITSTATUS, which do not import.
    return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
}

extension DaemonProcess {
    var socketPath: String { directory.sub("run/dialogd.sock") }

    /// `dialogctl --socket <ours> ARGS…`
    func ctl(_ arguments: String...) throws -> CommandResult {
        try runDialogctl(["--socket", socketPath] + arguments)
    }

    /// `dialogctl --socket <ours> --json ARGS…`, the result decoded as `T`.
    func ctlJSON<T: Decodable>(_ type: T.Type, _ arguments: String...) throws -> T {
        let result = try runDialogctl(["--socket", socketPath, "--json"] + arguments)
        guard result.status == 0 else { throw ClientError.failed("dialogctl \(arguments) exited \(result.status): \(result.stderr)") }
        return try WireCoding.decoder().decode(T.self, from: Data(result.stdout.utf8))
    }
}

enum ClientError: Error {
    case failed(String)
}

/// `body` (connect, bind) with `path` as a Unix socket address and its length.
func withUnixAddress(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Int32) -> Int32 {
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let bytes = Array(path.utf8)
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
        raw.copyBytes(from: bytes)
        raw[bytes.count] = 0
    }
    return withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
}

/// A raw blocking connection to the control socket, for what dialogctl never does:
/// huge lines, silence, many connections at once.
/// `@unchecked Sendable`: a test hands one to another thread, never to two at once.
final class RawControlClient: @unchecked Sendable {
    let fd: Int32
    private var buffered: [UInt8] = []

    init(path: String, receiveTimeoutSeconds: Int = 10) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ClientError.failed("socket: errno \(errno)") }
        let connected = withUnixAddress(path) { connect(fd, $0, $1) }
        guard connected == 0 else {
            let err = errno
            close(fd)
            throw ClientError.failed("connect \(path): errno \(err)")
        }
        var timeout = timeval(tv_sec: receiveTimeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    /// Sends every byte; returns the errno that stopped it (EPIPE, ECONNRESET), or 0.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Int32 {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += n
        }
        return 0
    }

    func send(_ text: String) { send(Array(text.utf8)) }

    enum LineResult: Equatable {
        case line(String)
        /// The daemon closed the connection (EOF or reset).
        case closed
        case timedOut
    }

    func readLine() -> LineResult {
        while true {
            if let newline = buffered.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffered[..<newline], as: UTF8.self)
                buffered.removeSubrange(...newline)
                return .line(line)
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 { buffered.append(contentsOf: chunk[..<n]); continue }
            if n == 0 { return .closed }
            if errno == EINTR { continue }
            return errno == EAGAIN || errno == EWOULDBLOCK ? .timedOut : .closed
        }
    }

    /// One request, one reply line.
    func request(_ json: String) -> LineResult {
        send(json + "\n")
        return readLine()
    }
}

/// A `.conv` record for today with a unique text, for tests that need stored conversations.
func convRecord(employee: String, text: String, department: String = "service", value: String = "10.50 EUR") -> String {
    "Date: \(isoDate(-3600))\nEmployee: \(employee)\nDepartment: \(department)\nOutcome: resolved\nChannel: email\nDuration: 30m\nValue: \(value)\nSubject: about \(text)\n\n\(text)\n"
}
