/// The customers `forget` erased, kept so a record of theirs dropped again is stored as erased
/// (docs/roi.md "Erasure": a suppression list). Not who they were, nor their pseudonym: a keyed
/// hash of the pseudonym (`marker`), which names nobody and matches no older copy or export.
public struct ForgottenCustomers: Sendable, Equatable {
    /// The installation's secret (the one customer pseudonyms use).
    public let key: String
    public private(set) var markers: Set<String>

    /// Hex digits of a marker: 128 bits, so no customer is taken for a forgotten one by chance.
    public static let digits = 32

    public init(key: String, markers: Set<String> = []) {
        self.key = key
        self.markers = markers
    }

    public var isEmpty: Bool { markers.isEmpty }

    /// The marker kept for `pseudonym` (`cus-…`, this installation's or a site's).
    public func marker(pseudonym: String) -> String {
        KeyedPseudonym.make(prefix: "", digits: Self.digits, key: key, identity: "forgotten:" + pseudonym)
    }

    public mutating func insert(marker: String) { markers.insert(marker) }

    /// Whether a customer as the store keeps it (`CustomerIdentity.stored`: a pseudonym, or under
    /// `named` the normalised identity) is a forgotten one. A `forget` label is not: it names
    /// nobody. One hash per record when the list is not empty, none when it is.
    public func holds(stored customer: String?) -> Bool {
        guard !markers.isEmpty, let customer, !CustomerIdentity.isForgottenLabel(customer) else { return false }
        let pseudonym = CustomerIdentity.isPseudonym(customer) ? customer : CustomerIdentity.pseudonym(customer, key: key)
        return markers.contains(marker(pseudonym: pseudonym))
    }

    /// Whether a customer field as written in a spool file is a forgotten one: normalised as at
    /// ingest, and as dialogd normalised it before handles were case-folded.
    public func holds(written: String) -> Bool {
        guard !markers.isEmpty, let normalised = CustomerIdentity.normalised(written) else { return false }
        if holds(stored: normalised) { return true }
        guard let legacy = CustomerIdentity.normalised(written, foldingHandleCase: false), legacy != normalised else { return false }
        return holds(stored: legacy)
    }
}
