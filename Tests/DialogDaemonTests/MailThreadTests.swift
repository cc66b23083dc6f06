import DialogCore
import DialogStore
import Foundation
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Issue 15: a thread's messages, some saved as `.eml` and some in an `.mbox`, are grouped by
/// `dialogctl list --thread` over the real socket, and `list --json` and `export` carry the thread.
@Suite("E-mail threads in list and export")
struct MailThreadTests {
    static func message(id: String, from: String, to: String, subject: String, body: String, references: String? = nil,
                        inReplyTo: String? = nil, offset: TimeInterval) -> String {
        "Message-ID: <\(id)>\r\nDate: \(MailIngestTests.rfc5322(offset))\r\nFrom: \(from)\r\nTo: \(to)\r\nSubject: \(subject)\r\n"
            + (references.map { "References: \($0)\r\n" } ?? "") + (inReplyTo.map { "In-Reply-To: \($0)\r\n" } ?? "")
            + "Content-Type: text/plain; charset=utf-8\r\n\r\n\(body)\r\n"
    }

    @Test("list --thread lists one thread's messages from an .eml and an .mbox, by the root's id or any message's; export carries the thread")
    func threadAcrossEmlAndMbox() throws {
        let dir = TestDirectory("mailthread")
        dir.write("roster.csv", MailIngestTests.roster)
        chmod(dir.sub("roster.csv"), 0o600)
        let daemon = try DaemonProcess(directory: dir, settings: ["roster.path": dir.sub("roster.csv"), "privacy.employee_figures": "named"]).start()
        defer { if daemon.isRunning { daemon.crash() } }
        let root = Self.message(id: "t1@kunde.de", from: "k@kunde.de", to: "anna.schmidt@example.com", subject: "Lizenzen",
                                body: "Wir brauchen 40 Lizenzen.", offset: -7200)
        let reply = Self.message(id: "t2@example.com", from: "anna.schmidt@example.com", to: "k@kunde.de", subject: "Re: Lizenzen",
                                 body: "Gerne, Angebot anbei.", inReplyTo: "<t1@kunde.de>", offset: -5400)
        let again = Self.message(id: "t3@kunde.de", from: "k@kunde.de", to: "anna.schmidt@example.com", subject: "Re: Re: Lizenzen",
                                 body: "Passt, bitte bestellen.", references: "<t1@kunde.de>\r\n <t2@example.com>", offset: -3600)
        let other = Self.message(id: "o1@kunde.de", from: "k@kunde.de", to: "anna.schmidt@example.com", subject: "Rechnung",
                                 body: "Wo bleibt die Rechnung?", offset: -1800)
        daemon.drop("anfrage.eml", root)
        daemon.drop("sonst.eml", other)
        #expect(daemon.drained(), "log:\n\(daemon.log)")
        daemon.drop("verlauf.mbox", "From anna Fri Nov 27 10:00:00 2026\r\n" + reply + "\r\nFrom k@kunde.de Fri Nov 27 10:00:00 2026\r\n" + again)
        #expect(daemon.drained(), "log:\n\(daemon.log)")

        let all = try daemon.ctlJSON(ListResult.self, "list")
        #expect(all.conversations.count == 4)
        #expect(all.conversations.map(\.thread) == ["o1@kunde.de", "t1@kunde.de", "t1@kunde.de", "t1@kunde.de"], "\(all.conversations.map(\.thread))")
        // By the root's Message-ID, and by a reply's: the same three rows, newest first.
        for id in ["t1@kunde.de", "t3@kunde.de", "t2@example.com"] {
            let thread = try daemon.ctlJSON(ListResult.self, "list", "--thread", id)
            #expect(thread.conversations.map(\.subject) == ["Re: Re: Lizenzen", "Re: Lizenzen", "Lizenzen"], "--thread \(id): \(thread.conversations.map(\.subject))")
        }
        #expect(try daemon.ctlJSON(ListResult.self, "list", "--thread", "o1@kunde.de").conversations.map(\.subject) == ["Rechnung"])
        #expect(try daemon.ctlJSON(ListResult.self, "list", "--thread", "nowhere@kunde.de").conversations.isEmpty)
        // Combined with the other filters; and the table a person reads.
        #expect(try daemon.ctlJSON(ListResult.self, "list", "--thread", "t1@kunde.de", "--since", "100m").conversations.count == 2)
        let table = try daemon.ctl("list", "--thread", "t2@example.com")
        #expect(table.status == 0 && table.stdout.contains("Re: Re: Lizenzen") && !table.stdout.contains("Rechnung"), "\(table)")
        // A thread filter that is not text is refused as a bad argument.
        let client = try RawControlClient(path: daemon.socketPath)
        guard case .line(let bad) = client.request(#"{"command":"list","args":{"thread":7}}"#) else {
            Issue.record("no reply to a list with a numeric thread")
            return
        }
        #expect(bad.contains("\"ok\":false") && bad.contains("thread"), "\(bad)")

        // export: every row carries its thread as the extra `thread`, so a thread groups there too.
        let out = dir.sub("export.csv")
        #expect(try daemon.ctl("export", "--window", "all", "--out", out).status == 0)
        let csv = dir.read("export.csv") ?? ""
        #expect(csv.components(separatedBy: "thread=t1@kunde.de").count - 1 == 3 && csv.contains("thread=o1@kunde.de"), "\(csv.prefix(800))")
        #expect(daemon.stop() == 0)
    }
}
