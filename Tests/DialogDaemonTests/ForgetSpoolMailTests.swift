import DialogCore
import Foundation
import Testing

/// Issue 14, the data-protection review: another customer's mail that names the forgotten
/// customer only outside the stored conversation — a base64 attachment, the HTML alternative,
/// an RFC 2047 display name, an attachment's file name, a refused mail's quoted-printable body
/// — must not keep her in cur/ or quarantine/ (docs/roi.md "Erasure"). Judged by Python's
/// `email` module, independent of the daemon's decoder.
@Suite("privacy: forget judges a mail on everything it carries, decoded",
       .enabled(if: OutputOracles.python != nil, "needs python3 (email as the oracle)"))
struct ForgetSpoolMailTests {
    static let roster = "employee,department,addresses,account\nben,service,ben@corp.example,\n"

    static func head(_ id: String, _ from: String, date: Bool = true) -> String {
        "Message-ID: <\(id)@m>\n" + (date ? "Date: \(MailIngestTests.rfc5322(-3600))\n" : "") + "From: \(from)\nTo: ben@corp.example\n"
    }

    static func multipart(_ type: String, _ parts: [String]) -> String {
        "MIME-Version: 1.0\nContent-Type: multipart/\(type); boundary=XX\n\n" + parts.map { "--XX\n" + $0 + "\n" }.joined() + "--XX--\n"
    }

    /// Prints every file under cur/ and quarantine/ whose headers, decoded parts (HTML references
    /// undone) or attachment names still name alice@example.com.
    static let oracle = #"""
import sys, os, email, email.policy, html
needle = 'alice@example.com'
for area in ('cur', 'quarantine'):
    d = os.path.join(sys.argv[1], area)
    for name in sorted(os.listdir(d)):
        raw = open(os.path.join(d, name), 'rb').read()
        texts = [raw.decode('utf-8', 'replace')]
        if name.endswith('.eml') or name.endswith('.mbox'):
            m = email.message_from_bytes(raw, policy=email.policy.default)
            texts += [str(v) for _, v in m.items()]
            for p in m.walk():
                texts += [str(v) for _, v in p.items()]
                if p.get_filename(): texts.append(p.get_filename())
                b = p.get_payload(decode=True)
                if b: texts.append(html.unescape(b.decode('utf-8', 'replace')))
        if any(needle in t.lower() for t in texts): print(area + '/' + name)
"""#

    @Test("the seven review cases and a refused quoted-printable mail: no decoded form of the identity stays")
    func mailsJudgedDecoded() throws {
        let dir = TestDirectory("forget-spool-mail")
        let daemon = try DaemonProcess.startWithRoster(dir, Self.roster)
        defer { daemon.stop() }
        let csv = Data("name,mail\nAlice,alice@example.com\n".utf8).base64EncodedString()
        let mails: [String: String] = [
            "a-own.eml": Self.head("a1", "Alice <alice@example.com>") + "Subject: hi\n\nplease call me\n",
            "c-b64att.eml": Self.head("c1", "gina@example.net") + "Subject: att\n" + Self.multipart("mixed", [
                "Content-Type: text/plain\n\ngina plain text",
                "Content-Type: text/csv; name=contacts.csv\nContent-Disposition: attachment; filename=contacts.csv\nContent-Transfer-Encoding: base64\n\n\(csv)"]),
            "c-second.eml": Self.head("c2", "hugo@example.net") + "Subject: two parts\n" + Self.multipart("mixed", [
                "Content-Type: text/plain\n\nhugo first part", "Content-Type: text/plain\n\nsecond part: alice@example.com"]),
            "c-html-alt.eml": Self.head("c3", "ivan@example.net") + "Subject: alt\n" + Self.multipart("alternative", [
                "Content-Type: text/plain\n\nivan plain",
                "Content-Type: text/html\n\n<p>ivan plain <a href=\"mailto:alice&#64;example.com\">alice&#x40;example.com</a></p>"]),
            "c-xheader.eml": Self.head("c4", "jan@example.net") + "X-Forwarded-For: alice@example.com\nSubject: fwd\n\njan text\n",
            "c-ewname.eml": "Message-ID: <c5@m>\nDate: \(MailIngestTests.rfc5322(-3600))\nFrom: kim@example.net\n"
                + "To: ben@corp.example, =?utf-8?Q?alice=40example=2Ecom?= <ali@other.example>\nSubject: ew name\n\nkim text\n",
            "c-vcfname.eml": Self.head("c6", "lea@example.net") + "Subject: vcf\n" + Self.multipart("mixed", [
                "Content-Type: text/plain\n\nlea text",
                "Content-Type: text/vcard\nContent-Disposition: attachment; filename=\"alice@example.com.vcf\"\n\nBEGIN:VCARD"]),
            // Refused (no Date): kept in quarantine/ so it can be retried, but not with her in it.
            "q-nodate-qp.eml": Self.head("q1", "bob@example.org", date: false)
                + "Subject: =?utf-8?Q?f=C3=BCr_alice=40example.com?=\nContent-Transfer-Encoding: quoted-printable\n\nbob asks alice=40example.com\n",
        ]
        for (name, text) in mails { daemon.drop(name, text) }
        #expect(daemon.drained())
        #expect(waitUntil(10) { dir.list("spool/quarantine").contains("q-nodate-qp.eml") && dir.list("spool/cur").count == 7 },
                "\(dir.list("spool/cur")) \(dir.list("spool/quarantine"))")
        let before = String(decoding: try OutputOracles.run(Self.oracle, on: dir.sub("spool")), as: UTF8.self)
        #expect(before.split(separator: "\n").count == 8, "the oracle sees every case: \(before)")

        let result = try daemon.ctlJSON(ForgetResult.self, "forget", "--customer", "alice@example.com")
        #expect(result.conversations == 1, "\(result)")
        let left = String(decoding: try OutputOracles.run(Self.oracle, on: dir.sub("spool")), as: UTF8.self)
        #expect(left.isEmpty, "still naming her: \(left)")
        // Those not blankable in place went whole, listed and logged; the others' stored records stay.
        for name in ["c-b64att.eml", "c-html-alt.eml", "c-ewname.eml", "c-vcfname.eml"] {
            #expect(result.files.contains("cur/" + name), "\(name): \(result)")
        }
        #expect(result.files.contains("quarantine/q-nodate-qp.eml"), "\(result)")
        #expect(daemon.log.contains("not blankable in place"), "\(daemon.log)")
        #expect(try daemon.ctlJSON(StatusResult.self, "status").conversations == 7)
        // The store's `attachments` extra: the identity inside a file name is blanked too.
        let stored = String(decoding: try OutputOracles.run(Self.storeOracle, on: daemon.databasePath), as: UTF8.self)
        #expect(stored.contains("[forgotten].vcf") && !stored.lowercased().contains("alice@example.com"), "\(stored)")
    }

    /// Every stored conversation's extras, one a line.
    static let storeOracle = #"""
import sys, sqlite3
for (extras,) in sqlite3.connect(sys.argv[1]).execute("SELECT extras FROM conversations WHERE extras IS NOT NULL"): print(extras)
"""#
}
