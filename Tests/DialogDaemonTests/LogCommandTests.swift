import DialogCore
import Foundation
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// `dialogctl log`: refuses invalid input with a clear message and writes nothing; valid
/// input lands in new/ (through tmp/) and the real daemon ingests it; the prompts work.
@Suite("dialogctl log")
struct LogCommandTests {
    static func spool(_ dir: TestDirectory) -> String {
        for area in ["tmp", "new"] { try? FileManager.default.createDirectory(atPath: dir.sub("spool/\(area)"), withIntermediateDirectories: true) }
        return dir.sub("spool")
    }

    @Test("invalid input is refused with the flag, what was expected and what was found; nothing is written", arguments: [
        (["--employee", "anna", "--duration", "lange"], "--duration", "lange"),
        (["--employee", "anna", "--date", "gestern"], "--date", "gestern"),
        (["--employee", "anna", "--value", "12 USD"], "--value", "12 USD"),
        (["--employee", "anna", "--satisfaction", "9"], "--satisfaction", "9"),
        (["--channel", "email", "--text", "no employee"], "--employee", ""),
        (["--employee", "anna", "--department", "salse"], "--department", "salse"),
    ])
    func refused(arguments: [String], flag: String, found: String) throws {
        let dir = TestDirectory("log-bad")
        let daemon = DaemonProcess(directory: dir)  // writes the config with this spool
        _ = Self.spool(dir)
        let result = try runDialogctl(["--config", daemon.configPath, "log"] + arguments, environment: ["PATH": "/usr/bin:/bin"])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("refused, nothing written: \(flag)"), "\(result.stderr)")
        #expect(found.isEmpty || result.stderr.contains(found), "\(result.stderr)")
        #expect(dir.list("spool/tmp").isEmpty && dir.list("spool/new").isEmpty)
    }

    @Test("the dropped file is 0640 under any umask (the daemon reads it through the drop group); no fields and no terminal is refused")
    func modeAndEmptyInput() throws {
        let dir = TestDirectory("log-mode")
        let daemon = DaemonProcess(directory: dir)
        _ = Self.spool(dir)
        let strict = try runDialogctl(["--config", daemon.configPath, "log", "--employee", "anna", "--text", "umask 077"],
                                      prefix: ["/bin/sh", "-c", "umask 077; exec \"$0\" \"$@\""])
        #expect(strict.status == 0, "\(strict.stderr)")
        let names = dir.list("spool/new")
        #expect(names.count == 1)
        var st = stat()
        #expect(stat(dir.sub("spool/new/" + (names.first ?? "")), &st) == 0 && st.st_mode & 0o777 == 0o640, "mode \(String(st.st_mode & 0o777, radix: 8))")

        let empty = try runDialogctl(["--config", daemon.configPath, "log"], environment: ["PATH": "/usr/bin:/bin", "USER": "anna"])
        #expect(empty.status == 64 && empty.stderr.contains("nothing to log"), "\(empty.stderr)")
        #expect(dir.list("spool/new").count == 1 && dir.list("spool/tmp").isEmpty)
    }

    @Test("valid input goes through tmp/ into new/ and the daemon stores it as given")
    func logged() throws {
        let dir = TestDirectory("log-ok")
        let daemon = DaemonProcess(directory: dir, settings: ["privacy.employee_figures": "named"])
        try daemon.start()
        defer { daemon.stop() }
        let result = try runDialogctl(["--config", daemon.configPath, "log", "--employee", "anna.schmidt", "--channel", "Xing",
                                       "--department", "sales", "--outcome", "lead", "--duration", "25m", "--value", "1.200,00 €",
                                       "--subject", "Angebot", "--text", "40 Lizenzen, \"Pilot\" im Januar\nRückruf Freitag", "--id", "crm-77"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("logged: \(dir.sub("spool/new/log-"))") && !result.stdout.contains("anna"), "file names do not name the employee")
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 1 })
        let stored = try daemon.ctlJSON(ConversationDetail.self, "show", "crm-77")
        #expect(stored.summary.employee == "anna.schmidt" && stored.summary.channel == "xing" && stored.summary.department == "sales")
        #expect(stored.summary.durationS == 1500 && stored.summary.valueCents == 120_000 && stored.summary.subject == "Angebot")
        #expect(stored.text == "40 Lizenzen, \"Pilot\" im Januar\nRückruf Freitag")
        #expect(dir.list("spool/tmp").isEmpty && dir.list("spool/quarantine").isEmpty)
    }

    @Test("prompts: defaults in brackets, a refused answer is asked again, the daemon stores the answers")
    func prompts() throws {
        let dir = TestDirectory("log-prompt")
        let daemon = DaemonProcess(directory: dir, settings: ["privacy.employee_figures": "named"])
        try daemon.start()
        defer { daemon.stop() }
        // channel, text, department, outcome, duration (refused, then asked again after the
        // summary), value, confirm; the rest comes from flags.
        let answers = ["chat", "Kunde will sein Geld zurück", "service", "resolved", "lange", "", "20m", "y"]
        dir.write("answers", answers.joined(separator: "\n") + "\n")
        let result = try runDialogctl(["--config", daemon.configPath, "log", "--interactive", "--employee", "bob", "--customer", "@kunde1",
                                       "--subject", "Erstattung", "--satisfaction", "4"], stdin: dir.sub("answers"))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("Channel [email]: ") && result.stderr.contains("refused: --duration: expected a duration"))
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 1 })
        let list = try daemon.ctlJSON(ListResult.self, "list")
        let row = try #require(list.conversations.first)
        #expect(row.employee == "bob" && row.channel == "chat" && row.outcome == "resolved" && row.durationS == 1200 && row.subject == "Erstattung")
    }

    @Test("prompts stop without writing when input ends or the answer is no")
    func declined() throws {
        let dir = TestDirectory("log-no")
        let daemon = DaemonProcess(directory: dir)
        _ = Self.spool(dir)
        for answers in ["chat\n", "chat\ntext\nservice\nresolved\n10m\n\nn\n"] {
            dir.write("answers", answers)
            let result = try runDialogctl(["--config", daemon.configPath, "log", "--interactive"], stdin: dir.sub("answers"))
            #expect(result.status == 1, "\(result.stderr)")
            #expect(dir.list("spool/tmp").isEmpty && dir.list("spool/new").isEmpty)
        }
    }

    @Test("on a terminal without field flags, log asks (driven through a pseudo-terminal by script(1))")
    func terminal() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { return }
        let dir = TestDirectory("log-tty")
        let daemon = DaemonProcess(directory: dir)
        _ = Self.spool(dir)
        dir.write("answers", "\nhallo\n\n\n\n\ny\n")
        let command = "\(DaemonProcess.binary("dialogctl")) --config \(daemon.configPath) log"
        var environment = ProcessInfo.processInfo.environment
        environment["USER"] = "carl"
        environment["SUDO_USER"] = nil
        let status = try spawnAndWait(["/usr/bin/script", "-qec", command, "/dev/null"], environment: environment, stdin: dir.sub("answers"),
                                      stdout: dir.sub("out"), stderr: dir.sub("err"))
        #expect(status == 0, "\(dir.read("out") ?? "") \(dir.read("err") ?? "")")
        #expect(dir.read("out")?.contains("logging for carl") == true && dir.read("out")?.contains("Channel [email]") == true)
        #expect(dir.list("spool/new").count == 1 && dir.list("spool/tmp").isEmpty)
    }
}
