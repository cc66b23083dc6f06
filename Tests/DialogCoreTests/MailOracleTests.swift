import Foundation
import Testing
@testable import DialogCore

/// MailMessage against an independent parser, Python's `email` package (Tests/Fixtures/mail-oracle.py):
/// CPython's own test messages (Tests/Fixtures/mail-corpus/cpython) and 200 generated ones in seven
/// charsets, three transfer encodings, with HTML alternatives and attachments. Any further corpus
/// directory in `DIALOGD_MAIL_CORPUS` (colon-separated) is compared too and only reported.
@Suite("Mail decoding against Python's email package")
struct MailOracleTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let script = root + "/Tests/Fixtures/mail-oracle.py"

    static var python: String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let candidate = "\(dir)/python3"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func run(_ arguments: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try #require(python))
        p.arguments = [script] + arguments
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self)
    }

    struct Oracle: Decodable {
        var file: String
        var subject: String?
        var message_id: String?
        var date: Int64?
        var from: [String]?
        var sender: [String]?
        var to: [String]?
        var cc: [String]?
        var plain: String?
        var plain_nonempty: String?
        var has_html: Bool?
    }

    /// Whitespace runs as one space, ends trimmed: line folding and format=flowed may differ.
    static func squeeze(_ s: String?) -> String? {
        s.map { $0.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ") }
    }

    /// The fields on which dialogd and Python disagree for one message (empty: they agree).
    static func disagreements(_ o: Oracle, directory: String) -> [String] {
        guard let bytes = FileManager.default.contents(atPath: directory + "/" + o.file) else { return ["unreadable"] }
        let m = MailMessage.parse(Array(bytes)[...])
        var differ: [String] = []
        if squeeze(m.subject) != squeeze(o.subject) {
            differ.append("subject: \(m.subject ?? "nil") | \(o.subject ?? "nil")" + (onlyUndecodable(squeeze(m.subject), squeeze(o.subject)) ? undecodableMark : ""))
        }
        if m.messageID != o.message_id { differ.append("message-id: \(m.messageID ?? "nil") | \(o.message_id ?? "nil")") }
        if let d = o.date, m.date.flatMap({ DateParser.parse($0, timeZone: .gmt)?.seconds }) != d { differ.append("date: \(m.date ?? "nil") | \(d)") }
        for (name, ours, theirs) in [("from", m.from, o.from), ("sender", m.sender, o.sender), ("to", m.to, o.to), ("cc", m.cc, o.cc)] {
            if let theirs, ours != theirs { differ.append("\(name): \(ours) | \(theirs)") }
        }
        // Python takes an empty text/plain part as the body; dialogd the first one with text.
        let expected = squeeze(o.plain)?.isEmpty == false ? o.plain : o.plain_nonempty
        if squeeze(m.body.plain) != squeeze(expected) {
            differ.append("text/plain body differs" + divergence(squeeze(m.body.plain), squeeze(expected))
                          + (onlyUndecodable(squeeze(m.body.plain), squeeze(expected)) ? undecodableMark : ""))
        }
        if let html = o.has_html, o.plain == nil, (m.body.html != nil) != html { differ.append("html body: \(m.body.html != nil) | \(html)") }
        return differ
    }

    static let undecodableMark = " [only where Python shows U+FFFD for 8-bit bytes dialogd reads as Windows-1252]"

    /// True when `theirs` differs from `ours` only by U+FFFD where `ours` has a non-ASCII scalar:
    /// Python replaced a byte invalid in the declared (or no) charset, dialogd read it as
    /// Windows-1252 (docs/spool.md "E-mail"), one byte one scalar either way.
    static func onlyUndecodable(_ ours: String?, _ theirs: String?) -> Bool {
        guard let ours, let theirs else { return false }
        let a = Array(ours.unicodeScalars), b = Array(theirs.unicodeScalars)
        guard a.count == b.count else { return false }
        return zip(a, b).allSatisfy { $0 == $1 || ($1 == "\u{FFFD}" && !$0.isASCII) }
    }

    /// Where two bodies part, as a few scalars of each (so a note says why, not only that).
    static func divergence(_ ours: String?, _ theirs: String?) -> String {
        guard let ours, let theirs else { return ": \(ours == nil ? "none" : "some") | \(theirs == nil ? "none" : "some")" }
        let a = Array(ours.unicodeScalars), b = Array(theirs.unicodeScalars)
        var i = 0
        while i < a.count, i < b.count, a[i] == b[i] { i += 1 }
        let show = { (s: [Unicode.Scalar]) in String(String.UnicodeScalarView(s[max(0, i - 12)..<min(s.count, i + 12)])) }
        return " at scalar \(i): …\(show(a))… | …\(show(b))…"
    }

    /// Messages that agree, all, and a note per one that does not; a closing note counts those
    /// whose every difference is Python's U+FFFD for a byte dialogd reads as Windows-1252.
    static func compare(_ directory: String) throws -> (agreed: Int, total: Int, notes: [String]) {
        let lines = try run([directory]).split(separator: "\n")
        var agreed = 0
        var undecodableOnly = 0
        var notes: [String] = []
        for line in lines {
            let o = try JSONDecoder().decode(Oracle.self, from: Data(line.utf8))
            let d = disagreements(o, directory: directory)
            if d.isEmpty { agreed += 1 } else { notes.append(o.file + ": " + d.joined(separator: "; ")) }
            if !d.isEmpty, d.allSatisfy({ $0.hasSuffix(undecodableMark) }) { undecodableOnly += 1 }
        }
        if undecodableOnly > 0 {
            notes.append("\(undecodableOnly) of the \(lines.count - agreed) that differ do so only where Python shows U+FFFD for 8-bit bytes dialogd reads as Windows-1252")
        }
        return (agreed, lines.count, notes)
    }

    @Test("CPython's test messages decode as Python's email decodes them")
    func cpythonCorpus() throws {
        guard Self.python != nil else { print("skipped: no python3 for the oracle"); return }
        let result = try Self.compare(Self.root + "/Tests/Fixtures/mail-corpus/cpython")
        print("mail oracle: cpython corpus \(result.agreed) of \(result.total) agree\n" + result.notes.joined(separator: "\n"))
        #expect(result.total == 48)
        #expect(result.agreed >= Self.cpythonFloor, "\(result.notes.joined(separator: "\n"))")
    }

    /// Messages of the CPython corpus that agree today; the rest are listed in docs/spool.md.
    static let cpythonFloor = 48

    @Test("200 generated messages in seven charsets decode as Python's email decodes them")
    func generatedMessages() throws {
        guard Self.python != nil else { print("skipped: no python3 for the oracle"); return }
        let dir = NSTemporaryDirectory() + "dialogd-mail-oracle-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try Self.run(["--generate", "200", dir])
        let result = try Self.compare(dir)
        print("mail oracle: generated \(result.agreed) of \(result.total) agree\n" + result.notes.joined(separator: "\n"))
        #expect(result.total == 200)
        #expect(result.agreed == result.total, "\(result.notes.joined(separator: "\n"))")
    }

    @Test("further corpora in DIALOGD_MAIL_CORPUS are compared and reported")
    func furtherCorpora() throws {
        guard Self.python != nil, let dirs = ProcessInfo.processInfo.environment["DIALOGD_MAIL_CORPUS"] else { return }
        for dir in dirs.split(separator: ":").map(String.init) {
            let result = try Self.compare(dir)
            print("mail oracle: \(dir) \(result.agreed) of \(result.total) agree\n" + result.notes.joined(separator: "\n"))
        }
    }
}
