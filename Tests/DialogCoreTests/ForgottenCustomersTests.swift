import DialogCore
import Testing

/// The suppression list `forget` keeps (docs/roi.md "Erasure"): a keyed hash of the pseudonym,
/// matched by the customer as the store keeps it and as a spool file writes it.
@Suite("ForgottenCustomers")
struct ForgottenCustomersTests {
    static let key = String(repeating: "5e", count: 32)
    static let identity = CustomerIdentity(mode: .pseudonymous, key: key)

    static func list(forgetting customer: String) -> ForgottenCustomers {
        var list = ForgottenCustomers(key: key)
        for pseudonym in identity.storedForms(customer).filter(CustomerIdentity.isPseudonym) { list.insert(marker: list.marker(pseudonym: pseudonym)) }
        return list
    }

    @Test("the marker is neither the identity nor the pseudonym, and another secret gives another marker")
    func markerNamesNobody() throws {
        let pseudonym = try #require(Self.identity.stored("anna@example.com"))
        let marker = ForgottenCustomers(key: Self.key).marker(pseudonym: pseudonym)
        #expect(marker.count == ForgottenCustomers.digits && !marker.contains("anna") && !marker.contains(pseudonym.dropFirst(4)))
        #expect(ForgottenCustomers(key: String(repeating: "7a", count: 32)).marker(pseudonym: pseudonym) != marker)
    }

    @Test("held: her pseudonym, her identity as stored under named, and as written in a file; not others, not a forget label")
    func holds() throws {
        let list = Self.list(forgetting: "Anna@Example.com")
        #expect(list.holds(stored: Self.identity.stored("anna@example.com")))
        #expect(list.holds(stored: "anna@example.com"), "[privacy] customers = named stores the normalised identity")
        #expect(list.holds(written: " ANNA@example.COM "))
        #expect(!list.holds(stored: Self.identity.stored("joanna@example.com")) && !list.holds(written: "bob@example.com"))
        #expect(!list.holds(stored: "forgotten-0123456789abcdef") && !list.holds(stored: nil))
        #expect(!ForgottenCustomers(key: Self.key).holds(written: "anna@example.com"), "an empty list holds nobody")
    }

    @Test("a handle written before handles were case-folded is held too")
    func legacyHandle() {
        let list = Self.list(forgetting: "@Bob_B")
        #expect(list.holds(written: "@bob_b") && list.holds(written: "@Bob_B"))
    }

    @Test("a file name written after her is found by its pieces and blanked as forget blanks it; other names and an empty list find nobody")
    func fileNames() {
        let list = Self.list(forgetting: "anna@example.com")
        #expect(list.identities(inFileName: "Anna@Example.COM.conv") == ["Anna@Example.COM"])
        #expect(ForgottenCustomers.blankedFileName("re Anna@Example.COM.conv", identities: list.identities(inFileName: "re Anna@Example.COM.conv"))
                == "re [forgotten].conv")
        #expect(ForgottenCustomers.blankedFileName("2026-11_anna@example.com+x.jsonl", identities: list.identities(inFileName: "2026-11_anna@example.com+x.jsonl"))
                == "2026-11_[forgotten]+x.jsonl")
        #expect(list.identities(inFileName: "joanna@example.com.conv").isEmpty)
        #expect(ForgottenCustomers(key: Self.key).identities(inFileName: "anna@example.com.conv").isEmpty)
        let handles = Self.list(forgetting: "@Bob_B")
        #expect(handles.identities(inFileName: "chat @bob_b.jsonl") == ["@bob_b"])
    }

    @Test("a file's words are searched to its end across chunks, past any row length; a budget that runs out is told, not silent")
    func mentionScan() {
        let list = Self.list(forgetting: "anna@example.com")
        let text = String(repeating: "x", count: 5000) + " asks about a.b@c.d (Anna@Example.com), then " + String(repeating: "y@z ", count: 10)
        var scan = ForgottenMentionScan(list: list, budget: ForgottenMentionScan.budget(forBytes: text.utf8.count))
        for chunk in Array(text.utf8).chunked(7) { scan.feed(chunk) }
        scan.finish()
        #expect(scan.found == ["Anna@Example.com"] && !scan.exhausted)
        // `b.c@d.e.` is asked twice (with and without a full stop): a budget of 1 runs out before her.
        var poor = ForgottenMentionScan(list: list, budget: 1)
        poor.feed(Array("b.c@d.e. anna@example.com".utf8))
        poor.finish()
        #expect(poor.found.isEmpty && poor.exhausted)
        #expect(list.identities(inFileName: "fwd anna@example.com\u{301}.conv") == ["anna@example.com"], "a mark after her, as forget blanks it")
    }

    @Test("read as forget reads it: a line's JSON escapes undone (an escape at a 64 KiB cut of a longer line too), a mail decoded, an attachment's name as a name")
    func decodedScan() {
        let list = Self.list(forgetting: "anna@example.com")
        // The line is cut 512 bytes before 64 KiB: the first escape starts 4 bytes before the cut.
        let head = String(repeating: "x ", count: 32_507) + "x anna"
        #expect(head.utf8.count == 65_020)
        let line = head + #"\u0040example.com "# + String(repeating: "y ", count: 40_000) + "\n"
        var scan = ForgottenMentionScan(list: list, budget: .max)
        for chunk in Array(line.utf8).chunked(4096) { scan.feed(chunk) }
        scan.finish()
        #expect(scan.found == ["anna@example.com"] && !scan.exhausted)
        var mail = ForgottenMentionScan(list: list, budget: .max)
        mail.feedMail(Array("Cc: =?UTF-8?Q?anna=40example.com?=\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\ncc anna=40example.com\r\n".utf8))
        #expect(mail.found == ["anna@example.com"])
        // An attachment's name holds her inside a word, as `forget` reads a name.
        var named = ForgottenMentionScan(list: list, budget: .max)
        named.feedMail(Array("Content-Type: text/vcard; name=\"card\"\r\nContent-Disposition: attachment; filename=\"Anna@Example.com.vcf\"\r\n\r\nBEGIN:VCARD\r\n".utf8))
        #expect(named.found == ["Anna@Example.com"])
    }
}

private extension Array {
    func chunked(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
