import DialogCore
import Foundation
import Testing

/// A filter value no stored conversation has — in any window — gets a note on standard error
/// (docs/protocol.md `unmatched_filters`): a misspelt `--department` or `--site` otherwise
/// prints zeros that read as "no revenue". The figures, stdout and the exit code stay as they were.
@Suite("Filter values no conversation has", .serialized)
struct FilterNoteTests {
    static func seeded(_ label: String) throws -> (TestDirectory, DaemonProcess) {
        let dir = TestDirectory(label)
        let daemon = DaemonProcess(directory: dir, settings: ["privacy.employee_figures": "named"])
        try daemon.start()
        // service only 60 days ago (outside a 7-day window); 25 employees.
        var lines = "{\"id\": \"old\", \"date\": \"\(isoDate(-60 * 86_400))\", \"employee\": \"e00\", \"department\": \"service\", \"text\": \"old one\"}\n"
        for i in 1..<25 {
            lines += "{\"id\": \"n\(i)\", \"date\": \"\(isoDate(-3600))\", \"employee\": \"e\(i < 10 ? "0" : "")\(i)\", \"department\": \"sales\", \"outcome\": \"won\", \"text\": \"new \(i)\"}\n"
        }
        daemon.drop("all.jsonl", lines)
        #expect(daemon.drained())
        #expect(waitUntil(10) { (try? daemon.ctlJSON(StatusResult.self, "status").conversations) == 25 })
        return (dir, daemon)
    }

    func ctl(_ daemon: DaemonProcess, _ arguments: [String]) throws -> CommandResult {
        try runDialogctl(["--socket", daemon.socketPath] + arguments)
    }

    @Test("roi, kpi, pyramid, list and export with a department no conversation has: a note on stderr naming the known ones, exit 0")
    func misspeltDepartment() throws {
        let (_, daemon) = try Self.seeded("filter-note")
        defer { daemon.stop() }
        let note = "dialogctl: note: no conversation has department \"foo\" (known: sales, service)\n"
        for command in [["roi"], ["roi", "--by", "department"], ["kpi"], ["pyramid"], ["list"], ["export"]] {
            let r = try ctl(daemon, command + ["--department", "foo"])
            #expect(r.status == 0, "\(command): \(r.stderr)")
            #expect(r.stderr == note, "\(command): \(r.stderr)")
            // The same query with a stored value prints no note; stdout is the command's own.
            let known = try ctl(daemon, command + ["--department", "sales"])
            #expect(known.status == 0 && known.stderr == "", "\(command): \(known.stderr)")
        }
        // Stored, but not in this window: zeros without a note (the window is the answer).
        let outside = try ctl(daemon, ["roi", "--window", "7d", "--department", "service"])
        #expect(outside.status == 0 && outside.stderr == "", "\(outside.stderr)")
        // unassigned selects conversations without a department: never a note.
        #expect(try ctl(daemon, ["roi", "--department", "unassigned"]).stderr == "")
    }

    @Test("--json: the figures as before plus unmatched_filters; the note goes to stderr, so stdout stays JSON")
    func jsonCarriesTheField() throws {
        let (_, daemon) = try Self.seeded("filter-note-json")
        defer { daemon.stop() }
        let r = try ctl(daemon, ["--json", "roi", "--site", "Nowhere", "--outcome", "wonn"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let unmatched = try #require(object["unmatched_filters"] as? [[String: Any]])
        #expect(unmatched.map { $0["filter"] as? String } == ["site", "outcome"])
        #expect(unmatched.map { $0["value"] as? String } == ["nowhere", "wonn"])
        #expect(unmatched[1]["known"] as? [String] == ["won"] && unmatched[1]["more_known"] as? Int == 0)
        #expect(r.stderr.contains("dialogctl: note: no conversation has site \"nowhere\" (known: "), "\(r.stderr)")
        #expect(r.stderr.contains("dialogctl: note: no conversation has outcome \"wonn\" (known: won)\n"), "\(r.stderr)")
        // Without an unmatched filter the field is absent.
        let plain = try ctl(daemon, ["--json", "roi", "--outcome", "won"])
        #expect(!plain.stdout.contains("unmatched_filters"))
    }

    @Test("the known list is bounded (20 and how many more); a hostile value is shown escaped, not run")
    func boundedAndEscaped() throws {
        let (_, daemon) = try Self.seeded("filter-note-bound")
        defer { daemon.stop() }
        let r = try ctl(daemon, ["kpi", "--employee", "nobody"])
        let first20 = (0..<20).map { "e\($0 < 10 ? "0" : "")\($0)" }.joined(separator: ", ")
        #expect(r.stderr == "dialogctl: note: no conversation has employee \"nobody\" (known: \(first20) and 5 more)\n", "\(r.stderr)")
        let hostile = try ctl(daemon, ["roi", "--channel", "x\u{1b}]52;c;AAAA\u{07}\u{202e}\ny"])
        #expect(hostile.status == 0)
        #expect(!hostile.stderr.unicodeScalars.contains { $0 == "\u{1b}" || $0 == "\u{202e}" || $0 == "\u{07}" }, "\(hostile.stderr)")
        #expect(hostile.stderr.contains("no conversation has channel \"x\\x1b]52;c;aaaa\\x07\\u202e\\ny\""), "\(hostile.stderr)")
    }

    /// `export` takes the `roi` filters, so any spelling of the vocabulary (docs/protocol.md):
    /// `Vertrieb` is `sales` there as in `roi`, and the export adds up to the `roi` figures.
    @Test("export --department Vertrieb exports the sales rows, as roi counts them, without a note")
    func exportTakesTheVocabulary() throws {
        let (_, daemon) = try Self.seeded("filter-note-vocab")
        defer { daemon.stop() }
        let alias = try ctl(daemon, ["export", "--format", "jsonl", "--department", "Vertrieb"])
        let label = try ctl(daemon, ["export", "--format", "jsonl", "--department", "sales"])
        #expect(alias.status == 0 && alias.stderr == "", "\(alias.stderr)")
        let rows = alias.stdout.split(separator: "\n").count
        #expect(rows == 24 && rows == label.stdout.split(separator: "\n").count, "\(rows) rows for Vertrieb")
        let roi = try ctl(daemon, ["--json", "roi", "--department", "Vertrieb"])
        #expect(roi.stdout.contains("\"conversations\" : 24"), "\(roi.stdout)")
    }
}
