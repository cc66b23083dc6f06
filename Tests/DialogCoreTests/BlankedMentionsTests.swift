import DialogCore
import Testing

/// The original of a record `forget` blanked a mention in (docs/roi.md "Erasure": mentions
/// dropped again): each `[forgotten]` stands for one non-empty run, the rest byte-equal.
@Suite("BlankedMentions")
struct BlankedMentionsTests {
    /// The suppression list's answer for a run (`ForgottenCustomers.holds(written:)` in the store).
    static func isAlice(_ run: String) -> Bool { run.lowercased() == "alice@example.com" }

    @Test("a mention at the start, in the middle, at the end, and two of them")
    func places() {
        #expect(BlankedMentions.runs(stored: "[forgotten] wrote", dropped: "alice@example.com wrote") == ["alice@example.com"])
        #expect(BlankedMentions.runs(stored: "mail from [forgotten], forwarded", dropped: "mail from Alice@Example.com, forwarded") == ["Alice@Example.com"])
        #expect(BlankedMentions.runs(stored: "forwarded a mail from [forgotten]", dropped: "forwarded a mail from alice@example.com")
            == ["alice@example.com"])
        #expect(BlankedMentions.runs(stored: "[forgotten]", dropped: "alice@example.com") == ["alice@example.com"])
        #expect(BlankedMentions.runs(stored: "[forgotten] and [forgotten]", dropped: "alice@example.com and @bob_x") == ["alice@example.com", "@bob_x"])
        #expect(BlankedMentions.runs(stored: "[forgotten][forgotten]", dropped: "ab") == ["a", "b"])
    }

    @Test("a text that differs elsewhere, is shorter, or leaves a placeholder empty is no original")
    func others() {
        #expect(BlankedMentions.runs(stored: "mail from [forgotten], forwarded", dropped: "mail from alice@example.com, answered") == nil)
        #expect(BlankedMentions.runs(stored: "Mail from [forgotten]", dropped: "mail from alice@example.com") == nil)
        #expect(BlankedMentions.runs(stored: "from [forgotten] x", dropped: "from  x") == nil, "a run is never empty")
        #expect(BlankedMentions.runs(stored: "[forgotten][forgotten]", dropped: "a") == nil)
        #expect(BlankedMentions.runs(stored: "no placeholder", dropped: "no placeholder") == nil)
        #expect(BlankedMentions.runs(stored: "[forgotten] a", dropped: "") == nil)
        #expect(BlankedMentions.runs(stored: "ab[forgotten]ba", dropped: "aba") == nil, "pieces never overlap")
    }

    @Test("[forgotten] written in the original is matched by itself, without looping or reaching further")
    func literalPlaceholder() {
        // The original said "[forgotten]" itself and mentioned her once; forget blanked the mention.
        #expect(BlankedMentions.runs(stored: "see [forgotten] list, [forgotten]", dropped: "see [forgotten] list, alice@example.com")
            == ["[forgotten]", "alice@example.com"])
        let stored = ConversationRecord(id: "s-4", date: 0, employee: "emil", text: "see [forgotten] list, [forgotten]")
        let dropped = ConversationRecord(id: "s-4", date: 0, employee: "emil", text: "see [forgotten] list, alice@example.com")
        #expect(BlankedMentions.runs(stored: stored, dropped: dropped, isForgotten: Self.isAlice) == ["alice@example.com"], "the original's own placeholder is no mention")
        // A long run of placeholders against a text without them ends (each piece is looked for once).
        let many = String(repeating: "[forgotten] ", count: 200)
        #expect(BlankedMentions.runs(stored: many, dropped: String(repeating: "x ", count: 199) + "y") == nil)
        #expect(BlankedMentions.runs(stored: many, dropped: String(repeating: "x ", count: 200))?.count == 200)
    }

    @Test("the dropped text is compared in NFC, as forget keeps blanked text")
    func normalised() {
        let decomposed = "Jo\u{0065}\u{0301} wrote to alice@example.com"
        #expect(BlankedMentions.runs(stored: "Jo\u{00E9} wrote to [forgotten]", dropped: decomposed) == ["alice@example.com"])
    }

    @Test("records: the same but for the blanked texts, in any text field; another field differing is a conflict")
    func records() {
        let stored = ConversationRecord(id: "s-4", date: 100, employee: "emil", customer: "cus-1", subject: "Fwd: [forgotten]",
                                        text: "Bob about [forgotten]", tags: ["[forgotten]", "vip"], extras: ["cc": "[forgotten]"])
        var dropped = ConversationRecord(id: "s-4", date: 100, employee: "emil", customer: "cus-1", subject: "Fwd: alice@example.com",
                                         text: "Bob about Alice@Example.com", tags: ["alice@example.com", "vip"], extras: ["cc": "alice@example.com"])
        #expect(BlankedMentions.runs(stored: stored, dropped: dropped, isForgotten: Self.isAlice)
            == ["alice@example.com", "Alice@Example.com", "alice@example.com", "alice@example.com"])
        dropped.durationSeconds = 60
        #expect(BlankedMentions.runs(stored: stored, dropped: dropped, isForgotten: Self.isAlice) == nil, "another field differs: still a conflict")
        dropped.durationSeconds = nil
        dropped.extras["note"] = "new"
        #expect(BlankedMentions.runs(stored: stored, dropped: dropped, isForgotten: Self.isAlice) == nil)
        dropped.extras["note"] = nil
        dropped.text = "Bob about Alice@Example.com, again"
        #expect(BlankedMentions.runs(stored: stored, dropped: dropped, isForgotten: Self.isAlice) == nil, "the text differs beyond the mention")
        // The last run takes the rest of the text; only the list tells a mention from an addition.
        #expect(BlankedMentions.runs(stored: "Bob about [forgotten]", dropped: "Bob about Alice@Example.com, again") == ["Alice@Example.com, again"])
        dropped.text = "Bob about Alice@Example.com"
        dropped.subject = "Fwd: bob@example.com"
        #expect(BlankedMentions.runs(stored: stored, dropped: dropped, isForgotten: Self.isAlice) == nil, "a run that is nobody forgotten")
        #expect(BlankedMentions.runs(stored: stored, dropped: stored, isForgotten: Self.isAlice) == nil, "the stored record itself (a rewritten copy): nothing to blank")
    }
}
