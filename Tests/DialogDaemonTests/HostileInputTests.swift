import DialogStore
import Foundation
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Bad input never crashes the daemon and never loses a good record: each hostile file ends in
/// quarantine/ with a `.reason` that says what is wrong, while good files beside it are stored.
@Suite("Hostile and broken input")
struct HostileInputTests {
    /// A hostile input: how to plant it in new/, and words its reason must contain.
    struct Case: CustomStringConvertible {
        var name: String
        var plant: (TestDirectory, String) -> Void
        var reasonContains: [String]
        var description: String { name }
    }

    static func conv(_ headers: String, body: String = "text") -> [UInt8] {
        Array((headers + "\n\n" + body + "\n").utf8)
    }

    static func file(_ bytes: [UInt8]) -> (TestDirectory, String) -> Void {
        { dir, name in dir.write("spool/new/\(name)", bytes) }
    }

    static func text(_ text: String) -> (TestDirectory, String) -> Void { file(Array(text.utf8)) }

    static var cases: [Case] {
        let date = isoDate(-600)
        var garbage = SystemRandomNumberGenerator()
        let binary = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &garbage) } + [0, 0, 0]
        return [
            Case(name: "binary.conv", plant: file(binary), reasonContains: []),
            Case(name: "empty.conv", plant: file([]), reasonContains: ["empty"]),
            Case(name: "whitespace.conv", plant: text("  \n\n \r\n"), reasonContains: []),
            Case(name: "truncated-utf8.conv", plant: file(Array("Date: \(date)\nEmployee: jürgen\n\nGrüße ".utf8) + [0xC3]), reasonContains: ["UTF-8"]),
            Case(name: "nul-byte.conv", plant: file(Array("Date: \(date)\nEmployee: a\n\nx".utf8) + [0] + Array("y\n".utf8)), reasonContains: []),
            Case(name: "too-big.conv", plant: text("Date: \(date)\nEmployee: a\n\n" + String(repeating: "x", count: 70_000)), reasonContains: ["limit", "max_file_bytes"]),
            Case(name: "symlink.conv", plant: { dir, name in
                dir.write("outside/secret.conv", "Date: \(date)\nEmployee: a\n\nsecret\n")
                symlink(dir.sub("outside/secret.conv"), dir.sub("spool/new/\(name)"))
            }, reasonContains: ["symbolic link"]),
            Case(name: "fifo.conv", plant: { dir, name in mkfifo(dir.sub("spool/new/\(name)"), 0o644) }, reasonContains: ["FIFO"]),
            Case(name: "directory.conv", plant: { dir, name in mkdir(dir.sub("spool/new/\(name)"), 0o755) }, reasonContains: ["directory"]),
            Case(name: "hardlink.conv", plant: { dir, name in
                dir.write("outside/linked.conv", "Date: \(date)\nEmployee: a\n\nlinked\n")
                link(dir.sub("outside/linked.conv"), dir.sub("spool/new/\(name)"))
            }, reasonContains: ["hard link"]),
            Case(name: "no-colon.conv", plant: file(conv("Date: \(date)\nEmployee a")), reasonContains: ["line 2"]),
            Case(name: "10k-headers.conv", plant: file(conv("Date: \(date)\nEmployee: a\n" + (0..<10_000).map { "X-H\($0): v" }.joined(separator: "\n"))), reasonContains: []),
            Case(name: "no-date.conv", plant: file(conv("Employee: a\nChannel: email")), reasonContains: ["date"]),
            Case(name: "no-employee.conv", plant: file(conv("Date: \(date)\nChannel: email")), reasonContains: ["employee"]),
            Case(name: "date-1970.conv", plant: file(conv("Date: 1970-01-01T00:00:00Z\nEmployee: a")), reasonContains: ["date"]),
            Case(name: "date-2090.conv", plant: file(conv("Date: 2090-06-01T00:00:00Z\nEmployee: a")), reasonContains: ["date"]),
            Case(name: "date-feb30.conv", plant: file(conv("Date: 2026-02-30 10:00\nEmployee: a")), reasonContains: ["date"]),
            Case(name: "negative-duration.conv", plant: file(conv("Date: \(date)\nEmployee: a\nDuration: -5m")), reasonContains: ["duration"]),
            Case(name: "absurd-money.conv", plant: file(conv("Date: \(date)\nEmployee: a\nValue: 99999999999999999999999999999999999999 EUR")), reasonContains: ["value"]),
            Case(name: "nan-money.conv", plant: file(conv("Date: \(date)\nEmployee: a\nValue: NaN")), reasonContains: ["value"]),
            Case(name: "foreign-currency.conv", plant: file(conv("Date: \(date)\nEmployee: a\nValue: 100 USD")), reasonContains: ["value"]),
            Case(name: "satisfaction-9.conv", plant: file(conv("Date: \(date)\nEmployee: a\nSatisfaction: 9/5")), reasonContains: ["satisfaction"]),
            Case(name: "sentiment-angry.conv", plant: file(conv("Date: \(date)\nEmployee: a\nSentiment: furious")), reasonContains: ["sentiment"]),
            Case(name: "duplicate-header.conv", plant: file(conv("Date: \(date)\nEmployee: a\nEmployee: b")), reasonContains: ["employee"]),
            Case(name: "unbalanced.csv", plant: text("date,employee,text\n\(date),a,\"never closed\n\(date),b,ok\n"), reasonContains: ["quote"]),
            Case(name: "no-date-column.csv", plant: text("employee,text\na,hello\n"), reasonContains: ["date"]),
            Case(name: "deep.json", plant: text(String(repeating: "[", count: 30_000) + String(repeating: "]", count: 30_000)), reasonContains: ["nest"]),
            Case(name: "wrong-types.json", plant: text("{\"date\": [1,2], \"employee\": {\"name\": \"a\"}}"), reasonContains: ["date"]),
            Case(name: "truncated.json", plant: text("{\"date\": \"\(date)\", \"employee\": \"a\", \"text\": \"cut"), reasonContains: ["line 1"]),
            Case(name: "all-bad.jsonl", plant: text("{\"employee\": \"a\"}\nnot json\n"), reasonContains: []),
            Case(name: "unknown.pdf", plant: text("%PDF-1.4"), reasonContains: ["extension"]),
        ]
    }

    @Test("each hostile input is quarantined with a reason; good files beside them are stored")
    func hostileInputsQuarantined() throws {
        let dir = TestDirectory("hostile")
        let daemon = try DaemonProcess(directory: dir, settings: ["spool.max_file_bytes": "64K"]).start()
        let date = isoDate(-600)
        for i in 0..<5 { daemon.drop("good-before-\(i).conv", "Date: \(date)\nEmployee: good\n\nbefore \(i)\n") }
        let cases = Self.cases
        for c in cases { c.plant(dir, c.name) }
        // A non-UTF-8 file name must not stick in new/ forever.
        var raw = Array(dir.sub("spool/new/bad-").utf8CString.dropLast()) + [CChar(bitPattern: 0xFF), CChar(bitPattern: 0xFE), 0]
        let fd = open(&raw, O_CREAT | O_WRONLY, 0o644)
        close(fd)
        for i in 0..<5 { daemon.drop("good-after-\(i).conv", "Date: \(date)\nEmployee: good\n\nafter \(i)\n") }

        // FIFOs, directories and odd names arrive without IN_CLOSE_WRITE: the periodic scan finds them.
        #expect(daemon.drained(20), "left in new/: \(dir.list("spool/new")); log:\n\(daemon.log)")
        #expect(daemon.isRunning)
        for c in cases {
            let reason = dir.read("spool/quarantine/\(c.name).reason")
            #expect(reason != nil, "\(c.name) has no reason file; quarantine: \(dir.list("spool/quarantine"))")
            guard let reason else { continue }
            #expect(reason.hasPrefix(c.name + ": "), "reason names the file: \(reason)")
            for word in c.reasonContains {
                #expect(reason.localizedCaseInsensitiveContains(word), "\(c.name): reason lacks \(word): \(reason)")
            }
            #expect(dir.list("spool/quarantine").contains(c.name), "\(c.name) itself is in quarantine")
        }
        #expect(dir.list("spool/quarantine").contains { $0.hasPrefix("undecodable-name-") && $0.hasSuffix(".reason") })

        // Still alive and still working after all of it.
        daemon.drop("good-last.conv", "Date: \(date)\nEmployee: good\n\nlast\n")
        #expect(daemon.drained())
        #expect(daemon.stop() == 0)
        let store = try ConversationStore(path: daemon.databasePath)
        #expect(try store.conversationCount() == 11)
        #expect(dir.list("spool/cur").filter { $0.hasPrefix("good-") }.count == 11)
        // The symlink's target outside the spool was never touched.
        #expect(dir.read("outside/secret.conv")?.contains("secret") == true)
    }

    @Test("a multi-record file keeps its good records and lists the bad ones in NAME.rejects.jsonl")
    func multiRecordRejects() throws {
        let dir = TestDirectory("rejects")
        let daemon = try DaemonProcess(directory: dir).start()
        let date = isoDate(-600)
        daemon.drop("mixed.jsonl", """
            {"date": "\(date)", "employee": "a", "text": "one"}
            {"date": "not a date", "employee": "a", "text": "two"}
            {"date": "\(date)", "employee": "a", "text": "three"}
            {"date": "\(date)", "duration": "-3m", "employee": "a", "text": "four"}

            """)
        daemon.drop("mixed.csv", "date,employee,text\n\(date),a,uno\n\(date),b\n\(date),c,tres\n")
        // Good rows first, then a quote that never closes: the file is refused as a whole and
        // the rows already streamed into the store are undone with it.
        daemon.drop("broken-late.csv", "date,employee,text\n\(date),a,first\n\(date),a,second\n\(date),a,\"open\n")
        #expect(daemon.drained())
        #expect(daemon.stop() == 0)
        #expect(dir.list("spool/cur") == ["mixed.csv", "mixed.jsonl"])
        #expect(dir.list("spool/quarantine").contains("broken-late.csv"))
        let store = try ConversationStore(path: daemon.databasePath)
        #expect(try store.conversationCount() == 4)
        #expect(try !storedTexts(store).contains("first"))
        let rejects = try #require(dir.read("spool/quarantine/mixed.jsonl.rejects.jsonl"))
        let lines = rejects.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(lines.map { $0["line"] as? Int } == [2, 4])
        #expect((lines[0]["reason"] as? String)?.contains("date") == true)
        #expect((lines[1]["raw"] as? String)?.contains("four") == true)
        let csvRejects = try #require(dir.read("spool/quarantine/mixed.csv.rejects.jsonl"))
        #expect(csvRejects.contains("\"line\":3"))
    }
}
