import DialogCore
import Testing

/// `[privacy] customers` (issue 14): the stored customer is a keyed pseudonym of the normalised
/// identity, so differently written forms of one customer match, and nothing stored says who.
@Suite("customer identity: normalisation and pseudonyms")
struct CustomerIdentityTests {
    static let key = String(repeating: "ab", count: 32)
    static let pseudonymous = CustomerIdentity(mode: .pseudonymous, key: key)

    @Test("differently written e-mail addresses of one customer get one pseudonym")
    func emailCaseAndSpace() throws {
        let forms = ["anna.schmidt@example.com", "Anna.Schmidt@Example.COM", "  anna.schmidt@example.com\n",
                     "Anna Schmidt <ANNA.SCHMIDT@example.com>"]
        let stored = Set(forms.map { Self.pseudonymous.stored($0) })
        #expect(stored.count == 1, "\(stored)")
        let one = try #require(stored.first ?? nil)
        #expect(CustomerIdentity.isPseudonym(one) && one.hasPrefix("cus-") && one.count == 20, "\(one)")
        #expect(!one.contains("anna"))
    }

    @Test("handles keep their @ and fold case; other identities are compared as written")
    func handlesAndNumbers() {
        let s = Self.pseudonymous
        #expect(s.stored("@kunde123") != s.stored("kunde123"), "a handle is not the bare name")
        #expect(s.stored("@kunde123") == s.stored(" @kunde123 "))
        #expect(s.stored("@Kunde123") == s.stored("@kunde123"), "a handle is one account whatever its case")
        #expect(CustomerIdentity.normalised(" @Bob_B ") == "@bob_b")
        #expect(CustomerIdentity.normalised("@Bob_B", foldingHandleCase: false) == "@Bob_B")
        #expect(s.stored("K-1001") != s.stored("k-1001"), "customer numbers are not case-folded")
        #expect(CustomerIdentity.normalised("  @kunde123 ") == "@kunde123")
        #expect(CustomerIdentity.normalised("Anna <Anna@X.de>") == "anna@x.de")
        #expect(CustomerIdentity.normalised("a@b") == "a@b", "no dot in the domain: not an address, kept as written")
        #expect(CustomerIdentity.normalised("A@B") == "A@B")
    }

    @Test("NFD letters and a mailto: prefix are the same customer; full-width forms are kept apart (NFC, not NFKC)")
    func unicodeAndMailto() {
        let s = Self.pseudonymous
        let nfc = "j\u{00FC}rgen@example.com", nfd = "ju\u{0308}rgen@example.com"
        #expect(s.stored(nfd) == s.stored(nfc))
        #expect(s.stored("mailto:" + nfc) == s.stored(nfc) && s.stored(" MAILTO:J\u{00DC}rgen@Example.com") == s.stored(nfc))
        #expect(CustomerIdentity.normalised("J\u{00FC}rgen <mailto:\(nfd)>") == nfc)
        #expect(CustomerIdentity.normalised("mailto:") == "mailto:", "no address after mailto: kept as written")
        #expect(CustomerIdentity.normalised("Mu\u{0308}ller") == "M\u{00FC}ller", "names are composed too")
        #expect(s.stored("alice\u{FF20}example.com") != s.stored("alice@example.com"), "full-width @ is not folded (NFKC would)")
        #expect(s.stored("K-2\u{00B2}") != s.stored("K-22"))
    }

    @Test("forget's stored forms cover records stored before NFC and mailto: stripping")
    func legacyForms() {
        let s = Self.pseudonymous
        let nfc = "j\u{00FC}rgen@example.com", nfd = "ju\u{0308}rgen@example.com"
        let oldNFD = KeyedPseudonymProbe.old(nfd, key: Self.key), oldMailto = KeyedPseudonymProbe.old("mailto:" + nfc, key: Self.key)
        for written in [nfc, nfd] {
            let forms = s.storedForms(written)
            #expect(forms.contains(oldNFD) && forms.contains(oldMailto) && forms.contains(s.stored(nfc) ?? ""), "\(written): \(forms)")
        }
    }

    @Test("blank is absent; a pseudonym stays itself; named keeps the normalised identity")
    func modes() throws {
        #expect(Self.pseudonymous.stored(nil) == nil)
        #expect(Self.pseudonymous.stored(" \t\n") == nil)
        let once = try #require(Self.pseudonymous.stored("anna@example.com"))
        #expect(Self.pseudonymous.stored(once) == once, "pseudonymizing twice changes nothing")
        #expect(Self.pseudonymous.stored(" " + once.uppercased()) != once, "only the lowercase form is a pseudonym")
        let named = CustomerIdentity(mode: .named, key: Self.key)
        #expect(named.stored(" Anna@Example.com ") == "anna@example.com")
        #expect(named.stored("@Kunde") == "@kunde")
        #expect(named.stored(once) == once)
    }

    @Test("the pseudonym depends on the installation's secret and is not an employee's label")
    func keyed() throws {
        let other = CustomerIdentity(mode: .pseudonymous, key: String(repeating: "cd", count: 32))
        #expect(other.stored("anna@example.com") != Self.pseudonymous.stored("anna@example.com"))
        let employee = try #require(EmployeeLabeler(mode: .pseudonymous, key: Self.key).label("anna"))
        let customer = try #require(Self.pseudonymous.stored("anna"))
        #expect(customer.dropFirst(4).prefix(10) != employee.dropFirst(4), "same spelling, unrelated hashes")
        // Employee labels are unchanged by the shared function (stored reports rely on them).
        #expect(employee == KeyedPseudonym.make(prefix: "emp-", digits: 10, key: Self.key, identity: "anna"))
        #expect(employee == "emp-" + String(SHA256.hex(Self.key + "\u{0}anna").prefix(10)))
    }

    @Test("hostile identities never crash and keep their bytes apart")
    func hostile() {
        let s = Self.pseudonymous
        let odd = ["\u{0}", "@", "<>", "<@>", "a@.de", "x <a@b.de", "\u{202e}@evil.com", "é@ü.de", "É@Ü.DE", String(repeating: "@", count: 10_000)]
        for value in odd { _ = s.stored(value) }
        #expect(s.stored("é@ü.de") == s.stored("É@Ü.DE"), "case-insensitive beyond ASCII")
        #expect(CustomerIdentity.normalised("a@.de") == "a@.de")
    }

    /// Records stored before handles were case-folded keep the pseudonym of the handle as
    /// written: `forget` looks under it too (docs/roi.md "Erasure").
    @Test("forget's forms of a handle include the pseudonym dialogd made before case folding")
    func storedFormsOfAHandle() throws {
        let s = Self.pseudonymous
        let forms = s.storedForms(" @Bob_B ")
        let old = KeyedPseudonym.make(prefix: "cus-", digits: 16, key: Self.key, identity: "customer:@Bob_B")
        #expect(forms.contains(old), "\(forms)")
        #expect(forms.contains(try #require(s.stored("@bob_b"))))
        #expect(Set(forms) == [old, try #require(s.stored("@bob_b")), "@Bob_B", "@bob_b"])
        // Already lowercase, an address, a number, a pseudonym: one pseudonym and the identity.
        #expect(s.storedForms("@bob_b") == [try #require(s.stored("@bob_b")), "@bob_b"])
        // An address also under `mailto:` + address, as dialogd stored it before dropping `mailto:`.
        let mailto = KeyedPseudonym.make(prefix: "cus-", digits: 16, key: Self.key, identity: "customer:mailto:anna@example.com")
        #expect(s.storedForms("Anna@Example.com") == [try #require(s.stored("anna@example.com")), "anna@example.com", mailto, "mailto:anna@example.com"])
        #expect(s.storedForms("K-40001") == [try #require(s.stored("K-40001")), "K-40001"])
        let pseudonym = try #require(s.stored("anna@example.com"))
        #expect(s.storedForms(pseudonym) == [pseudonym])
        #expect(s.storedForms("  ").isEmpty)
    }
}

/// The pseudonym dialogd stored before NFC and `mailto:` stripping: of the spelling as written.
enum KeyedPseudonymProbe {
    static func old(_ written: String, key: String) -> String {
        KeyedPseudonym.make(prefix: CustomerIdentity.prefix, digits: CustomerIdentity.digits, key: key, identity: "customer:" + written)
    }
}
