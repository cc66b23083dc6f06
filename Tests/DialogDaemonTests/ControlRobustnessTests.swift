import DialogCore
import DialogStore
import Foundation
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Issue 4 "must show": hostile and numerous clients never stall the loop or each other.
@Suite("Control socket robustness")
struct ControlRobustnessTests {
    @Test("a 10 MB request line is refused and its connection closed while another client is served")
    func hugeLine() throws {
        let dir = TestDirectory("ctl-huge")
        let daemon = DaemonProcess(directory: dir)
        try daemon.start()
        defer { daemon.stop() }
        let hostile = try RawControlClient(path: daemon.socketPath)
        let other = try RawControlClient(path: daemon.socketPath)
        nonisolated(unsafe) var sendError: Int32 = -1
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            sendError = hostile.send([UInt8](repeating: UInt8(ascii: "x"), count: 10 * 1024 * 1024))
            done.signal()
        }
        guard case .line(let reply) = other.request(#"{"command":"status"}"#) else { Issue.record("other client not served"); return }
        #expect(reply.hasPrefix(#"{"ok":true"#))
        #expect(done.wait(timeout: .now() + 10) == .success, "the 10 MB writer was never cut off")
        #expect(sendError == EPIPE || sendError == ECONNRESET, "send stopped with errno \(sendError)")
        // Whatever reached us before the close is the too_large reply; then the connection is gone.
        var result = hostile.readLine()
        if case .line(let line) = result {
            #expect(line.contains(#""code":"too_large""#), "\(line)")
            result = hostile.readLine()
        }
        #expect(result == .closed)
        #expect(daemon.log.contains("over 65536 bytes"))
        // A line of exactly 64 KiB is still a request (and a bad one, politely answered).
        let big = try RawControlClient(path: daemon.socketPath)
        guard case .line(let answer) = big.request(String(repeating: " ", count: 65_536 - 20) + #"{"command":"status"}"#) else {
            Issue.record("a 64 KiB line was not answered"); return
        }
        #expect(answer.hasPrefix(#"{"ok":true"#), "\(answer.prefix(200))")
    }

    @Test("200 concurrent clients each get the answer to their own question")
    func manyClients() throws {
        let dir = TestDirectory("ctl-many")
        let daemon = DaemonProcess(directory: dir, settings: ["privacy.employee_figures": "named"])
        try daemon.start()
        defer { daemon.stop() }
        for i in 0..<20 { daemon.drop("r\(i).conv", convRecord(employee: "e\(i)", text: "conversation \(i)")) }
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 20 })
        // All 200 connected at once, then all ask, then all read: the daemon holds them together.
        let clients = try (0..<200).map { _ in try RawControlClient(path: daemon.socketPath) }
        for (i, client) in clients.enumerated() {
            client.send(#"{"command":"list","args":{"employee":"e\#(i % 20)"}}"# + "\n")
        }
        var correct = 0
        for (i, client) in clients.enumerated() {
            guard case .line(let line) = client.readLine() else { continue }
            let reply = try WireCoding.decoder().decode(ControlReply<ListResult>.self, from: Data(line.utf8))
            if reply.result?.conversations.map(\.employee) == ["e\(i % 20)"] { correct += 1 }
        }
        #expect(correct == 200)
        // They can go on asking on the same connections.
        guard case .line(let again) = clients[199].request(#"{"command":"show","args":{"key":"1"}}"#) else { Issue.record("no reply"); return }
        #expect(again.contains(#""ok":true"#))
    }

    @Test("a client that pipelines 2,000 requests in one write gets 2,000 replies in order (backpressure, not loss)")
    func pipelining() throws {
        let dir = TestDirectory("ctl-pipe")
        let daemon = DaemonProcess(directory: dir)
        try daemon.start()
        defer { daemon.stop() }
        for i in 0..<5 { daemon.drop("p\(i).conv", convRecord(employee: "p\(i)", text: "pipelined \(i) " + String(repeating: "x", count: 200))) }
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 5 })
        let client = try RawControlClient(path: daemon.socketPath)
        // 80 KB of requests (over one 64 KiB read) and ~1 KB of reply each, 2 MB in all: eight times
        // the 256 KiB output high-water mark (up to 30 records a reply, 12 MB, took ~4× as long).
        let requests = (0..<2000).map { i in #"{"command":"list","args":{"limit":\#(i % 5 + 1)}}"# + "\n" }.joined()
        let writer = Thread { client.send(Array(requests.utf8)) }
        writer.start()
        var inOrder = 0
        for i in 0..<2000 {
            let result = client.readLine()
            guard case .line(let line) = result else { Issue.record("reply \(i): \(result)\n\(daemon.log.suffix(1500))"); break }
            let reply = try WireCoding.decoder().decode(ControlReply<ListResult>.self, from: Data(line.utf8))
            if reply.result?.conversations.count == i % 5 + 1 { inOrder += 1 }
        }
        #expect(inOrder == 2000)
    }

    @Test("a client that asks for megabytes and does not read blocks no one; later it gets every reply in order")
    func slowReader() throws {
        let dir = TestDirectory("ctl-slow")
        let daemon = DaemonProcess(directory: dir)
        try daemon.start()
        defer { daemon.stop() }
        for i in 0..<30 { daemon.drop("s\(i).conv", convRecord(employee: "s\(i)", text: "slow \(i) " + String(repeating: "y", count: 200))) }
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 30 })
        let slow = try RawControlClient(path: daemon.socketPath)
        // 300 requests of ~6 KB replies, ~1.8 MB: well over the socket buffer (~200 KB) and the
        // daemon's 256 KiB high-water mark together, so both fill up (1,000 decoded 3× as long).
        let requests = (0..<300).map { _ in #"{"command":"list","args":{"limit":30}}"# + "\n" }.joined()
        let writer = Thread { slow.send(Array(requests.utf8)) }
        writer.start()
        usleep(500_000)
        let started = Date()
        #expect(try daemon.ctl("status").status == 0, "another client is served")
        daemon.drop("late.conv", convRecord(employee: "late", text: "arrives while a client does not read"))
        #expect(daemon.drained(5), "ingestion goes on")
        #expect(waitUntil(5) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 31 })
        #expect(Date().timeIntervalSince(started) < 5)
        var complete = 0
        for i in 0..<300 {
            guard case .line(let line) = slow.readLine() else { Issue.record("reply \(i) missing"); break }
            let reply = try WireCoding.decoder().decode(ControlReply<ListResult>.self, from: Data(line.utf8))
            // Replies answered before "late.conv" list 30 rows, later ones too (limit 30).
            if reply.result?.conversations.count == 30 { complete += 1 }
        }
        #expect(complete == 300)
    }

    @Test("at most 256 connections at once: the next one gets a clear busy error; a freed slot is reused")
    func totalCap() throws {
        let dir = TestDirectory("ctl-total")
        let daemon = DaemonProcess(directory: dir)
        try daemon.start()
        defer { daemon.stop() }
        // This test runs as root, whom the per-uid cap does not bind: only the total applies.
        var held = try (0..<256).map { _ in try RawControlClient(path: daemon.socketPath) }
        for client in held { client.send(#"{"command":"status"}"# + "\n") }
        var answered = 0
        for client in held { if case .line(let line) = client.readLine(), line.hasPrefix(#"{"ok":true"#) { answered += 1 } }
        #expect(answered == 256)
        let extra = try RawControlClient(path: daemon.socketPath)
        guard case .line(let refusal) = extra.readLine() else { Issue.record("no busy reply"); return }
        #expect(refusal.contains(#""code":"busy""#) && refusal.contains("at most 256"), "\(refusal)")
        #expect(extra.readLine() == .closed)
        held.removeLast()  // closes its descriptor
        #expect(waitUntil(5) { (try? daemon.ctl("status").status) == 0 }, "a freed slot serves again")
        #expect(daemon.log.contains("serves at most 256 connections"))
    }

    @Test("check runs off the loop: 20 clients asking at once while files arrive all get ok, and ingestion goes on")
    func concurrentChecks() throws {
        let dir = TestDirectory("ctl-check")
        let daemon = DaemonProcess(directory: dir)
        try daemon.start()
        defer { daemon.stop() }
        for i in 0..<50 { daemon.drop("c\(i).conv", convRecord(employee: "c\(i)", text: "checked \(i)")) }
        let clients = try (0..<20).map { _ in try RawControlClient(path: daemon.socketPath) }
        for client in clients { client.send(#"{"command":"check"}"# + "\n") }
        for i in 50..<100 { daemon.drop("c\(i).conv", convRecord(employee: "c\(i)", text: "checked \(i)")) }
        var healthy = 0
        for client in clients {
            if case .line(let line) = client.readLine(), line.contains(#""healthy":true"#), line.contains(#""integrity":"ok""#) { healthy += 1 }
        }
        #expect(healthy == 20)
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 100 })
    }

    @Test("a client that connects and sends nothing (or half a line) blocks no one")
    func silentClient() throws {
        let dir = TestDirectory("ctl-silent")
        let daemon = DaemonProcess(directory: dir)
        try daemon.start()
        defer { daemon.stop() }
        let silent = try RawControlClient(path: daemon.socketPath, receiveTimeoutSeconds: 1)
        let half = try RawControlClient(path: daemon.socketPath, receiveTimeoutSeconds: 1)
        half.send(#"{"command":"sta"#)
        let started = Date()
        let status = try daemon.ctl("status")
        #expect(status.status == 0)
        daemon.drop("late.conv", convRecord(employee: "x", text: "arrives while two clients hang"))
        #expect(daemon.drained(5), "ingestion goes on")
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(silent.readLine() == .timedOut, "the silent client is left alone, not answered or closed")
        half.send(#"tus"}"# + "\n")
        #expect(half.readLine() != .closed)
    }

    @Test("an idle client is disconnected after socket.idle_timeout_seconds; an active one is not")
    func idleTimeout() throws {
        let dir = TestDirectory("ctl-idle")
        let daemon = DaemonProcess(directory: dir, settings: ["socket.idle_timeout_seconds": "1"])
        try daemon.start()
        defer { daemon.stop() }
        let idle = try RawControlClient(path: daemon.socketPath, receiveTimeoutSeconds: 5)
        let active = try RawControlClient(path: daemon.socketPath, receiveTimeoutSeconds: 5)
        let started = Date()
        for _ in 0..<6 {
            usleep(300_000)
            #expect(active.request(#"{"command":"status"}"#) != .closed)
        }
        #expect(idle.readLine() == .closed, "the silent client is closed")
        #expect(Date().timeIntervalSince(started) < 4)
        #expect(active.request(#"{"command":"status"}"#) != .closed, "the active one stays")
        #expect(daemon.log.contains("idle for 1 s"))
    }

    @Test("backup produces a database that opens and passes integrity_check while ingestion runs")
    func backupWhileIngesting() throws {
        let dir = TestDirectory("ctl-backup")
        let daemon = DaemonProcess(directory: dir, settings: ["spool.batch_max_files": "5"])
        try daemon.start()
        defer { daemon.stop() }
        let padding = String(repeating: "lorem ipsum ", count: 170)
        let spool = daemon.spool
        @Sendable func drop(_ i: Int) {
            let lines = (0..<10).map { j in
                #"{"date":"\#(isoDate(-7200))","employee":"w\#(i % 9)","duration":"5m","text":"rec-\#(i)-\#(j) \#(padding)"}"#
            }
            let name = "w\(i).jsonl"
            _ = FileManager.default.createFile(atPath: "\(spool)/tmp/\(name)", contents: Data((lines.joined(separator: "\n") + "\n").utf8))
            rename("\(spool)/tmp/\(name)", "\(spool)/new/\(name)")
        }
        for i in 0..<150 { drop(i) } // 1,500 records of 2 KB: ~800 pages, a dozen backup steps.
        #expect(daemon.drained(60))
        // Files keep arriving during the backup, a few every millisecond, from a thread of its own
        // (not the shared pool, which parallel tests may keep busy): 250 more, a backlog of 5-file
        // batches the loop stores between the backup's steps. (Up to 1,000 made the backup chase
        // 8,500 more records, ~30 s, and proved nothing more.)
        let stop = DispatchSemaphore(value: 0)
        let stopped = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var dropped = 150
        let dropper = Thread {
            while stop.wait(timeout: .now()) == .timedOut, dropped < 400 {
                for _ in 0..<3 { drop(dropped); dropped += 1 }
                usleep(1000)
            }
            stopped.signal()
        }
        dropper.start()
        #expect(waitUntil(10) { dropped >= 180 })
        let backup = try daemon.ctlJSON(BackupResult.self, "backup", dir.sub("live-copy.db"))
        stop.signal()
        stopped.wait()
        #expect(backup.pages > 10 * 64, "the copy took many steps: \(backup.pages) pages")
        #expect(daemon.drained(60))

        let copy = try Database(path: dir.sub("live-copy.db"), flags: [.readOnly])
        #expect(try copy.fetchAll("PRAGMA integrity_check") { row in row[0] as String } == ["ok"])
        let copied = try #require(try copy.scalar("SELECT count(*) FROM conversations", as: Int.self))
        #expect(copied >= 1500, "the copy holds at least what was stored before it began: \(copied)")
        let store = try ConversationStore(path: daemon.databasePath)
        #expect(try store.conversationCount() == dropped * 10, "nothing lost while the backup ran")
        // The log shows batches committed between the backup's start and its end.
        let log = daemon.log
        let begin = try #require(log.range(of: "started a backup to"))
        let end = try #require(log.range(of: "backup to \(dir.sub("live-copy.db")) done"))
        let during = log[begin.upperBound..<end.lowerBound].components(separatedBy: " stored, ").count - 1
        #expect(during > 0, "files stored while the backup ran: \(during)")
        print("backup: \(backup.pages) pages in \(backup.milliseconds) ms, \(during) files stored meanwhile, \(dropped) files in all")
    }
}
