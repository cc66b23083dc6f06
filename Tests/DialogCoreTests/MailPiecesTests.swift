import Testing
@testable import DialogCore

/// Each decoding piece of `Sources/DialogCore/Mail` on its own, with the shapes mail programs write.
@Suite struct MailPiecesTests {
    @Test func quotedPrintable() {
        func qp(_ s: String) -> String { String(decoding: TransferDecoding.quotedPrintable(Array(s.utf8)), as: UTF8.self) }
        #expect(qp("Gr=C3=BC=C3=9Fe=\r\n aus=20\r\nBerlin   \r\n") == "Grüße aus \nBerlin\n")
        #expect(qp("a=\nb") == "ab")
        #expect(qp("a= \t\nb") == "ab")                   // blanks after a soft break
        #expect(qp("100=25 =XY =") == "100% =XY ")        // malformed escapes stay, a final `=` joins nothing
        #expect(TransferDecoding.quotedPrintable(Array("=e4=E4".utf8)) == [0xE4, 0xE4])  // lowercase hex too
    }

    @Test func base64() {
        #expect(TransferDecoding.base64(Array("R3LDvMOfZQ==".utf8)) == Array("Grüße".utf8))
        #expect(TransferDecoding.base64(Array("R3LD\r\nvMOf ZQ".utf8)) == Array("Grüße".utf8))  // line breaks, no padding
        #expect(TransferDecoding.base64(Array("!!!".utf8)).isEmpty)
    }

    @Test func encodedWordsFollowRFC2047() {
        func d(_ s: String) -> String { EncodedWords.decode(Array(s.utf8)) }
        #expect(d("=?ISO-8859-1?Q?Andr=E9?= Pirard") == "André Pirard")
        #expect(d("=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=") == "ab")          // RFC 2047 §8 examples
        #expect(d("=?ISO-8859-1?Q?a?=  \t =?ISO-8859-2?Q?b?=") == "ab")
        #expect(d("=?ISO-8859-1?Q?a_b?=") == "a b")
        #expect(d("(=?ISO-8859-1?Q?a?= b)") == "(a b)")
        #expect(d("=?utf-8*de?q?Gr=C3=BC=C3=9Fe?=") == "Grüße")               // RFC 2231 language suffix
        #expect(d("=?utf-8?q?not closed") == "=?utf-8?q?not closed")
        #expect(d("=?utf-8?x?abc?=") == "=?utf-8?x?abc?=")                      // no such encoding
        #expect(d("=?koi8-r?B?8NLJ18XU?=") == "Привет")
        #expect(d("=?windows-1252?Q?=80_5?=") == "€ 5")
    }

    @Test func charsetsThroughIconv() {
        #expect(MailCharset.decode([0xE4, 0x80], charset: "windows-1252") == ("ä€", true))
        #expect(MailCharset.decode([0xA4], charset: "iso-8859-15") == ("€", true))
        #expect(MailCharset.decode([0xA4], charset: "\"ISO-8859-1\"") == ("¤", true))
        #expect(MailCharset.decode([0xC3, 0xA4], charset: nil) == ("ä", false))
        #expect(MailCharset.decode([0xE4], charset: "utf-8") == ("ä", false))           // mislabelled: Windows-1252
        #expect(MailCharset.decode([0xE4], charset: "x-no-such-charset") == ("ä", false))
        #expect(MailCharset.decode([0x41, 0xFF, 0x42], charset: "ascii") == ("AÿB", false))
        #expect(MailCharset.decode([0x82, 0xA0], charset: "shift_jis") == ("あ", true))
        #expect(MailCharset.decode([0x41, 0x81], charset: "shift_jis").text == "A\u{FFFD}")  // a cut sequence
        #expect(MailCharset.decode([], charset: "iso-2022-jp") == ("", true))
    }

    @Test func mimeParameters() {
        let t = MimeType("Text/Plain; charset=\"UTF-8\"; format=flowed; DelSp=Yes (comment)")
        #expect(t.value == "text/plain" && t.parameters["charset"] == "UTF-8" && t.parameters["format"] == "flowed")
        let d = MimeType("attachment; filename*0*=UTF-8''Angebot%20M; filename*1*=%C3%BCller; filename*2=\".pdf\"")
        #expect(d.value == "attachment" && d.parameters["filename"] == "Angebot Müller.pdf")
        #expect(MimeType("multipart/mixed; boundary=\"a;b\\\"c\"").parameters["boundary"] == "a;b\"c")
        #expect(MimeType("").value == "")
    }

    @Test func addresses() {
        #expect(MailAddresses.parse("\"Müller, Jörg\" <J.Mueller@Kunde.de>, x@y.de (Xaver, privat)") == ["j.mueller@kunde.de", "x@y.de"])
        #expect(MailAddresses.parse("Team: a@b.c, \"d\" <d@e.f>;, g@h.i") == ["a@b.c", "d@e.f", "g@h.i"])
        #expect(MailAddresses.parse("undisclosed-recipients:;").isEmpty)
        #expect(MailAddresses.parse("=?utf-8?q?M=C3=BCller=2C_J?= <j@k.de>") == ["j@k.de"])
        #expect(MailAddresses.parse("anna.schmidt@example.com") == ["anna.schmidt@example.com"])
        #expect(MailAddresses.parse("Anna <anna@x.de") == ["anna@x.de"])           // unclosed angle
    }

    @Test func flowed() {
        #expect(FlowedText.join("Ein langer \nAbsatz.\n\nNeu", delSp: false) == "Ein langer Absatz.\n\nNeu")
        #expect(FlowedText.join("Zusam \nmen", delSp: true) == "Zusammen")
        #expect(FlowedText.join("> zitiert \n> weiter\nantwort", delSp: false) == "> zitiert weiter\nantwort")
        #expect(FlowedText.join(" From stuffed\n-- \nSig", delSp: false) == "From stuffed\n-- \nSig")
        #expect(FlowedText.join("> a \nb", delSp: false) == "> a \nb")  // a quote depth change ends the paragraph
    }

    @Test func htmlToText() {
        #expect(HTMLText.text("<p>a</p><p>b<br/>c</p>") == "a\n\nb\nc")
        #expect(HTMLText.text("<!-- x --><SCRIPT>a<b</SCRIPT><Style>p{}</style>T&auml;t &#x41;&#66; &lt;3 &bogus; 5 < 6") == "Tät AB <3 &bogus; 5 < 6")
        #expect(HTMLText.text("<table><tr><td>a</td><td>b</td></tr></table>") == "a b")
        #expect(HTMLText.text("Hallo<blockquote>alt<br>älter</blockquote>neu") == "Hallo\n> alt\n> älter\nneu")
        #expect(HTMLText.text("<a href=\"x>y\">link</a>") == "link")
    }

    @Test func quotedHistory() {
        func strip(_ s: String) -> String { QuotedHistory.strip(s).text }
        #expect(strip("Danke!\n\nOn Fri, Nov 27, 2026 at 10:00 AM Anna <a@b.c> wrote:\n> alt") == "Danke!")
        #expect(strip("Danke!\n\nOn Fri, Nov 27, 2026 at 10:00 AM Anna Schmidt <\nanna@example.com> wrote:\n> alt") == "Danke!")
        #expect(strip("Gerne.\n\nAm 26.11.2026 um 16:03 schrieb Jörg Müller:\n> alt") == "Gerne.")
        #expect(strip("Gerne.\nAm Do., 26. Nov. 2026 um 16:03 Uhr schrieb Jörg Müller <\nj@k.de>:\n> alt") == "Gerne.")
        #expect(strip("Ok\n\n-----Original Message-----\nFrom: X\nalt") == "Ok")
        #expect(strip("Ok\n\n-----Ursprüngliche Nachricht-----\nVon: X\nalt") == "Ok")
        #expect(strip("Ok\n\n________________________________\nVon: Jörg\nGesendet: Montag\nalt") == "Ok")
        #expect(strip("Le 26/11/2026, Jean a écrit :\n> x") == "")
        #expect(strip("> Frage?\nAntwort.\n> Noch eine?\nJa.") == "Antwort.\nJa.")
        #expect(strip("Am Montag passt es.\nBis dann") == "Am Montag passt es.\nBis dann")  // no attribution
        #expect(QuotedHistory.strip("a\n> b\n> c").removed == 2)
    }

    @Test func headersUnfoldAndStopAtTheBody() {
        let (h, start) = MailHeaders.parse(Array("Subject: a\r\n b\r\nX-Empty:\r\nTo: x@y.z\r\n\r\nbody".utf8)[...])
        #expect(h.decoded("subject") == "a b")
        #expect(h.text("x-empty") == "" && h.text("to") == "x@y.z")
        #expect(start == 39)
        // A body without the blank line starts at the first line that is no header.
        let (h2, start2) = MailHeaders.parse(Array("From: a@b.c\nno header here\nmore".utf8)[...])
        #expect(h2.fields.count == 1 && start2 == 12)
    }

    @Test func messageIDs() {
        #expect(MailMessage.ids(" <a@b> (comment) <c@d>") == ["a@b", "c@d"])
        #expect(MailMessage.ids("bare@id") == ["bare@id"])
        #expect(MailMessage.ids("<with space@x>").isEmpty)
    }
}
