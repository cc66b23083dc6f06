import DialogCore
import Foundation
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Issue 13 items 3–6 and issue 12 item 6 on the real daemon and socket: a reader's huge
/// request, an outsider's flood of silent connections and a descriptor shortage leave root's
/// `status` answering within a second and ingestion flowing.
@Suite("Socket under attack")
struct SocketAbuseTests {
    static let python = "/usr/bin/python3"
    static var canSwitchUser: Bool {
        FileManager.default.isExecutableFile(atPath: ControlAccessTests.setpriv) && FileManager.default.isExecutableFile(atPath: python)
    }

    /// Seconds root's `dialogctl status` takes, and whether it succeeded.
    static func timedStatus(_ daemon: DaemonProcess) throws -> (ok: Bool, seconds: Double) {
        let started = Date()
        let result = try runDialogctl(["--socket", daemon.socketPath, "status"])
        return (result.status == 0, Date().timeIntervalSince(started))
    }

    /// Drops one record and waits until it is stored; the seconds that took, or nil.
    static func ingestSeconds(_ daemon: DaemonProcess, _ name: String) throws -> Double? {
        let before = try daemon.ctlJSON(StatusResult.self, "status").conversations
        let started = Date()
        daemon.drop(name, convRecord(employee: "probe", text: "probe \(name)"))
        let stored = waitUntil(10) { ((try? daemon.ctlJSON(StatusResult.self, "status").conversations) ?? 0) > before }
        return stored ? Date().timeIntervalSince(started) : nil
    }

    @Test("roi over ±2^40 s by day answers at once from the stored range; status and ingestion go on meanwhile")
    func hugeRoi() throws {
        let dir = TestDirectory("abuse-roi")
        let daemon = DaemonProcess(directory: dir, settings: ["access.query_group": "nogroup"])
        try daemon.start()
        defer { daemon.stop() }
        for i in 0..<3 { daemon.drop("r\(i).conv", convRecord(employee: "r\(i)", text: "roi \(i)")) }
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 3 })

        let client = try RawControlClient(path: daemon.socketPath, receiveTimeoutSeconds: 60)
        let started = Date()
        client.send(#"{"command":"roi","args":{"since":-1099511627776,"until":1099511627776,"by":"day"}}"# + "\n")
        let status = try Self.timedStatus(daemon)
        #expect(status.ok && status.seconds < 1, "status while the huge roi runs: \(status)")
        let ingest = try Self.ingestSeconds(daemon, "during.conv")
        #expect(ingest != nil && ingest! < 5, "a dropped file waited \(String(describing: ingest)) s")
        guard case .line(let line) = client.readLine() else { Issue.record("no roi reply"); return }
        let seconds = Date().timeIntervalSince(started)
        #expect(seconds < 5, "the huge roi took \(seconds) s")
        let reply = try JSONDecoder().decode(ControlReply<InCurrency<RoiReport>>.self, from: Data(line.utf8))
        let report = try #require(reply.result?.value, "\(line)")
        // The probe dropped meanwhile may or may not be counted yet.
        #expect((3...4).contains(report.total.conversations))
        #expect(report.rows.count == 1 && report.rows.first?.figures.conversations == report.total.conversations,
                "one day of data: \(report.rows.map(\.key))")
    }

    @Test("reads on the worker see every commit: list, show, roi and export after more files arrive")
    func workerSeesCommits() throws {
        let dir = TestDirectory("abuse-fresh")
        let daemon = DaemonProcess(directory: dir)
        try daemon.start()
        defer { daemon.stop() }
        let client = try RawControlClient(path: daemon.socketPath)
        for round in 1...3 {
            daemon.drop("f\(round).conv", convRecord(employee: "f\(round)", text: "fresh \(round)"))
            #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == round })
            for (request, expected) in [
                (#"{"command":"list","args":{"limit":10}}"#, #""id":\#(round),"#),
                (#"{"command":"show","args":{"key":"\#(round)"}}"#, #""id":\#(round),"#),
                (#"{"command":"roi","args":{"window":"7d"}}"#, #""conversations":\#(round),"#),
                (#"{"command":"export","args":{"window":"7d"}}"#, #""id":\#(round),"#),
            ] {
                guard case .line(let line) = client.request(request) else { Issue.record("no reply to \(request)"); continue }
                #expect(line.contains(expected), "round \(round), \(request): \(line.prefix(400))")
            }
        }
    }

    @Test("a grouping over more than 10,000 rows is refused naming the limit; a coarser one over the same data answers")
    func rowLimit() throws {
        let dir = TestDirectory("abuse-rows")
        let daemon = DaemonProcess(directory: dir, settings: ["records.max_past_days": "36500"])
        try daemon.start()
        defer { daemon.stop() }
        // Two records 36 years apart: by day that span is ~13,000 rows.
        daemon.drop("old.conv", "Date: 1990-03-01T10:00:00Z\nEmployee: old\nDepartment: service\nOutcome: resolved\nChannel: email\nDuration: 5m\n\nlong ago\n")
        daemon.drop("new.conv", convRecord(employee: "new", text: "today"))
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 2 })
        let client = try RawControlClient(path: daemon.socketPath)
        let byDay = client.request(#"{"command":"roi","args":{"window":"all","by":"day"}}"#)
        guard case .line(let refusal) = byDay else { Issue.record("no reply: \(byDay)"); return }
        #expect(refusal.contains(#""code":"bad_argument""#) && refusal.contains("at most 10000 rows"), "\(refusal)")
        let byMonth = client.request(#"{"command":"roi","args":{"since":-1099511627776,"until":1099511627776,"by":"month"}}"#)
        guard case .line(let line) = byMonth else { Issue.record("no reply: \(byMonth)"); return }
        let reply = try JSONDecoder().decode(ControlReply<InCurrency<RoiReport>>.self, from: Data(line.utf8))
        #expect(reply.result?.value.rows.count == 2 && reply.result?.value.total.conversations == 2, "\(line)")
    }

    @Test("2,000 silent connections from an outsider are refused at once and never fill the caps: root's status stays under a second",
          .enabled(if: canSwitchUser))
    func outsiderFlood() throws {
        let dir = TestDirectory("abuse-flood")
        chmod(dir.path, 0o755)
        let daemon = DaemonProcess(directory: dir, settings: ["socket.mode": "0666"])
        try daemon.start()
        defer { daemon.stop() }
        // As nobody: open 2,000 connections and send nothing; report when all are open, hold
        // them, then count the refusal lines that were waiting on them.
        dir.write("flood.py", """
            import socket, sys, time, resource, os
            soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
            conns = []
            for i in range(2000):
                s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); conns.append(s)
            print('open', flush=True)
            time.sleep(float(sys.argv[2]))
            refused = 0
            for s in conns:
                s.settimeout(2)
                try:
                    line = s.makefile('rb').readline()
                except OSError:
                    line = b''
                if b'"forbidden"' in line: refused += 1
            print(refused)
            """)
        let flood = Process()
        flood.executableURL = URL(fileURLWithPath: ControlAccessTests.setpriv)
        flood.arguments = Array(ControlAccessTests.asNobody.dropFirst()) + [Self.python, dir.sub("flood.py"), daemon.socketPath, "4"]
        flood.standardOutput = FileHandle(forWritingAtPath: dir.sub("flood.out")) ?? {
            _ = FileManager.default.createFile(atPath: dir.sub("flood.out"), contents: nil)
            return FileHandle(forWritingAtPath: dir.sub("flood.out"))!
        }()
        try flood.run()
        defer { if flood.isRunning { kill(flood.processIdentifier, SIGKILL) } }
        #expect(waitUntil(30) { (dir.read("flood.out") ?? "").hasPrefix("open") || !flood.isRunning }, "the flood did not open its connections")

        // While the 2,000 are held open: root is served at once, and holds the only connection.
        let status = try Self.timedStatus(daemon)
        #expect(status.ok && status.seconds < 1, "status during the flood: \(status)")
        let connections = try daemon.ctlJSON(StatusResult.self, "status").connections
        #expect(connections == 1, "outsiders hold no slots: \(connections) connection(s)")
        let ingest = try Self.ingestSeconds(daemon, "flooded.conv")
        #expect(ingest != nil && ingest! < 5, "a dropped file waited \(String(describing: ingest)) s")

        flood.waitUntilExit()
        let output = (dir.read("flood.out") ?? "").split(separator: "\n")
        let refused = output.count == 2 ? Int(output[1]) ?? -1 : -1
        #expect(refused == 2000, "every outsider got its refusal line: \(refused)")
        // One log line per 10 s for refusals, not 2,000.
        let lines = daemon.log.components(separatedBy: "control: refused uid 65534").count - 1
        #expect(lines >= 1 && lines <= 3, "\(lines) refusal log lines")
    }

    @Test("out of descriptors, accept backs off: no busy loop, one log line, and service resumes once descriptors free up",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit")))
    func acceptBackoff() throws {
        let dir = TestDirectory("abuse-emfile")
        let daemon = DaemonProcess(directory: dir)
        try daemon.start()
        defer { daemon.stop() }
        let pid = daemon.pid
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? 0
        #expect(open > 0)
        // Room for two clients; the rest of the connections wait in the listen queue.
        #expect(try spawnAndWait(["/usr/bin/prlimit", "--pid", "\(pid)", "--nofile=\(open + 2):\(open + 2)"],
                                 environment: nil, stdout: dir.sub("prlimit.out"), stderr: dir.sub("prlimit.err")) == 0)
        var held = try (0..<2).map { _ in try RawControlClient(path: daemon.socketPath) }
        for client in held { #expect(client.request(#"{"command":"status"}"#) != .timedOut) }
        var waiting = try (0..<10).map { _ in try RawControlClient(path: daemon.socketPath, receiveTimeoutSeconds: 15) }
        for client in waiting { client.send(#"{"command":"status"}"# + "\n") }
        let cpuBefore = Self.cpuTicks(pid)
        sleep(3)
        let cpu = Double(Self.cpuTicks(pid) - cpuBefore) / Double(sysconf(Int32(_SC_CLK_TCK)))
        #expect(cpu < 0.5, "the daemon used \(cpu) s of CPU in 3 s while out of descriptors")
        let lines = daemon.log.components(separatedBy: "Too many open files").count - 1
        #expect(lines >= 1 && lines <= 2, "\(lines) log lines about EMFILE")
        // Descriptors free up: every waiting client is answered.
        held.removeAll()
        // Each answered client hangs up, so the next one finds a free descriptor.
        var answered = 0
        var queue: [RawControlClient?] = waiting
        waiting.removeAll()
        for i in queue.indices {
            if case .line(let line) = queue[i]?.readLine(), line.hasPrefix(#"{"ok":true"#) { answered += 1 }
            queue[i] = nil
        }
        #expect(answered == 10)
    }

    static func cpuTicks(_ pid: Int32) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return 0 }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After the command: state is field 3, utime 14 and stime 15 (1-based, whole line).
        guard fields.count > 12 else { return 0 }
        return (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)
    }

    @Test("a request with a key twice, at any level, is a bad request")
    func duplicateKeys() throws {
        let dir = TestDirectory("abuse-dup")
        let daemon = DaemonProcess(directory: dir)
        try daemon.start()
        defer { daemon.stop() }
        let client = try RawControlClient(path: daemon.socketPath)
        for request in [
            #"{"command":"status","command":"reload"}"#,
            #"{"command":"list","args":{"limit":1,"limit":1000}}"#,
            #"{"command":"list","args":{"limit":1},"args":{}}"#,
            #"{"command":"status","comm\u0061nd":"status"}"#,
        ] {
            guard case .line(let line) = client.request(request) else { Issue.record("no reply to \(request)"); continue }
            #expect(line.contains(#""code":"bad_request""#) && line.contains("appears twice"), "\(request) → \(line)")
        }
        guard case .line(let fine) = client.request(#"{"command":"status","args":{}}"#) else { Issue.record("no reply"); return }
        #expect(fine.hasPrefix(#"{"ok":true"#), "\(fine)")
    }

    @Test("quarantine lists the first 1,000 entries by name and counts the rest")
    func quarantinePage() throws {
        let dir = TestDirectory("abuse-quarantine")
        let daemon = DaemonProcess(directory: dir)
        try daemon.start()
        defer { daemon.stop() }
        for i in 0..<1005 {
            let name = "q\(String(1000 + i)).bin"
            dir.write("spool/quarantine/\(name)", "x")
            dir.write("spool/quarantine/\(name).reason", "\(name): not a record")
        }
        let client = try RawControlClient(path: daemon.socketPath)
        guard case .line(let line) = client.request(#"{"command":"quarantine"}"#) else { Issue.record("no reply"); return }
        let reply = try WireCoding.decoder().decode(ControlReply<QuarantineResult>.self, from: Data(line.utf8))
        let result = try #require(reply.result, "\(line.prefix(300))")
        #expect(result.entries.count == 1000 && result.omitted == 5)
        #expect(result.entries.first?.name == "q1000.bin" && result.entries.last?.name == "q1999.bin")
        let status = try daemon.ctlJSON(StatusResult.self, "status")
        #expect(status.backlog["quarantine"] == 1005, "\(status.backlog)")
    }

    @Test("a backup is 0640 even when dialogd runs under umask 000")
    func backupMode() throws {
        let dir = TestDirectory("abuse-backup")
        let daemon = DaemonProcess(directory: dir)
        try daemon.start(launcher: ["/bin/sh", "-c", "umask 000; exec \"$0\" \"$@\""])
        defer { daemon.stop() }
        daemon.drop("b.conv", convRecord(employee: "b", text: "backed up"))
        #expect(daemon.drained())
        let target = dir.sub("backup.db")
        let result = try daemon.ctl("backup", target)
        #expect(result.status == 0, "\(result.stderr)")
        var st = stat()
        #expect(stat(target, &st) == 0)
        #expect(st.st_mode & 0o777 == 0o640, "mode \(String(st.st_mode & 0o777, radix: 8))")
    }
}
