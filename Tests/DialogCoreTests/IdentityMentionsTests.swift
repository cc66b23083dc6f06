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
        // Without the last letter: a combining mark after it makes a precomposed letter in NFC text.
        #expect(m.likePattern == "%anna.schmidt@example.co%")
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
        #expect(IdentityMentions("a_b%cd")?.likePattern == #"%a\_b\%c%"#)
    }

    @Test("letters beyond ASCII fold too; the LIKE pattern is the longest ASCII run")
    func unicode() throws {
        let m = try #require(IdentityMentions("jörg@müller.de"))
        #expect(m.scrubbed("an JÖRG@MÜLLER.DE schreiben") == "an [forgotten] schreiben")
        #expect(m.likePattern == "%ller.d%")
        // A decomposed ö (o and a combining mark) is the same letter.
        #expect(m.scrubbed("an jo\u{308}rg@mu\u{308}ller.de.") == "an [forgotten].")
        #expect(IdentityMentions("jo\u{308}rg@müller.de")?.scrubbed("jörg@müller.de") == "[forgotten]")
    }

    @Test("isMentioned finds whole words only")
    func mentioned() throws {
        let number = try #require(IdentityMentions("K-40001"))
        #expect(number.isMentioned(in: "Kunde K-40001."))
        #expect(number.isMentioned(in: "{\"raw\":\"X-3;k-40001;3\"}"))
        #expect(!number.isMentioned(in: "Kunde K-400011"))
        #expect(!number.isMentioned(in: "{\"raw\":\"X-2;K-400015;2\"}"))
    }

    /// Whole words on scalars, not Characters: a combining mark right after the identity is
    /// part of the mention and goes with it (NFC would hide the address in `…coḿ`); a mark
    /// before it belongs to the letter before (another word); a letter after it is another word.
    @Test("a combining mark after the address goes with the mention; a mark or letter around it otherwise is another word")
    func combiningMarks() throws {
        let m = try #require(IdentityMentions("alice@example.com"))
        #expect(m.scrubbed("mark alice@example.com\u{301}, ok") == "mark [forgotten], ok")
        #expect(m.scrubbed("mark alice@example.co\u{1E3F} ok") == "mark [forgotten] ok", "precomposed ḿ")
        #expect(m.scrubbed("two alice@example.com\u{301}\u{332}.") == "two [forgotten].")
        #expect(m.isMentioned(in: "alice@example.com\u{301}"))
        #expect(m.scrubbed("e\u{301}alice@example.com") == nil)
        #expect(m.scrubbed("alice@example.come\u{301}") == nil)
        #expect(m.scrubbed("x alice@example.com\u{301}x") == nil)
        #expect(m.prefilter == Array("alice@example.co".utf8))
    }
}
