import DialogCore
import DialogStore
import Foundation
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Issue 12: whoever may drop files into the spool must not be able to crash the daemon, stall
/// ingestion for everyone, or make it grow. Each test plays one attack on the real binary.
@Suite("Hostile spool: droppers cannot crash, stall or bloat the daemon", .serialized)
struct HostileSpoolTests {
    static func conv(_ text: String, date: String = isoDate(-600)) -> String {
        "Date: \(date)\nEmployee: good\n\n\(text)\n"
    }

    /// Creates `name` (raw bytes, not necessarily UTF-8) in tmp/ and renames it into new/.
    static func dropRaw(_ dir: TestDirectory, _ name: [UInt8], _ content: String) {
        func path(_ area: String) -> [CChar] {
            Array(dir.sub("spool/\(area)/").utf8CString.dropLast()) + name.map { CChar(bitPattern: $0) } + [0]
        }
        var tmp = path("tmp"), new = path("new")
        let fd = open(&tmp, O_CREAT | O_WRONLY | O_TRUNC, 0o644)
        _ = Array(content.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        rename(&tmp, &new)
    }

    @Test("a 70,000-byte file with an extension dialogd does not read is quarantined, at start and while running")
    func largeUnknownExtension() throws {
        let dir = TestDirectory("bigdat")
        // Planted before the start: today's code died on it in the first batch, on every restart.
        dir.write("spool/new/big.dat", [UInt8](repeating: UInt8(ascii: "x"), count: 70_000))
        let daemon = try DaemonProcess(directory: dir).start()
        daemon.drop("later.bin", [UInt8](repeating: 0, count: 200_000))
        daemon.drop("good.conv", Self.conv("beside the big ones"))
        #expect(daemon.drained(20), "left in new/: \(dir.list("spool/new"))")
        #expect(daemon.isRunning)
        for name in ["big.dat", "later.bin"] {
            let reason = try #require(dir.read("spool/quarantine/\(name).reason"))
            #expect(reason.hasPrefix("\(name): ") && reason.contains("extension"), "\(reason)")
        }
        #expect(daemon.stop() == 0)
        #expect(try ConversationStore(path: daemon.databasePath).conversationCount() == 1)
    }

    @Test("a name too long for NAME.reason or NAME.1 is that file's matter: stored under a name that fits, nothing pauses")
    func longNames() throws {
        let dir = TestDirectory("longname")
        let daemon = try DaemonProcess(directory: dir).start()
        // 250 bytes: NAME.reason (257) does not fit NAME_MAX.
        let bad = String(repeating: "b", count: 245) + ".conv"
        // 254 bytes, valid, dropped three times: NAME.1 and NAME.2 (256) do not fit.
        let good = String(repeating: "g", count: 249) + ".conv"
        // Multi-byte characters are cut whole.
        let umlauts = String(repeating: "ü", count: 120) + ".jsonl"
        daemon.drop(bad, "Employee: nobody\n\nno date\n")
        daemon.drop(good, Self.conv("first drop"))
        daemon.drop(umlauts, "{}\n{\"date\": \"\(isoDate(-600))\", \"employee\": \"u\", \"text\": \"umlaut line\"}\n")
        #expect(daemon.drained(), "left in new/: \(dir.list("spool/new"))")
        daemon.drop(good, Self.conv("second drop"))
        #expect(daemon.drained())
        daemon.drop(good, Self.conv("third drop"))
        daemon.drop("after.conv", Self.conv("after the long names"))
        #expect(daemon.drained(), "left in new/: \(dir.list("spool/new")); log:\n\(daemon.log)")
        let status = try daemon.ctlJSON(StatusResult.self, "status")
        #expect(!status.ingestPaused && status.lastError == nil, "\(status.lastError ?? "")")
        #expect(!daemon.log.contains("ingest paused"))

        let quarantine = dir.list("spool/quarantine")
        #expect(quarantine.allSatisfy { $0.utf8.count <= 255 })
        let reasonFile = try #require(quarantine.first { $0.hasPrefix("bbbb") && $0.hasSuffix(".reason") })
        #expect(reasonFile.contains("~"), "shortened with a hash: \(reasonFile)")
        let reason = try #require(dir.read("spool/quarantine/\(reasonFile)"))
        #expect(reason.hasPrefix(bad + ": "), "the reason names the original: \(reason)")
        #expect(quarantine.contains(String(reasonFile.dropLast(".reason".count))), "the file itself lies beside it")
        let rejects = try #require(quarantine.first { $0.hasPrefix("ü") && $0.hasSuffix(".rejects.jsonl") })
        #expect(String(validating: Array(rejects.utf8), as: UTF8.self) != nil)

        let archived = dir.list("spool/cur")
        #expect(archived.contains(good))
        #expect(archived.filter { $0.hasPrefix("gggg") }.count == 3, "\(archived)")
        #expect(archived.allSatisfy { $0.utf8.count <= 255 })
        #expect(daemon.stop() == 0)
        let texts = try storedTexts(ConversationStore(path: daemon.databasePath))
        #expect(Set(texts) == ["first drop", "second drop", "third drop", "umlaut line", "after the long names"])
    }

    @Test("a name with a newline gives a one-line reason that `dialogctl quarantine` reads right; a non-UTF-8 name is taken at once")
    func oddNames() throws {
        let dir = TestDirectory("oddnames")
        // No periodic rescan during the test: inotify alone must bring every name in.
        let daemon = try DaemonProcess(directory: dir, settings: ["spool.rescan_seconds": "3600"]).start()
        let evil = "evil\nname: x\u{1B}[31m.conv"
        daemon.drop(evil, "Employee: a\n\nno date\n")
        Self.dropRaw(dir, Array("latin1-".utf8) + [0xFC, 0xE4] + Array(".conv".utf8), Self.conv("not UTF-8"))
        #expect(waitUntil(10) { dir.list("spool/new").isEmpty }, "left in new/: \(dir.list("spool/new"))")
        let reason = try #require(dir.read("spool/quarantine/\(evil).reason"))
        #expect(reason.filter { $0 == "\n" }.count == 1 && reason.hasSuffix("\n"), "one line: \(reason.debugDescription)")
        #expect(reason.hasPrefix(#"evil\nname\u{3A} x\u{1B}[31m.conv: "#), "\(reason.debugDescription)")
        #expect(!reason.unicodeScalars.contains("\u{1B}"))
        let undecodable = try #require(dir.list("spool/quarantine").first { $0.hasPrefix("undecodable-name-") && !$0.hasSuffix(".reason") })
        let listing = try daemon.ctlJSON(QuarantineResult.self, "quarantine")
        let entry = try #require(listing.entries.first { $0.name == evil })
        #expect(entry.reason?.contains("date") == true && entry.reason?.contains("x.conv") == false, "\(entry.reason ?? "")")
        #expect(listing.entries.first { $0.name == undecodable }?.reason?.contains("not valid UTF-8") == true)
        #expect(daemon.stop() == 0)
    }

    @Test("a mark beside a dot hides nothing: read by its extension, one quarantined file, one backlog entry, a dot name stays hidden")
    func marksBesideDots() throws {
        let dir = TestDirectory("marknames")
        // No periodic rescan: the inotify path alone decides what is hidden.
        let daemon = try DaemonProcess(directory: dir, settings: ["spool.rescan_seconds": "3600"]).start()
        // U+0600 joins the Character after it, U+0301 the one before: "\u{600}." and ".\u{301}" are one Character each.
        let odd = "odd\u{600}", good = "good\u{600}.conv", hidden = ".\u{301}being-written.conv"
        Self.dropRaw(dir, Array(hidden.utf8), Self.conv("a writer's temporary"))
        daemon.drop(odd, Self.conv("no extension: refused"))
        daemon.drop(good, Self.conv("read as a .conv"))
        #expect(waitUntil(20) { dir.list("spool/new") == [hidden] }, "left in new/: \(dir.list("spool/new"))")
        #expect(Set(dir.list("spool/quarantine")) == [odd, odd + ".reason"])
        let listing = try daemon.ctlJSON(QuarantineResult.self, "quarantine")
        #expect(listing.entries.map(\.name) == [odd], "the .reason is no quarantined file of its own")
        #expect(listing.entries.first?.reason?.contains("extension") == true, "\(listing.entries)")
        let status = try daemon.ctlJSON(StatusResult.self, "status")
        #expect(status.backlog["quarantine"] == 1, "\(status.backlog)")
        #expect(daemon.stop() == 0)
        #expect(try storedTexts(ConversationStore(path: daemon.databasePath)) == ["read as a .conv"])
    }

    @Test("a dropped file whose own name ends in .reason or .rejects.jsonl is a quarantined file: listed with its reason, counted, retried; a companion is not")
    func companionLookalikes() throws {
        let dir = TestDirectory("lookalikes")
        let daemon = try DaemonProcess(directory: dir).start()
        daemon.drop("foo.reason", Self.conv("no extension dialogd reads"))
        daemon.drop("x\u{600}.reason", Self.conv("nor this one"))
        daemon.drop("all-bad.rejects.jsonl", "{}\n{}\n")
        daemon.drop("half.jsonl", "{}\n{\"date\": \"\(isoDate(-600))\", \"employee\": \"a\", \"text\": \"the good line\"}\n")
        #expect(daemon.drained(), "left in new/: \(dir.list("spool/new"))")
        let listing = try daemon.ctlJSON(QuarantineResult.self, "quarantine")
        let byName = Dictionary(listing.entries.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(Set(byName.keys) == ["foo.reason", "x\u{600}.reason", "all-bad.rejects.jsonl", "half.jsonl.rejects.jsonl"], "\(listing.entries)")
        #expect(byName["foo.reason"]?.kind == "file" && byName["foo.reason"]?.reason?.contains("extension") == true)
        #expect(byName["all-bad.rejects.jsonl"]?.kind == "file" && byName["all-bad.rejects.jsonl"]?.reason?.contains("refused") == true,
                "\(String(describing: byName["all-bad.rejects.jsonl"]))")
        #expect(byName["half.jsonl.rejects.jsonl"]?.kind == "rejects")
        #expect(try daemon.ctlJSON(StatusResult.self, "status").backlog["quarantine"] == 4)
        for companion in ["foo.reason.reason", "half.jsonl.rejects.jsonl"] {
            let refused = try daemon.ctl("retry", companion)
            #expect(refused.status != 0 && refused.stderr.contains("is not the name of a quarantined file"), "\(companion): \(refused.stderr)")
        }
        let retried = try daemon.ctl("retry", "foo.reason")
        #expect(retried.status == 0, "\(retried.stderr)")
        // Still without a readable extension: back with a fresh reason, no .reason.reason left alone.
        #expect(waitUntil(10) { Set(dir.list("spool/quarantine")).isSuperset(of: ["foo.reason", "foo.reason.reason"]) && dir.list("spool/new").isEmpty })
        #expect(daemon.stop() == 0)
        #expect(try storedTexts(ConversationStore(path: daemon.databasePath)) == ["the good line"])
    }

    @Test("names are bytes: \"Müller.conv\" composed (as Linux writes it) and decomposed (u + U+0308, as a Mac does) are two files, both stored at once")
    func canonicallyEqualNames() throws {
        let dir = TestDirectory("nfdnames")
        let (composed, decomposed) = ("M\u{FC}ller.conv", "Mu\u{308}ller.conv")
        // Waiting at the start (one listing holds both), then again while running.
        dir.write("spool/new/" + composed, Array(Self.conv("written on Linux").utf8))
        dir.write("spool/new/" + decomposed, Array(Self.conv("written on a Mac").utf8))
        let daemon = try DaemonProcess(directory: dir, settings: ["spool.rescan_seconds": "3600"]).start()
        #expect(daemon.drained(10), "left in new/: \(dir.list("spool/new"))")
        daemon.drop(decomposed, Self.conv("again from the Mac"))
        daemon.drop(composed, Self.conv("again from Linux"))
        #expect(daemon.drained(10), "left in new/: \(dir.list("spool/new"))")
        #expect(daemon.stop() == 0)
        #expect(Set(try storedTexts(ConversationStore(path: daemon.databasePath))) == ["written on Linux", "written on a Mac", "again from the Mac", "again from Linux"])
        #expect(dir.list("spool/cur").count == 4)
    }

    @Test("a million bad lines cost a counter: 1,000 listed, one line with the rest, the run under 64 MiB")
    func millionBadLines() throws {
        let dir = TestDirectory("million")
        let daemon = try DaemonProcess(directory: dir, settings: ["log.level": "info"]).start()
        let good = "{\"date\": \"\(isoDate(-600))\", \"employee\": \"a\", \"text\": \"the one good line\"}\n"
        daemon.drop("one-good.jsonl", good + String(repeating: "{}\n", count: 999_999))
        daemon.drop("all-bad.jsonl", String(repeating: "{}\n", count: 1_000_000))
        #expect(daemon.drained(300), "left in new/: \(dir.list("spool/new"))")
        let peak = try #require(peakResidentKiB(daemon.pid))
        print("HostileSpoolTests.millionBadLines: dialogd peak RSS (VmHWM) \(peak) KiB")
        #expect(peak < residentLimitKiB, "peak RSS \(peak) KiB")

        let rejects = try #require(dir.read("spool/quarantine/one-good.jsonl.rejects.jsonl"))
        let lines = rejects.split(separator: "\n")
        #expect(lines.count == 1000 + 1)
        #expect(lines.last?.contains("\"omitted\":\(999_999 - 1000)") == true, "\(lines.last ?? "")")
        #expect(rejects.utf8.count < 1 << 20)
        let reason = try #require(dir.read("spool/quarantine/all-bad.jsonl.reason"))
        #expect(reason.contains("all 1000000 records were refused"), "\(reason)")
        #expect(daemon.stop() == 0)
        #expect(try storedTexts(ConversationStore(path: daemon.databasePath)) == ["the one good line"])
    }

    @Test("a 48 MB .jsonl of 200,000 records (a quarter's export) is stored by default, the run under 64 MiB")
    func quarterExportReingests() throws {
        let dir = TestDirectory("quarter")
        let daemon = try DaemonProcess(directory: dir, settings: ["log.level": "info"]).start()
        let padding = String(repeating: "x", count: 140)
        let dates = (0..<500).map { isoDate(-600 - $0 * 3600) }
        var text = ""
        text.reserveCapacity(50_000_000)
        for i in 0..<200_000 {
            text += "{\"id\": \"q-\(i)\", \"date\": \"\(dates[i % dates.count])\", \"employee\": \"e\(i % 40)\", \"channel\": \"email\", \"text\": \"record \(i) \(padding)\"}\n"
        }
        #expect(text.utf8.count > 48_000_000)
        daemon.drop("quarter.jsonl", text)
        text = ""
        #expect(daemon.drained(600), "left in new/: \(dir.list("spool/new"))")
        let peak = try #require(peakResidentKiB(daemon.pid))
        print("HostileSpoolTests.quarterExportReingests: dialogd peak RSS (VmHWM) \(peak) KiB")
        #expect(peak < residentLimitKiB, "peak RSS \(peak) KiB")
        #expect(dir.list("spool/cur") == ["quarter.jsonl"])
        #expect(daemon.stop() == 0)
        #expect(try ConversationStore(path: daemon.databasePath).conversationCount() == 200_000)
    }

    @Test("a .jsonl line over spool.max_record_bytes is rejected on its own; a .csv row over it refuses the file")
    func recordLimit() throws {
        let dir = TestDirectory("recordlimit")
        let daemon = try DaemonProcess(directory: dir, settings: ["spool.max_record_bytes": "4K"]).start()
        let date = isoDate(-600)
        let long = String(repeating: "y", count: 10_000)
        daemon.drop("long-line.jsonl", """
            {"date": "\(date)", "employee": "a", "text": "before"}
            {"date": "\(date)", "employee": "a", "text": "\(long)"}
            {"date": "\(date)", "employee": "a", "text": "after"}

            """)
        daemon.drop("long-row.csv", "date,employee,text\n\(date),a,ok\n\(date),a,\(long)\n")
        #expect(daemon.drained())
        let rejects = try #require(dir.read("spool/quarantine/long-line.jsonl.rejects.jsonl"))
        #expect(rejects.contains("\"line\":2") && rejects.contains("spool.max_record_bytes"), "\(rejects)")
        let reason = try #require(dir.read("spool/quarantine/long-row.csv.reason"))
        #expect(reason.contains("line 3") && reason.contains("spool.max_record_bytes"), "\(reason)")
        #expect(daemon.stop() == 0)
        #expect(Set(try storedTexts(ConversationStore(path: daemon.databasePath))) == ["before", "after"])
    }

    @Test("too many open files is never the file's fault: it waits in new/ and is stored once descriptors are back")
    func descriptorShortage() throws {
        let dir = TestDirectory("emfile")
        let daemon = try DaemonProcess(directory: dir).start()
        // Below what it holds already: every further open(2) fails with EMFILE.
        let open = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(daemon.pid)/fd").count
        #expect(open > 8)
        #expect(try spawnAndWait(["/usr/bin/prlimit", "--pid", "\(daemon.pid)", "--nofile=8:4096"],
                                 environment: nil, stdout: "/dev/null", stderr: "/dev/null") == 0)
        daemon.drop("waits.conv", Self.conv("waited for a descriptor"))
        #expect(waitUntil(10) { daemon.log.contains("left in new/ for a retry") }, "log:\n\(daemon.log)")
        Thread.sleep(forTimeInterval: 1)
        #expect(dir.list("spool/new") == ["waits.conv"])
        #expect(dir.list("spool/quarantine").isEmpty)
        #expect(daemon.isRunning)
        #expect(try spawnAndWait(["/usr/bin/prlimit", "--pid", "\(daemon.pid)", "--nofile=4096:4096"],
                                 environment: nil, stdout: "/dev/null", stderr: "/dev/null") == 0)
        #expect(daemon.drained(40), "log:\n\(daemon.log)")
        #expect(dir.list("spool/quarantine").isEmpty)
        #expect(daemon.stop() == 0)
        #expect(try storedTexts(ConversationStore(path: daemon.databasePath)) == ["waited for a descriptor"])
    }

    @Test("a second daemon on the same store and spool exits non-zero, naming the lock and the pid holding it")
    func singleInstance() throws {
        let dir = TestDirectory("lock")
        let first = try DaemonProcess(directory: dir).start()
        let other = TestDirectory("lock-second")
        let second = DaemonProcess(directory: other, settings: [
            "spool.dir": dir.sub("spool"), "store.path": dir.sub("lib/dialogd.db"), "socket.path": other.sub("run/dialogd.sock"),
        ])
        try second.start(waitForReady: false)
        #expect(waitUntil(20) { !second.isRunning })
        let status = second.stop()
        #expect(status != 0)
        #expect(second.log.contains(dir.sub("spool/.dialogd.lock")) && second.log.contains("pid \(first.pid)"), "\(second.log)")
        // The first one is untouched and still works.
        first.drop("still.conv", Self.conv("still one daemon"))
        #expect(first.drained())
        #expect(first.stop() == 0)
        // Once it is gone, the lock is free again.
        let again = try DaemonProcess(directory: other, settings: [
            "spool.dir": dir.sub("spool"), "store.path": dir.sub("lib/dialogd.db"), "socket.path": other.sub("run/dialogd.sock"),
        ]).start()
        #expect(again.stop() == 0)
    }

    @Test("every class at once, beside good files: alive, not paused, each good record once, each hostile file quarantined with a one-line reason, under 64 MiB")
    func everyClassAtOnce() throws {
        let dir = TestDirectory("hostile-spool")
        let daemon = try DaemonProcess(directory: dir, settings: ["spool.max_file_bytes": "64K", "spool.max_record_bytes": "4K", "log.level": "info"]).start()
        let date = isoDate(-600)
        var goodTexts: [String] = []
        func goodConv(_ name: String) {
            goodTexts.append("good \(name)")
            daemon.drop(name, Self.conv("good \(name)", date: date))
        }
        for i in 0..<5 { goodConv("good-before-\(i).conv") }

        // Every class of reliability.md's table (and of `Hostile and broken input`) ...
        let classic = HostileInputTests.cases
        for c in classic { c.plant(dir, c.name) }
        var hostile = classic.map(\.name)
        dir.write("spool/new/big.dat", [UInt8](repeating: UInt8(ascii: "x"), count: 70_000))
        hostile.append("big.dat")
        let long = String(repeating: "b", count: 245) + ".conv"
        daemon.drop(long, "Employee: nobody\n\nno date\n")
        let evil = "evil\nname: x\u{1B}[31m.conv"
        daemon.drop(evil, "Employee: a\n\nno date\n")
        hostile.append(evil)
        Self.dropRaw(dir, Array("latin1-".utf8) + [0xFC] + Array(".conv".utf8), Self.conv("never read"))
        daemon.drop("all-bad-million.jsonl", String(repeating: "{}\n", count: 1_000_000))
        hostile.append("all-bad-million.jsonl")
        daemon.drop("long-row.csv", "date,employee,text\n\(date),a,\(String(repeating: "y", count: 5000))\n")
        hostile.append("long-row.csv")
        // ... and multi-record files whose good records must be stored beside their bad ones.
        goodTexts.append("the one good line")
        daemon.drop("one-good.jsonl", "{\"date\": \"\(date)\", \"employee\": \"a\", \"text\": \"the one good line\"}\n" + String(repeating: "{}\n", count: 999_999))
        var lines = ""
        for i in 0..<500 {
            goodTexts.append("jsonl \(i)")
            lines += "{\"date\": \"\(date)\", \"employee\": \"j\", \"text\": \"jsonl \(i)\"}\n"
            if i == 250 { lines += "{\"date\": \"\(date)\", \"employee\": \"j\", \"text\": \"\(String(repeating: "z", count: 5000))\"}\n" }
        }
        daemon.drop("many.jsonl", lines)
        for i in 0..<5 { goodConv("good-after-\(i).conv") }

        #expect(daemon.drained(300), "left in new/: \(dir.list("spool/new")); log:\n\(daemon.log)")
        #expect(daemon.isRunning)
        let peak = try #require(peakResidentKiB(daemon.pid))
        print("HostileSpoolTests.everyClassAtOnce: dialogd peak RSS (VmHWM) \(peak) KiB")
        #expect(peak < residentLimitKiB, "peak RSS \(peak) KiB")
        let status = try daemon.ctlJSON(StatusResult.self, "status")
        #expect(!status.ingestPaused, "\(status.lastError ?? "")")

        let quarantine = dir.list("spool/quarantine")
        for name in hostile {
            let reason = dir.read("spool/quarantine/\(name).reason")
            #expect(reason != nil, "\(name.debugDescription) has no reason; quarantine: \(quarantine)")
            #expect(quarantine.contains(name), "\(name.debugDescription) itself is in quarantine")
        }
        #expect(quarantine.contains { $0.hasPrefix("bbbb") && $0.hasSuffix(".reason") })
        #expect(quarantine.contains { $0.hasPrefix("undecodable-name-") && $0.hasSuffix(".reason") })
        for name in quarantine where name.hasSuffix(".reason") {
            let text = dir.read("spool/quarantine/\(name)") ?? ""
            #expect(text.filter { $0 == "\n" }.count == 1 && text.hasSuffix("\n"), "\(name.debugDescription) is not one line: \(text.debugDescription)")
        }
        #expect(dir.read("spool/quarantine/one-good.jsonl.rejects.jsonl")?.split(separator: "\n").count == 1001)
        #expect(dir.read("spool/quarantine/many.jsonl.rejects.jsonl")?.contains("max_record_bytes") == true)

        // Still working after all of it.
        goodConv("good-last.conv")
        #expect(daemon.drained())
        #expect(daemon.stop() == 0)
        let texts = try storedTexts(ConversationStore(path: daemon.databasePath))
        #expect(texts.count == goodTexts.count, "each good record exactly once")
        #expect(Set(texts) == Set(goodTexts))
        #expect(dir.read("outside/secret.conv")?.contains("secret") == true)
    }
}
