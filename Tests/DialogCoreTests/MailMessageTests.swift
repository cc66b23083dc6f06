import Foundation
import Testing
@testable import DialogCore

/// Messages shaped like what Thunderbird, Outlook and Gmail write, read end to end (`.eml`).
@Suite struct MailMessageTests {
    /// Thunderbird: UTF-8, format=flowed, quoted-printable, a German reply with its history.
    static let thunderbird = crlf("""
        Message-ID: <7f3c2a10-1b2c-4d5e-8f90-abcdef012345@example.com>
        Date: Fri, 27 Nov 2026 11:42:07 +0100
        MIME-Version: 1.0
        User-Agent: Mozilla Thunderbird
        Subject: =?UTF-8?Q?Re=3A_Angebot_f=C3=BCr_40_Lizenzen_=E2=80=93_R=C3=BCckfrage?=
         =?UTF-8?Q?_zum_Pilotprojekt?=
        Content-Language: de-DE
        To: "Müller, Jörg" <j.mueller@kunde.de>
        References: <root-1@kunde.de> <second-2@example.com>
        In-Reply-To: <second-2@example.com>
        From: Anna Schmidt <Anna.Schmidt@example.com>
        Content-Type: text/plain; charset=UTF-8; format=flowed
        Content-Transfer-Encoding: quoted-printable

        Hallo Herr M=C3=BCller,

        vielen Dank f=C3=BCr Ihre R=C3=BCckmeldung. Gerne best=C3=A4tige ich =
        den Pilot im Januar, die =
        Lizenzen stellen wir ab 1.1. bereit.=20
        Das Angebot gilt bis Jahresende.

        Gr=C3=BC=C3=9Fe
        Anna Schmidt

        Am 26.11.2026 um 16:03 schrieb M=C3=BCller, J=C3=B6rg:
        > Guten Tag Frau Schmidt,
        > wir m=C3=B6chten 40 Lizenzen bestellen.

        """)

    @Test func thunderbirdFlowedQuotedPrintableReply() throws {
        let parsed = try readMail(Self.thunderbird)
        let r = parsed.record
        #expect(r.id == "7f3c2a10-1b2c-4d5e-8f90-abcdef012345@example.com")
        #expect(r.date == 1_795_776_127 && r.utcOffsetSeconds == 3600)
        #expect(r.channel == "email")
        #expect(r.employee == "anna.schmidt")
        #expect(r.customer == "j.mueller@kunde.de")
        #expect(r.department == "vertrieb")
        #expect(r.subject == "Re: Angebot für 40 Lizenzen – Rückfrage zum Pilotprojekt")
        #expect(r.text == "Hallo Herr Müller,\n\nvielen Dank für Ihre Rückmeldung. Gerne bestätige ich den Pilot im Januar, die Lizenzen stellen wir ab 1.1. bereit. Das Angebot gilt bis Jahresende.\n\nGrüße\nAnna Schmidt")
        #expect(r.extras["thread"] == "root-1@kunde.de")
        #expect(parsed.warnings.isEmpty)
    }

    /// Outlook: Windows-1252 (the en dash is 0x96), multipart/alternative, its history block.
    @Test func outlookWindows1252Alternative() throws {
        var text = crlf("""
            From: =?iso-8859-1?Q?J=F6rg_M=FCller?= <j.mueller@kunde.de>
            To: "Schmidt, Anna" <anna.schmidt@example.com>, john.doe@example.com
            Subject: =?Windows-1252?Q?Angebot_f=FCr_Lizenzen_=96_Frage?=
            Date: Thu, 26 Nov 2026 15:03:11 +0000
            Message-ID: <AM0PR07MB1234ABCD@AM0PR07MB1234.eurprd07.prod.outlook.com>
            Content-Type: multipart/alternative;
            \tboundary="_000_AM0PR07MB1234_"
            MIME-Version: 1.0

            --_000_AM0PR07MB1234_
            Content-Type: text/plain; charset="Windows-1252"
            Content-Transfer-Encoding: quoted-printable

            Guten Tag Frau Schmidt,

            wir m=F6chten 40 Lizenzen =96 geht das bis M=E4rz?

            -----Original Message-----
            From: Anna Schmidt
            Sent: Wednesday, November 25, 2026 9:00 AM

            Unser Angebot anbei.

            --_000_AM0PR07MB1234_
            Content-Type: text/html; charset="Windows-1252"
            Content-Transfer-Encoding: quoted-printable

            <html><body><p>Guten Tag Frau Schmidt,</p></body></html>

            --_000_AM0PR07MB1234_--

            """)
        text = text.replacingOccurrences(of: "\\t", with: "\t")
        let r = try readMail(text).record
        #expect(r.employee == "anna.schmidt")
        #expect(r.customer == "j.mueller@kunde.de")
        #expect(r.subject == "Angebot für Lizenzen – Frage")
        #expect(r.text == "Guten Tag Frau Schmidt,\n\nwir möchten 40 Lizenzen – geht das bis März?")
        #expect(r.id == "AM0PR07MB1234ABCD@AM0PR07MB1234.eurprd07.prod.outlook.com")
        #expect(r.extras["thread"] == r.id)
    }

    /// Gmail: mixed(alternative(plain base64, html), pdf attachment named in RFC 2231), and an
    /// attribution wrapped onto a second line.
    @Test func gmailNestedMultipartWithAttachment() throws {
        let plain = Data("Hi Anna,\n\nthanks, the offer looks good. We'll sign next week.\n\nOn Fri, Nov 27, 2026 at 10:00 AM Anna Schmidt <\nanna.schmidt@example.com> wrote:\n> Here is the offer.\n".utf8).base64EncodedString(options: .lineLength76Characters)
        let text = crlf("""
            MIME-Version: 1.0
            References: <CAB1x@mail.gmail.com>
            In-Reply-To: <CAB1x@mail.gmail.com>
            From: Kunde GmbH <einkauf@kunde.de>
            Date: Sat, 28 Nov 2026 09:12:00 +0100
            Message-ID: <CAF2y+abc=def@mail.gmail.com>
            Subject: Re: Offer
            To: Anna Schmidt <anna.schmidt@example.com>
            Cc: john.doe@example.com, boss@kunde.de
            Content-Type: multipart/mixed; boundary="0000000000001111"

            --0000000000001111
            Content-Type: multipart/alternative; boundary="0000000000002222"

            --0000000000002222
            Content-Type: text/plain; charset="UTF-8"
            Content-Transfer-Encoding: base64

            \(plain)
            --0000000000002222
            Content-Type: text/html; charset="UTF-8"

            <div dir="ltr">Hi Anna,</div>
            --0000000000002222--
            --0000000000001111
            Content-Type: application/pdf; name="Angebot.pdf"
            Content-Disposition: attachment; filename*=UTF-8''Angebot%20M%C3%BCller.pdf
            Content-Transfer-Encoding: base64

            JVBERi0xLjQK
            --0000000000001111--

            """)
        let r = try readMail(text).record
        #expect(r.employee == "anna.schmidt")
        #expect(r.customer == "einkauf@kunde.de")
        #expect(r.text == "Hi Anna,\n\nthanks, the offer looks good. We'll sign next week.")
        #expect(r.extras["attachments"] == "Angebot Müller.pdf")
        #expect(r.extras["thread"] == "CAB1x@mail.gmail.com")
        #expect(r.id == "CAF2y+abc=def@mail.gmail.com")
    }

    @Test func iso8859_1EightBitBody() throws {
        let head = "From: support@example.com\nTo: kunde@web.de\nDate: 27 Nov 2026 08:00 +0100\nSubject: Ihre Anfrage\n"
            + "Content-Type: text/plain; charset=ISO-8859-1\nContent-Transfer-Encoding: 8bit\n\n"
        let body: [UInt8] = Array("Gr".utf8) + [0xFC, 0xDF] + Array(" aus M".utf8) + [0xFC] + Array("nchen\n".utf8)
        let file = try RecordReader(settings: mailSettings()).read(Array(head.utf8) + body, fileName: "x.eml")
        let r = try #require(file.records.first).record
        #expect(r.text == "Grüß aus München")
        #expect(r.employee == "john.doe")  // support@ is John's: From matched, so the customer is To
        #expect(r.customer == "kunde@web.de")
        #expect(r.department == "support")
    }

    @Test func iso2022JapaneseSubjectAndBody() throws {
        // 「お問い合わせ」 in ISO-2022-JP, as base64 words and a 7bit body.
        let subject = "=?ISO-2022-JP?B?GyRCJCpMZCQkOWckbyQ7GyhC?="
        let body: [UInt8] = [0x1B, 0x24, 0x42, 0x24, 0x2A, 0x4C, 0x64, 0x24, 0x24, 0x39, 0x67, 0x24, 0x6F, 0x24, 0x3B, 0x1B, 0x28, 0x42, 0x0A]
        let head = "From: taro@example.jp\nTo: anna.schmidt@example.com\nDate: Fri, 27 Nov 2026 18:00:00 +0900\nSubject: \(subject)\n"
            + "Content-Type: text/plain; charset=ISO-2022-JP\n\n"
        let file = try RecordReader(settings: mailSettings()).read(Array(head.utf8) + body, fileName: "jp.eml")
        let r = try #require(file.records.first).record
        #expect(r.subject == "お問い合わせ")
        #expect(r.text == "お問い合わせ")
    }

    @Test func htmlOnlyLosesTagsScriptsAndStyles() throws {
        let text = """
            From: anna.schmidt@example.com
            To: kunde@example.org
            Date: Fri, 27 Nov 2026 10:00:00 +0100
            Content-Type: text/html; charset=utf-8

            <html><head><title>Mail</title><style>p { color: red; }</style></head>
            <body><script type="text/javascript">alert("x<y")</script>
            <p>Sehr geehrte Damen &amp; Herren,</p><p>Preis: 1.200&nbsp;&euro; &#8211; netto<br>Gr&uuml;&szlig;e</p>
            <blockquote>Alte Nachricht</blockquote>
            </body></html>
            """
        let r = try readMail(text).record
        #expect(r.text == "Sehr geehrte Damen & Herren,\n\nPreis: 1.200 € – netto\nGrüße")
    }

    @Test func encodedWordsSplitInsideACharacterAndAcrossFoldedLines() throws {
        // "Grüße" with the two bytes of ü in two base64 words on two lines, then plain text.
        let text = "From: anna.schmidt@example.com\nTo: k@example.org\nDate: Fri, 27 Nov 2026 10:00:00 +0100\n"
            + "Subject: =?utf-8?B?R3LD?=\n =?utf-8?B?vMOfZQ==?= aus\n\t=?ISO-8859-15?Q?=A4_Berlin?= =?x-unknown?Q?ok?=\n\nHallo\n"
        let r = try readMail(text).record
        #expect(r.subject == "Grüße aus € Berlinok")
    }

    @Test func withoutDateIsRefusedWithAReason() {
        let text = "From: anna.schmidt@example.com\nTo: k@example.org\nSubject: x\n\nHallo\n"
        let error = rejection(text, "m.eml", settings: mailSettings())
        #expect(error?.field == "Date")
        #expect(error?.description.contains("a Date header") == true)
    }

    @Test func obsoleteDateFormsAreRead() throws {
        let text = "From: anna.schmidt@example.com\nTo: k@example.org\nDate: Fri , 27 Nov 26 10 : 00 : 00 (CET) MET\n\nHallo\n"
        let error = rejection(text, "m.eml", settings: mailSettings())
        // MET is no RFC 5322 zone: the parser must say what it expected, not crash.
        #expect(error == nil || error?.field == "date")
        let ok = "From: anna.schmidt@example.com\nTo: k@example.org\nDate: Fri , 27 Nov 26 10 : 00 : 00 (CET) +0100\n\nHallo\n"
        #expect(try readMail(ok).record.date == 1_795_770_000)
    }

    @Test func unknownSenderIsRefusedListingTheAddressesAndTheFix() {
        let text = "From: Fremd <fremd@other.org>\nTo: kunde@example.org\nCc: x@y.z\nDate: Fri, 27 Nov 2026 10:00:00 +0100\n\nHallo\n"
        let error = rejection(text, "m.eml", settings: mailSettings())
        let message = error?.description ?? ""
        #expect(message.contains("fremd@other.org, kunde@example.org, x@y.z"))
        #expect(message.contains("/etc/dialogd/roster.csv"))
        #expect(message.contains("dialogctl reload"))
        let none = rejection(text, "m.eml", settings: testSettings())
        #expect(none?.description.contains("[roster] path") == true)
    }

    @Test func brokenClosingBoundaryStillYieldsTheText() throws {
        let text = "From: anna.schmidt@example.com\nTo: k@example.org\nDate: Fri, 27 Nov 2026 10:00:00 +0100\n"
            + "Content-Type: multipart/mixed; boundary=abc\n\npreamble\n--abc\nContent-Type: text/plain\n\nNur Text\n--abc\nContent-Type: image/png\n\nxyz\n"
        let r = try readMail(text).record
        #expect(r.text == "Nur Text")
        #expect(r.extras["attachments"] == "unnamed image/png")
        let noBoundary = "From: anna.schmidt@example.com\nTo: k@example.org\nDate: Fri, 27 Nov 2026 10:00:00 +0100\n"
            + "Content-Type: multipart/mixed\n\nwhatever\n"
        let parsed = try readMail(noBoundary)
        #expect(parsed.record.text == nil)
        #expect(parsed.warnings.contains { $0.contains("boundary") })
    }

    /// Found walking the README as a dropper: a mail nested past 20 levels, or with its text after
    /// part 500, was stored with the text silently gone, while a missing boundary warns "parts may
    /// be missing". A body cut short by a limit says so in the log like any other.
    @Test func partsBeyondTheNestingOrPartLimitAreWarnedAbout() throws {
        let head = "From: anna.schmidt@example.com\nTo: k@example.org\nDate: Fri, 27 Nov 2026 10:00:00 +0100\nMessage-ID: <limit@example.com>\n"
        var deep = head + "Content-Type: multipart/mixed; boundary=b0\n\n"
        for k in 1...25 { deep += "--b\(k - 1)\nContent-Type: multipart/mixed; boundary=b\(k)\n\n" }
        deep += "--b25\nContent-Type: text/plain\n\ntief\n"
        let nested = try readMail(deep)
        #expect(nested.record.text == nil)
        #expect(nested.warnings.contains { $0.contains("part") }, "\(nested.warnings)")

        var wide = head + "Content-Type: multipart/mixed; boundary=b\n\n"
        for k in 0..<600 { wide += "--b\nContent-Type: image/png; name=\"p\(k).png\"\n\nx\n" }
        wide += "--b\nContent-Type: text/plain\n\nam Ende\n--b--\n"
        let many = try readMail(wide)
        #expect(many.record.text == nil)
        #expect(many.warnings.contains { $0.contains("part") }, "\(many.warnings)")
    }

    @Test func hostileBytesNeverCrash() throws {
        let cases: [[UInt8]] = [
            [], Array("From: \n\n".utf8), Array("=?utf-8?B?".utf8), Array("Subject: =?=?==?x?q?=\n\n".utf8),
            Array("Content-Type: multipart/mixed; boundary=\"\"\n\n--\n--\n".utf8), [0xFF, 0xFE, 0x00, 0x0A, 0x0A],
            Array("Content-Type: text/plain; charset=\"../../etc/passwd\"\nDate: 1 Jan 2026 00:00 +0000\n\n\u{80}".utf8),
        ]
        for c in cases { _ = rejection(c, "h.eml", settings: mailSettings()) }
        // Deep nesting is bounded.
        var deep = "From: anna.schmidt@example.com\nTo: k@e.org\nDate: Fri, 27 Nov 2026 10:00:00 +0100\nContent-Type: multipart/mixed; boundary=b0\n\n"
        for k in 1..<200 { deep += "--b\(k - 1)\nContent-Type: multipart/mixed; boundary=b\(k)\n\n" }
        deep += "--b199\nContent-Type: text/plain\n\ndeep\n"
        _ = rejection(deep, "d.eml", settings: mailSettings())
    }

    @Test func pathologicalInputsStayLinear() throws {
        let head = "From: anna.schmidt@example.com\nTo: k@e.org\nDate: Fri, 27 Nov 2026 10:00:00 +0100\n"
        let cases = [
            head + "Content-Type: text/html\n\n" + String(repeating: "<a", count: 250_000),
            head + "Content-Type: text/html\n\n" + String(repeating: "<b x=\"", count: 100_000),
            head + "Subject: " + String(repeating: "=?a?q?aaaa", count: 50_000) + "\n\nx\n",
            head + "Content-Type: multipart/mixed; boundary=b\n\n" + String(repeating: "--b\n", count: 100_000),
            head + "\n" + String(repeating: "> On x wrote:\n", count: 50_000),
        ]
        for (k, c) in cases.enumerated() {
            let start = ContinuousClock.now
            _ = rejection(c, "p.eml", settings: mailSettings())
            let took = ContinuousClock.now - start
            print("pathological case \(k): \(took)")
            #expect(took < .seconds(10), "case \(k): \(took)")
        }
    }
}
