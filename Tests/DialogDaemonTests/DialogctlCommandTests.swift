import DialogCore
import DialogStore
import Foundation
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Every implemented control command through the real `dialogctl` against the real daemon,
/// in human and in `--json` mode (docs/protocol.md, issue 4).
@Suite("dialogctl commands")
struct DialogctlCommandTests {
    /// A daemon with two stored conversations and one quarantined file; employees by name
    /// (PrivacyModesTests covers the other modes).
    static func seeded(_ label: String) throws -> (TestDirectory, DaemonProcess) {
        let dir = TestDirectory(label)
        let daemon = DaemonProcess(directory: dir, settings: ["privacy.employee_figures": "named"])
        try daemon.start()
        daemon.drop("a.conv", convRecord(employee: "anna", text: "refund for order 17", value: "1234.50 EUR"))
        daemon.drop("b.conv", convRecord(employee: "bert", text: "new contract", department: "sales", value: "99.00 EUR"))
        daemon.drop("broken.json", [0x7b, 0x00, 0x01, 0x02])
        #expect(daemon.drained())
        #expect(waitUntil(10) { dir.list("spool/quarantine").contains("broken.json") })
        return (dir, daemon)
    }

    @Test("status, list, show, quarantine, retry, reload, metrics, backup, check: human tables")
    func humanOutput() throws {
        let (dir, daemon) = try Self.seeded("ctl-human")
        defer { daemon.stop() }

        var st = stat()
        #expect(lstat(daemon.socketPath, &st) == 0 && st.st_mode & 0o777 == 0o660, "socket mode is 0660 by default")

        let status = try daemon.ctl("status")
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("conversations:  2"), "\(status.stdout)")
        #expect(status.stdout.contains("quarantine 1"))
        #expect(status.stdout.contains("last error:     none"))

        let list = try daemon.ctl("list")
        #expect(list.status == 0)
        let lines = list.stdout.split(separator: "\n")
        #expect(lines.count == 3, "header and two rows: \(list.stdout)")
        #expect(lines.first?.hasPrefix("ID  DATE") == true)
        #expect(list.stdout.contains("1,234.50 EUR") && list.stdout.contains("anna") && list.stdout.contains("bert"))
        // Columns line up: every row has the value column ending at the same offset.
        let valueEnds = lines.dropFirst().map { $0.range(of: " EUR")!.upperBound.utf16Offset(in: $0) }
        #expect(Set(valueEnds).count == 1, "\(list.stdout)")
        let filtered = try daemon.ctl("list", "--department", "sales", "--since", "1d", "--limit", "5")
        #expect(filtered.stdout.contains("bert") && !filtered.stdout.contains("anna"), "\(filtered.stdout)")

        let show = try daemon.ctl("show", "1")
        #expect(show.status == 0)
        #expect(show.stdout.contains("employee:") && show.stdout.contains("refund for order 17"), "\(show.stdout)")
        let missing = try daemon.ctl("show", "no-such-key")
        #expect(missing.status == 1 && missing.stderr.contains("not_found"), "\(missing.stderr)")

        let quarantine = try daemon.ctl("quarantine")
        #expect(quarantine.status == 0)
        #expect(quarantine.stdout.contains("broken.json") && quarantine.stdout.contains("NUL"), "\(quarantine.stdout)")

        let retry = try daemon.ctl("retry", "broken.json")
        #expect(retry.status == 0 && retry.stdout.contains("queued again as new/broken.json"), "\(retry.stdout)\(retry.stderr)")
        #expect(!dir.list("spool/quarantine").contains("broken.json.reason") || waitUntil(10) { dir.list("spool/quarantine").contains("broken.json") })
        // It is still broken, so it comes back with a fresh reason.
        #expect(waitUntil(10) { dir.list("spool/quarantine").contains("broken.json.reason") })
        let notThere = try daemon.ctl("retry", "nothing.conv")
        #expect(notThere.status == 1 && notThere.stderr.contains("not_found"))

        let reload = try daemon.ctl("reload")
        #expect(reload.status == 0 && reload.stdout.contains("configuration reloaded"))
        #expect(daemon.log.contains("configuration reloaded"))

        let metrics = try daemon.ctl("metrics")
        #expect(metrics.status == 0)
        #expect(metrics.stdout.contains("# TYPE dialogd_records_stored_total counter\ndialogd_records_stored_total 2\n"), "\(metrics.stdout)")
        #expect(metrics.stdout.contains("dialogd_spool_backlog_files{area=\"quarantine\"} 1"))

        let backup = try daemon.ctl("backup", dir.sub("copy.db"))
        #expect(backup.status == 0 && backup.stdout.contains("backup written to \(dir.sub("copy.db"))"), "\(backup.stderr)")
        let copy = try Database(path: dir.sub("copy.db"), flags: [.readOnly])
        #expect(try copy.scalar("SELECT count(*) FROM conversations", as: Int.self) == 2)
        let again = try daemon.ctl("backup", dir.sub("copy.db"))
        #expect(again.status == 64, "an existing target is refused before anything is sent")

        let check = try daemon.ctl("check")
        #expect(check.status == 0 && check.stdout == "integrity_check: ok\n")

        let roi = try daemon.ctl("roi", "--window", "30d")
        #expect(roi.status == 0 && roi.stdout.contains("1,333.50 EUR"), "\(roi.stdout)\(roi.stderr)")
    }

    @Test("the same commands with --json print the raw result")
    func jsonOutput() throws {
        let (dir, daemon) = try Self.seeded("ctl-json")
        defer { daemon.stop() }

        let status = try daemon.ctlJSON(StatusResult.self, "status")
        #expect(status.conversations == 2 && status.recordsStored == 2 && status.backlog["quarantine"] == 1)
        #expect(status.version == DialogVersion.current && status.pid == daemon.pid)

        let list = try daemon.ctlJSON(ListResult.self, "list", "--employee", "anna")
        #expect(list.conversations.map(\.employee) == ["anna"])
        #expect(list.conversations.first?.valueCents == 123_450 && list.conversations.first?.currency == "EUR")
        let limited = try daemon.ctlJSON(ListResult.self, "list", "--limit", "1")
        #expect(limited.conversations.count == 1 && limited.truncated)

        let key = list.conversations[0].key
        let shown = try daemon.ctlJSON(ConversationDetail.self, "show", key)
        #expect(shown.summary.key == key && shown.text == "refund for order 17" && shown.sourceFile == "a.conv")

        let quarantine = try daemon.ctlJSON(QuarantineResult.self, "quarantine")
        #expect(quarantine.entries.map(\.name) == ["broken.json"])
        #expect(quarantine.entries.first?.reason?.contains("NUL") == true)

        let retry = try daemon.ctlJSON(RetryResult.self, "retry", "broken.json")
        #expect(retry == RetryResult(name: "broken.json", queuedAs: "broken.json"))

        #expect(try daemon.ctlJSON(ReloadResult.self, "reload").reloaded)

        let metrics = try daemon.ctlJSON(MetricsResult.self, "metrics")
        #expect(metrics.text.contains("dialogd_conversations 2\n"))

        let backup = try daemon.ctlJSON(BackupResult.self, "backup", dir.sub("copy.db"))
        #expect(backup.path == dir.sub("copy.db") && backup.bytes > 0 && backup.pages > 0)

        let check = try daemon.ctlJSON(CheckResult.self, "check")
        #expect(check == CheckResult(healthy: true, integrity: "ok"))

        // The raw reply shape, as any client sees it.
        let raw = try RawControlClient(path: daemon.socketPath)
        guard case .line(let line) = raw.request(#"{"command":"check"}"#) else { Issue.record("no reply"); return }
        #expect(line == #"{"ok":true,"result":{"healthy":true,"integrity":"ok"}}"#)
        guard case .line(let error) = raw.request(#"{"command":"kpi","args":{"window":"1y"}}"#) else { Issue.record("no reply"); return }
        #expect(error.hasPrefix(#"{"error":{"code":"bad_argument","#) && error.hasSuffix(#""ok":false}"#))
    }

    @Test("usage errors exit 64, an unreachable daemon 69, --help and --version work")
    func exitCodes() throws {
        let dir = TestDirectory("ctl-exit")
        for arguments in [["nosuchcommand"], ["status", "--bogus"], ["list", "--limit", "abc"], ["list", "--since", "yesterday-ish"],
                          ["show"], ["show", "a", "b"], ["--socket"], [], ["roi", "--by", "planet"],
                          ["roi", "--window", "2x"], ["roi", "--window", "0d"], ["list", "--since", "32.11.2026"], ["kpi", "--window", "bogus"], ["pyramid", "--outcome"], ["recompute", "--all"]] {
            let result = try runDialogctl(["--socket", dir.sub("none.sock")] + arguments)
            #expect(result.status == 64, "\(arguments): \(result.status) \(result.stderr)")
            #expect(result.stderr.hasPrefix("dialogctl: "), "\(arguments)")
        }
        let unreachable = try runDialogctl(["status"], environment: ["DIALOGD_SOCKET": dir.sub("nosuch.sock")])
        #expect(unreachable.status == 69)
        #expect(unreachable.stderr.contains("systemctl start dialogd") && unreachable.stderr.contains("swift run dialogd"))

        // A socket file nobody listens on (a crashed daemon's) is unreachable too.
        let stale = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = try #require(Optional(sockaddrUn(dir.sub("stale.sock"))))
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(stale, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        close(stale)
        #expect(try runDialogctl(["--socket", dir.sub("stale.sock"), "status"]).status == 69)

        // --config finds the socket in the INI file.
        dir.write("c.conf", "[socket]\npath = \(dir.sub("from-config.sock"))\n")
        let viaConfig = try runDialogctl(["--config", dir.sub("c.conf"), "status"])
        #expect(viaConfig.status == 69 && viaConfig.stderr.contains(dir.sub("from-config.sock")))

        let version = try runDialogctl(["--version"])
        #expect(version.status == 0 && version.stdout == "dialogctl \(DialogVersion.current)\n")
        let help = try runDialogctl(["--help"])
        #expect(help.status == 0 && help.stdout.contains("SUBCOMMANDS:") && help.stdout.contains("backup"))
        for command in ["status", "list", "show", "quarantine", "retry", "reload", "metrics", "backup", "check", "roi", "kpi", "pyramid", "recompute"] {
            let sub = try runDialogctl([command, "--help"])
            #expect(sub.status == 0 && sub.stdout.hasPrefix("OVERVIEW: ") && sub.stdout.contains("USAGE: dialogctl \(command)"), "\(command)")
        }
    }
}

func sockaddrUn(_ path: String) -> sockaddr_un {
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
        raw.copyBytes(from: Array(path.utf8))
        raw[path.utf8.count] = 0
    }
    return address
}
