import DialogCore
import Testing

/// `forget`'s search of other texts (docs/roi.md "Erasure"): whole words, letters compared
/// case-insensitively, never a part of a longer address or number.
@Suite("IdentityMentions")
struct IdentityMentionsTests {
    @Test("an address is blanked wherever it stands as a word, in any letter case")
    func address() throws {
        let m = try #require(IdentityMentions("anna.schmidt@example.com"))
        #expect(m.scrubbed("Kollegin Anna.Schmidt@Example.COM weiter.") == "Kollegin [forgotten] weiter.")
        #expect(m.scrubbed("<anna.schmidt@example.com>, (ANNA.SCHMIDT@EXAMPLE.COM).") == "<[forgotten]>, ([forgotten]).")
        #expect(m.scrubbed("mailto:anna.schmidt@example.com") == "mailto:[forgotten]")
        #expect(m.scrubbed("anna.schmidt@example.com") == "[forgotten]")
        // Other addresses that contain it are other people.
        #expect(m.scrubbed("joanna.schmidt@example.com") == nil)
        #expect(m.scrubbed("x.anna.schmidt@example.com") == nil)
        #expect(m.scrubbed("anna.schmidt@example.com.au") == nil)
        #expect(m.scrubbed("anna.schmidt@example.community") == nil)
        #expect(m.scrubbed("nothing here") == nil)
        #expect(m.likePattern == "%anna.schmidt@example.com%")
    }

    @Test("handles and customer numbers are words of their own; short identities and pseudonyms are not searched")
    func handlesAndNumbers() throws {
        let handle = try #require(IdentityMentions("@anna_s"))
        #expect(handle.scrubbed("DM von @Anna_S: bitte") == "DM von [forgotten]: bitte")
        #expect(handle.scrubbed("@anna_smith") == nil)
        #expect(handle.scrubbed("mail@anna_s") == nil)
        let number = try #require(IdentityMentions("K-2291"))
        #expect(number.scrubbed("Kunde K-2291, nicht K-22915 oder AK-2291") == "Kunde [forgotten], nicht K-22915 oder AK-2291")
        #expect(IdentityMentions("K-22") == nil)
        #expect(IdentityMentions("cus-0123456789abcdef") == nil)
        // `%` and `_` of the identity are literal in the LIKE pattern.
        #expect(IdentityMentions("a_b%cd")?.likePattern == #"%a\_b\%cd%"#)
    }

    @Test("letters beyond ASCII fold too; the LIKE pattern is the longest ASCII run")
    func unicode() throws {
        let m = try #require(IdentityMentions("jörg@müller.de"))
        #expect(m.scrubbed("an JÖRG@MÜLLER.DE schreiben") == "an [forgotten] schreiben")
        #expect(m.likePattern == "%ller.de%")
        // A decomposed ö (o and a combining mark) is the same letter.
        #expect(m.scrubbed("an jo\u{308}rg@mu\u{308}ller.de.") == "an [forgotten].")
        #expect(IdentityMentions("jo\u{308}rg@müller.de")?.scrubbed("jörg@müller.de") == "[forgotten]")
    }

    @Test("a rejects file loses the lines that name the customer, whole words only, and keeps the rest")
    func linesWithout() throws {
        let number = try #require(IdentityMentions("K-40001"))
        let text = "{\"raw\":\"X-1;K-40001;1\"}\r\n{\"raw\":\"X-2;K-400015;2\"}\n{\"raw\":\"X-3;k-40001;3\"}\n{\"omitted\":4}\n"
        let result = number.linesWithout(text)
        #expect(result.removed == 2)
        #expect(result.kept == "{\"raw\":\"X-2;K-400015;2\"}\n{\"omitted\":4}\n")
        #expect(number.linesWithout("no one\nhere").kept == "no one\nhere\n")
        #expect(number.linesWithout("no one\nhere").removed == 0)
        #expect(number.isMentioned(in: "Kunde K-40001."))
        #expect(!number.isMentioned(in: "Kunde K-400011"))
    }

    @Test("an export keeps its header and the other customers' bytes; a quoted field over lines is not cut")
    func exportLinesWithout() throws {
        let number = try #require(IdentityMentions("K-40001"))
        let csv = Array("Nr;Kunde;Betrag\r\nA;K-40001;1\r\nB;K-50002;\"2,\u{FF}\"\r\n".utf8) + [0xFF, 0x0A]
        let result = try #require(number.linesWithout(bytes: csv, keepingHeader: true, csv: true))
        #expect(result.removed == 1)
        #expect(result.kept == Array("Nr;Kunde;Betrag\r\nB;K-50002;\"2,\u{FF}\"\r\n".utf8) + [0xFF, 0x0A], "bytes kept as they were")
        #expect(number.linesWithout(bytes: Array("Nr;Notiz\nA;\"zwei\nZeilen K-40001\"\n".utf8), keepingHeader: true, csv: true) == nil)
        #expect(number.linesWithout(bytes: Array("K-40001\nx\n".utf8), keepingHeader: false, csv: false)?.kept == Array("x\n".utf8))
    }
}
