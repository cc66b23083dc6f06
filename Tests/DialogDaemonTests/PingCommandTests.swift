import DialogCore
import Foundation
import Testing

/// `ping` (docs/protocol.md): the cheapest proof that the daemon's loop answers its socket,
/// for scripts and health checks. Through the real socket and the real `dialogctl`.
@Suite("ping")
struct PingCommandTests {
    @Test("the socket answers ping with {\"pong\":true}; arguments are refused")
    func socketPing() throws {
        let dir = TestDirectory("ping-socket")
        let daemon = DaemonProcess(directory: dir)
        try daemon.start()
        defer { daemon.stop() }
        let client = try RawControlClient(path: daemon.socketPath)
        #expect(client.request(#"{"command":"ping"}"#) == .line(#"{"ok":true,"result":{"pong":true}}"#))
        #expect(client.request(#"{"command":"ping","args":{}}"#) == .line(#"{"ok":true,"result":{"pong":true}}"#))
        guard case .line(let refused) = client.request(#"{"command":"ping","args":{"now":1}}"#) else {
            Issue.record("no reply to ping with an argument")
            return
        }
        #expect(refused.contains(#""code":"bad_argument""#) && refused.contains(#"ping takes no argument \"now\""#), "\(refused)")
        // The connection stays usable after a refusal.
        #expect(client.request(#"{"command":"ping"}"#) == .line(#"{"ok":true,"result":{"pong":true}}"#))
    }

    @Test("dialogctl ping: pong for people, the result for --json, 64 for extra words, 69 with no daemon")
    func dialogctlPing() throws {
        let dir = TestDirectory("ping-ctl")
        let daemon = DaemonProcess(directory: dir)
        try daemon.start()
        defer { daemon.stop() }

        let human = try daemon.ctl("ping")
        #expect(human.status == 0 && human.stdout == "pong\n" && human.stderr.isEmpty, "\(human)")
        #expect(try daemon.ctlJSON(PingResult.self, "ping") == PingResult(pong: true))
        let json = try daemon.ctl("--json", "ping")
        #expect(json.status == 0 && json.stdout.contains(#""pong" : true"#), "\(json.stdout)")

        let extra = try daemon.ctl("ping", "now")
        #expect(extra.status == 64 && extra.stderr.contains("dialogctl ping --help"), "\(extra)")
        let help = try daemon.ctl("ping", "--help")
        #expect(help.status == 0 && help.stdout.contains("USAGE: dialogctl ping"), "\(help)")

        let nobodyHome = try runDialogctl(["--socket", dir.sub("no-daemon.sock"), "ping"])
        #expect(nobodyHome.status == 69 && nobodyHome.stdout.isEmpty, "\(nobodyHome)")
    }
}
