import Foundation

/// How customers are kept under `[privacy] customers`: `pseudonymous` (the default) stores a
/// keyed pseudonym instead of who the customer is; `named` stores the normalised identity.
public enum CustomerNames: String, Sendable, Equatable, CaseIterable {
    case pseudonymous, named
}

/// Turns the `customer` field of a conversation or an order into what the store keeps, before
/// it is stored, so orders and conversations match on the same value without the store
/// knowing who the customer is (docs/roi.md "Customers").
public struct CustomerIdentity: Sendable, Equatable {
    public let mode: CustomerNames
    /// The installation's secret (the same one employee pseudonyms use).
    public let key: String

    /// Hex digits of a customer pseudonym: 64 bits, so a million customers collide with
    /// odds of about 1 in 36 million (employees' 10 digits are too few to match orders on).
    public static let digits = 16
    public static let prefix = "cus-"

    public init(mode: CustomerNames, key: String) {
        self.mode = mode
        self.key = key
    }

    /// The stored value: nil for an absent or blank customer; else the pseudonym (or, under
    /// `named`, the normalised identity). A value that already is a pseudonym is kept, so an
    /// export fed back in (or an order list keyed by pseudonyms) matches the same customer; so
    /// is a `forget` label a site shipped: its customer stays recognisably forgotten here.
    public func stored(_ customer: String?) -> String? {
        guard let customer, let normalised = Self.normalised(customer) else { return nil }
        if Self.isPseudonym(normalised) || Self.isForgottenLabel(normalised) { return normalised }
        switch mode {
        case .named: return normalised
        case .pseudonymous: return Self.pseudonym(normalised, key: key)
        }
    }

    /// The keyed pseudonym of an already normalised identity; the identity is prefixed with
    /// `customer:` so a customer and an employee of the same spelling do not share a hash.
    static func pseudonym(_ normalised: String, key: String) -> String {
        KeyedPseudonym.make(prefix: prefix, digits: digits, key: key, identity: "customer:" + normalised)
    }

    /// What `forget` puts where the customer was: `forgotten-` and 16 lowercase hex digits of
    /// randomness, derived from nothing (docs/roi.md "Erasure").
    public static let forgottenPrefix = "forgotten-"

    /// A new `forget` label: `forgottenPrefix` and `digits` hex digits of system randomness.
    public static func randomForgottenLabel() -> String {
        var generator = SystemRandomNumberGenerator()
        return forgottenPrefix + SHA256.hexString((0..<digits / 2).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// A label `forget` made: naming it tells nobody who the customer was, so it is a filter
    /// like a pseudonym in every privacy mode.
    public static func isForgottenLabel(_ value: String) -> Bool {
        if let ascii = CustomerASCII.isHexLabel(value, prefix: forgottenPrefix) { return ascii }
        let scalars = Array(value.unicodeScalars)
        guard value.hasPrefix(forgottenPrefix), scalars.count == forgottenPrefix.unicodeScalars.count + digits else { return false }
        return scalars.dropFirst(forgottenPrefix.unicodeScalars.count).allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
    }

    /// `cus-` and 16 lowercase hex digits.
    public static func isPseudonym(_ value: String) -> Bool {
        // A pseudonym is ASCII; an ASCII value is checked byte by byte (no array of scalars).
        if let ascii = CustomerASCII.isHexLabel(value, prefix: prefix) { return ascii }
        let scalars = Array(value.unicodeScalars)
        guard value.hasPrefix(prefix), scalars.count == prefix.unicodeScalars.count + digits else { return false }
        return scalars.dropFirst(prefix.unicodeScalars.count).allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
    }

    /// Every value the store may hold `customer` under, for `forget`: the pseudonym and the
    /// identity (stored while `named`), and for a handle also both as dialogd before handle
    /// case folding made them (`@Bob_B` as written), so records stored before are found too.
    /// Records stored before Unicode composition are found too: under the spelling given, and
    /// under the identity fully decomposed (NFD), as macOS and some CRMs write it, and an address
    /// as `mailto:` + address (kept whole before `mailto:` was dropped).
    public func storedForms(_ customer: String) -> [String] {
        guard let identity = Self.normalised(customer) else { return [] }
        if Self.isPseudonym(identity) || Self.isForgottenLabel(identity) { return [identity] }
        var forms = [Self.pseudonym(identity, key: key), identity]
        let legacy = [Self.normalised(customer, foldingHandleCase: false),
                      Self.normalised(customer, composing: false),
                      Self.normalised(customer, foldingHandleCase: false, composing: false),
                      identity.decomposedStringWithCanonicalMapping,
                      Self.isEmailAddress(identity) ? "mailto:" + identity : nil]
        // Compared as scalars: Swift's `==` takes NFD and NFC as equal, the store's bytes do not.
        for form in legacy.compactMap({ $0 }) where !forms.contains(where: { $0.unicodeScalars.elementsEqual(form.unicodeScalars) }) {
            forms += [Self.pseudonym(form, key: key), form]
        }
        return forms
    }

    /// Whether `value` is a social handle: `@` and a name of letters, digits, `_`, `.` or `-`, as
    /// platforms allow (`@anna_sales`); `@SUM(1+1) …` is none and is kept as written, not case-folded.
    public static func isHandle(_ value: String) -> Bool {
        let scalars = value.unicodeScalars
        guard scalars.first == "@", scalars.count > 1 else { return false }
        return scalars.dropFirst().allSatisfy { CharacterSet.alphanumerics.contains($0) || "_.-".unicodeScalars.contains($0) }
    }

    /// Unicode NFC (decomposed `u` + U+0308 is the `ü` of the same customer; NFKC is not used:
    /// it would merge distinct customer numbers such as `K-2²` and `K-22`); trimmed; `Name <address>`
    /// reduced to the address; `mailto:` dropped from an address; an e-mail address and a social handle
    /// lowercased (compared case-insensitively: `@Bob_B` is the account `@bob_b`, as the
    /// platforms, the roster and `forget`'s mention search take it); a handle keeps its `@`;
    /// anything else (customer numbers, names) as written. Nil when nothing is left.
    /// `foldingHandleCase: false` / `composing: false` are the rules before handles were folded and
    /// before NFC (`forget` of old records).
    public static func normalised(_ customer: String, foldingHandleCase: Bool = true, composing: Bool = true) -> String? {
        // Every stored record's customer comes here: ASCII (nearly all) by bytes (issue 17).
        if foldingHandleCase, composing, let ascii = CustomerASCII.normalised(customer) { return ascii }
        return normalisedByScalars(customer, foldingHandleCase: foldingHandleCase, composing: composing)
    }

    /// `normalised` through Foundation and Characters: any text (the ASCII path must agree with it).
    static func normalisedByScalars(_ customer: String, foldingHandleCase: Bool = true, composing: Bool = true) -> String? {
        var value = customer.trimmingCharacters(in: .whitespacesAndNewlines)
        if composing { value = value.precomposedStringWithCanonicalMapping }
        if let open = value.lastIndex(of: "<"), value.hasSuffix(">") {
            let inner = value[value.index(after: open)..<value.index(before: value.endIndex)]
            if isEmailAddress(String(inner)) { value = String(inner) }
        }
        if composing, let colon = value.firstIndex(of: ":"), value[..<colon].lowercased() == "mailto" {
            let address = String(value[value.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            if isEmailAddress(address) { value = address }
        }
        guard !value.isEmpty else { return nil }
        return isEmailAddress(value) || (foldingHandleCase && isHandle(value)) ? value.lowercased() : value
    }

    /// `local@domain.tld` without spaces; a leading `@` is a handle, not an address.
    public static func isEmailAddress(_ value: String) -> Bool {
        let scalars = Array(value.unicodeScalars)
        guard let at = scalars.firstIndex(of: "@"), at > 0, scalars.lastIndex(of: "@") == at,
              !scalars.contains(where: { CharacterSet.whitespacesAndNewlines.contains($0) }) else { return false }
        let domain = scalars[(at + 1)...]
        guard let dot = domain.lastIndex(of: "."), dot > domain.startIndex, dot < scalars.count - 1 else { return false }
        return true
    }
}
