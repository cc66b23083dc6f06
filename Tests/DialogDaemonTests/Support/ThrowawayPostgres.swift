import Foundation
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// A real PostgreSQL server of the machine's own binaries (Debian's `postgresql`), initialised
/// in a temporary directory for one test and stopped after it: Unix socket only, no TCP, as
/// nobody when the tests run as root (the server refuses root). No cluster of the system's.
final class ThrowawayPostgres {
    /// `/usr/lib/postgresql/N/bin` of the newest N ≥ 15 (HEADER MATCH in COPY), or `PG_BINDIR`.
    static let binDirectory: String? = {
        let fm = FileManager.default
        var candidates: [String] = []
        if let dir = ProcessInfo.processInfo.environment["PG_BINDIR"] { candidates.append(dir) }
        let versions = ((try? fm.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).compactMap(Int.init).filter { $0 >= 15 }
        candidates += versions.sorted(by: >).map { "/usr/lib/postgresql/\($0)/bin" }
        return candidates.first { dir in ["initdb", "pg_ctl", "postgres", "psql"].allSatisfy { fm.isExecutableFile(atPath: dir + "/" + $0) } }
    }()

    /// The server refuses root: as root, its programs run as nobody through setpriv.
    static let canDropRoot = getuid() != 0 || FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")

    let directory: String
    var socketDirectory: String { directory }
    var dataDirectory: String { directory + "/data" }
    private let bin: String
    private var started = false
    /// As root: run the server's programs as nobody, who owns the directory.
    private let asUser: [String] = getuid() == 0 ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : []

    /// `initdb` and `pg_ctl start`; throws with the server's log when either fails.
    init() throws {
        guard let bin = Self.binDirectory else { throw ClientError.failed("no PostgreSQL binaries") }
        self.bin = bin
        // Not a TestDirectory: that one is root's 0700 and nobody could not enter it.
        var template = Array("/tmp/dialogd-pg-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else { throw ClientError.failed("mkdtemp: errno \(errno)") }
        directory = String(cString: template.withUnsafeBufferPointer { $0.baseAddress! })
        if getuid() == 0 { chown(directory, 65534, 65534) }
        try run([bin + "/initdb", "-D", dataDirectory, "-U", "warehouse", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"], "initdb")
        // Unix socket only (empty listen_addresses), in our directory; durability is not the point here.
        try run([bin + "/pg_ctl", "-D", dataDirectory, "-l", directory + "/server.log", "-w", "-t", "60", "-o",
                 "-k \(socketDirectory) -c listen_addresses= -c fsync=off -c full_page_writes=off -c synchronous_commit=off",
                 "start"], "pg_ctl start")
        started = true
    }

    deinit {
        if started { _ = try? spawnAndWait(asUser + [bin + "/pg_ctl", "-D", dataDirectory, "-m", "immediate", "-w", "stop"], environment: nil, stdout: "/dev/null", stderr: "/dev/null") }
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func run(_ command: [String], _ what: String) throws {
        let out = directory + "/\(what.replacingOccurrences(of: " ", with: "-")).out"
        let status = try spawnAndWait(asUser + command, environment: nil, stdout: out, stderr: out)
        guard status == 0 else {
            let log = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
            let server = (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? ""
            throw ClientError.failed("\(what) exited \(status): \(log)\n\(server)")
        }
    }

    /// `psql` (as whoever runs the tests: trust over the socket) with `arguments`, standard input
    /// from `stdin`; `environment` adds to ours (e.g. PGTZ).
    func psql(_ arguments: [String], stdin: String = "/dev/null", environment: [String: String] = [:]) throws -> CommandResult {
        let outputs = TestDirectory("psql-out")
        let command = [bin + "/psql", "-X", "-q", "-h", socketDirectory, "-U", "warehouse", "-d", "postgres"] + arguments
        let env = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let status = try spawnAndWait(command, environment: env, stdin: stdin, stdout: outputs.sub("stdout"), stderr: outputs.sub("stderr"))
        return CommandResult(status: status, stdout: outputs.read("stdout") ?? "", stderr: outputs.read("stderr") ?? "")
    }
}
