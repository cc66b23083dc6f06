import DialogCore
import Foundation
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// docs/protocol.md access rules, with a real peer of another uid: `dialogctl` run through
/// `setpriv` as nobody (65534/nogroup); tests run as root.
@Suite("Control socket access")
struct ControlAccessTests {
    static let setpriv = "/usr/bin/setpriv"
    static var asNobody: [String] { [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"] }

    /// A daemon whose socket nobody can reach (mode 0666, directories traversable).
    static func daemon(_ label: String, access: [String: String] = [:]) throws -> (TestDirectory, DaemonProcess) {
        let dir = TestDirectory(label)
        chmod(dir.path, 0o755)
        var settings = ["socket.mode": "0666"]
        settings.merge(access) { $1 }
        let daemon = DaemonProcess(directory: dir, settings: settings)
        try daemon.start()
        return (dir, daemon)
    }

    func nobody(_ daemon: DaemonProcess, _ arguments: String...) throws -> CommandResult {
        try runDialogctl(["--socket", daemon.socketPath] + arguments, prefix: Self.asNobody)
    }

    @Test("a peer outside the groups is refused with a clear error and a log line naming its uid",
          .enabled(if: FileManager.default.isExecutableFile(atPath: setpriv)))
    func outsiderRefused() throws {
        let (_, daemon) = try Self.daemon("acl-out")
        defer { daemon.stop() }
        let refused = try nobody(daemon, "status")
        #expect(refused.status == 1, "\(refused.stdout) \(refused.stderr)")
        #expect(refused.stderr.contains("uid 65534 may not use dialogd") && refused.stderr.contains("[forbidden]"), "\(refused.stderr)")
        #expect(waitUntil(5) { daemon.log.contains("control: refused uid 65534") }, "\(daemon.log)")
        // Root is still served, and the daemon carries on.
        #expect(try daemon.ctl("status").status == 0)
    }

    @Test("query_group members may read but not steer", .enabled(if: FileManager.default.isExecutableFile(atPath: setpriv)))
    func readerRole() throws {
        let (_, daemon) = try Self.daemon("acl-read", access: ["access.query_group": "nogroup"])
        defer { daemon.stop() }
        for command in ["ping", "status", "list", "quarantine", "metrics", "check", "roi", "kpi", "pyramid"] {
            let result = try nobody(daemon, command)
            #expect(result.status == 0, "\(command): \(result.stderr)")
        }
        for command in [["reload"], ["retry", "x.conv"], ["backup", "/tmp/never-written.db"], ["recompute"]] {
            let result = try runDialogctl(["--socket", daemon.socketPath] + command, prefix: Self.asNobody)
            #expect(result.status == 1 && result.stderr.contains("needs the admin role"), "\(command): \(result.stderr)")
        }
    }

    @Test("admin_group members may steer", .enabled(if: FileManager.default.isExecutableFile(atPath: setpriv)))
    func adminRole() throws {
        let (_, daemon) = try Self.daemon("acl-admin", access: ["access.admin_group": "nogroup"])
        defer { daemon.stop() }
        let reload = try nobody(daemon, "reload")
        #expect(reload.status == 0, "\(reload.stderr)")
        #expect(try nobody(daemon, "status").status == 0)
    }

    @Test("one uid may hold at most 32 connections; others are still served",
          .enabled(if: FileManager.default.isExecutableFile(atPath: setpriv) && FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
    func perUIDCap() throws {
        let (dir, daemon) = try Self.daemon("acl-cap", access: ["access.query_group": "nogroup"])
        defer { daemon.stop() }
        // 40 connections as nobody, each asking for status; count answers and refusals.
        dir.write("cap.py", """
            import socket, json, sys
            conns = []
            for i in range(40):
                s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); conns.append(s)
            ok = busy = 0
            for s in conns:
                try:
                    s.sendall(b'{"command":"status"}\\n')
                except OSError:
                    pass  # a refused connection may already be closed; its busy reply is still readable
            for s in conns:
                try:
                    line = s.makefile('rb').readline()
                except OSError:
                    line = b''
                reply = json.loads(line) if line else {}
                if reply.get("ok"): ok += 1
                elif reply.get("error", {}).get("code") == "busy": busy += 1
            print(ok, busy)
            """)
        let status = try spawnAndWait(Self.asNobody + ["/usr/bin/python3", dir.sub("cap.py"), daemon.socketPath],
                                      environment: nil, stdout: dir.sub("cap.out"), stderr: dir.sub("cap.err"))
        #expect(status == 0, "\(dir.read("cap.err") ?? "")")
        let text = dir.read("cap.out") ?? ""
        let counts = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Int($0) }
        #expect(counts == [32, 8], "answers and busy refusals: \(text)")
        #expect(try daemon.ctl("status").status == 0)
    }
}
