import DialogStore
import Foundation
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// The `dialogd` executable's command line and life cycle, run as a real process.
@Suite("dialogd command line and signals")
struct DaemonCommandTests {
    /// Runs `dialogd` with `arguments` to completion; returns exit status, stdout and stderr.
    static func run(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: DaemonProcess.binary("dialogd"))
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    @Test("--check-config prints the effective values; a broken file exits 78 naming file, line and key")
    func checkConfig() throws {
        let dir = TestDirectory("checkconfig")
        dir.write("good.conf", "[spool]\ndir = /srv/dialogd\n")
        let good = try Self.run(["--config", dir.sub("good.conf"), "--check-config"])
        #expect(good.status == 0)
        #expect(good.out.contains("dir = /srv/dialogd"))
        #expect(good.out.contains("path = /var/lib/dialogd/dialogd.db"), "unset keys show their installed default")

        dir.write("bad.conf", "[spool]\ndir = /srv/dialogd\nmax_file_bytes = huge\n")
        let bad = try Self.run(["--config", dir.sub("bad.conf"), "--check-config"])
        #expect(bad.status == 78)
        #expect(bad.err.contains("bad.conf: line 3: spool.max_file_bytes: expected a size"), "\(bad.err)")
        #expect(bad.err.hasPrefix("<3>"), "errors carry the sd-daemon error priority")

        let missing = try Self.run(["--config", dir.sub("nope.conf"), "--check-config"])
        #expect(missing.status == 78 && missing.err.contains("no such file"))
    }

    /// An admin checks `[site] id` before the first start: the site a store is first opened with
    /// stays its home site (dialogd.conf(5)), so a typo there cannot be undone by editing later.
    @Test("--check-config prints every section it reads: [site] id and shipped_figures, [display], [classification], [attribution]")
    func checkConfigPrintsSite() throws {
        let dir = TestDirectory("checkconfig-site")
        dir.write("site.conf", "[site]\nid = berlin\nshipped_figures = recomputed\n")
        let result = try Self.run(["--config", dir.sub("site.conf"), "--check-config"])
        #expect(result.status == 0)
        #expect(result.out.contains("[site]\nid = berlin\nshipped_figures = recomputed\n"), "\(result.out)")
        for section in ["[display]", "[classification]", "[attribution]"] {
            #expect(result.out.contains(section + "\n"), "\(section) missing from --check-config")
        }
    }

    @Test("usage errors exit 64; --version and --help exit 0")
    func usage() throws {
        #expect(try Self.run(["--bogus"]).status == 64)
        #expect(try Self.run(["--config"]).status == 64)
        let version = try Self.run(["--version"])
        #expect(version.status == 0 && version.out.hasPrefix("dialogd "))
        let help = try Self.run(["--help"])
        #expect(help.status == 0 && help.out.contains("--check-config"))
    }

    @Test("SIGINT and SIGTERM stop the daemon with exit status 0")
    func cleanStop() throws {
        for signal in [SIGINT, SIGTERM] {
            let dir = TestDirectory("stop")
            let daemon = try DaemonProcess(directory: dir).start()
            kill(daemon.pid, signal)
            #expect(waitUntil(10) { !daemon.isRunning })
            #expect(daemon.stop() == 0)
            #expect(daemon.log.contains("<5>dialogd stopping"))
        }
    }

    @Test("SIGHUP with a broken config keeps the old one in force and the daemon working")
    func reloadRefusesBrokenConfig() throws {
        let dir = TestDirectory("reload")
        let daemon = try DaemonProcess(directory: dir).start()
        let good = try #require(dir.read("dialogd.conf"))
        dir.write("dialogd.conf", good + "\n[spool]\nnonsense = 1\n")
        kill(daemon.pid, SIGHUP)
        #expect(waitUntil(10) { daemon.log.contains("reload refused") })
        daemon.drop("after.conv", "Date: \(isoDate(-60))\nEmployee: a\n\nstill working\n")
        #expect(daemon.drained())
        dir.write("dialogd.conf", good)
        kill(daemon.pid, SIGHUP)
        #expect(waitUntil(10) { daemon.log.contains("configuration reloaded") })
        #expect(daemon.stop() == 0)
    }

    @Test("a Windows-1252 file is stored, with a warning in the log")
    func windows1252() throws {
        let dir = TestDirectory("cp1252")
        let daemon = try DaemonProcess(directory: dir).start()
        // "Grüße, 100 €" in Windows-1252: ü = FC, ß = DF, € = 80.
        let fixed = Array("Date: \(isoDate(-60))\nEmployee: j".utf8) + [0xFC] + Array("rgen\n\nGr".utf8) + [0xFC, 0xDF] + Array("e, 100 ".utf8) + [0x80] + [0x0A]
        daemon.drop("legacy.conv", fixed)
        #expect(daemon.drained())
        #expect(daemon.stop() == 0)
        #expect(daemon.log.contains("<4>spool: legacy.conv: not valid UTF-8"))
        let store = try ConversationStore(path: daemon.databasePath)
        #expect(try storedTexts(store) == ["Grüße, 100 €"])
        #expect(dir.list("spool/cur") == ["legacy.conv"])
    }
}
