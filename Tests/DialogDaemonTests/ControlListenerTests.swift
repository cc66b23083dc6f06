import DialogCore
import Foundation
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Where the listening socket comes from: our own bind (with stale-socket cleanup and a
/// refusal to steal a live daemon's socket) or systemd socket activation.
@Suite("Control socket listener")
struct ControlListenerTests {
    @Test("a stale socket from a crash is replaced; a live daemon's socket is never stolen")
    func staleAndLive() throws {
        let dir = TestDirectory("ctl-stale")
        let daemon = DaemonProcess(directory: dir)
        try daemon.start()
        daemon.crash()
        #expect(FileManager.default.fileExists(atPath: daemon.socketPath), "SIGKILL leaves the socket file behind")
        try daemon.start()
        #expect(try daemon.ctl("status").status == 0)

        // Its own spool and store (the same ones would stop it at their lock, before the
        // socket), but the first daemon's socket path.
        let other = TestDirectory("ctl-stale-second")
        let second = DaemonProcess(directory: other, settings: ["socket.path": daemon.socketPath])
        try second.start(waitForReady: false)
        #expect(waitUntil(10) { !second.isRunning })
        #expect(second.stop() == 1)
        #expect(second.log.contains("another dialogd answers there"), "\(second.log.suffix(500))")
        #expect(try daemon.ctl("status").status == 0, "the first daemon still owns its socket")
        #expect(daemon.stop() == 0)
        #expect(!FileManager.default.fileExists(atPath: daemon.socketPath), "a clean stop removes the socket file")
    }

    @Test("socket activation: fd 3 from systemd-socket-activate is served",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-socket-activate")))
    func socketActivation() throws {
        let dir = TestDirectory("ctl-activate")
        let daemon = DaemonProcess(directory: dir)
        let activated = dir.sub("activated.sock")
        _ = FileManager.default.createFile(atPath: daemon.logPath, contents: nil)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, daemon.logPath, O_WRONLY | O_APPEND, 0)
        posix_spawn_file_actions_addopen(&actions, 2, daemon.logPath, O_WRONLY | O_APPEND, 0)
        let command = ["/usr/bin/systemd-socket-activate", "-l", activated, DaemonProcess.binary("dialogd"), "--config", daemon.configPath]
        let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        try #require(posix_spawn(&pid, command[0], &actions, nil, argv, environ) == 0)
        defer {
            kill(pid, SIGTERM)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }
        #expect(waitUntil(10) { FileManager.default.fileExists(atPath: activated) })
        // The first connection makes systemd-socket-activate exec dialogd with the socket as fd 3.
        let status = try runDialogctl(["--socket", activated, "--json", "status"])
        #expect(status.status == 0, "\(status.stderr)\n\(daemon.log)")
        #expect(status.stdout.contains("\"conversations\" : 0"))
        #expect(!FileManager.default.fileExists(atPath: daemon.socketPath), "no socket of its own when activated")
    }
}
