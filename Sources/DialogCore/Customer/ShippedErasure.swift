/// A central's copies of other sites' records (docs/spool.md "Many sites") whose earlier
/// revisions it must not keep once a site erased them: the shipped increments in `cur/` hold
/// each revision as it arrived, so a site's `forget` (or `text_days`) reaches the central's store
/// with the next increment but its originals only through this list (`RecordErasure.isOwnRecord`).
public struct ShippedErasure: Sendable, Equatable {
    /// `site/base key` → the revision below which that record's shipped lines go.
    public private(set) var below: [String: Int64] = [:]

    public init() {}

    public var isEmpty: Bool { below.isEmpty }

    /// Lines of `site`'s record `key` (as the site writes it: `id:7`, `sha256:…`) with a revision
    /// under `revision` go; `Int64.max`: every line of it (a `forget` at the central).
    public mutating func add(site: String, key: String, below revision: Int64) {
        let name = site + "/" + SiteKey.base(key)
        below[name] = max(below[name] ?? revision, revision)
    }

    public mutating func merge(_ other: ShippedErasure) {
        for (name, revision) in other.below { below[name] = max(below[name] ?? revision, revision) }
    }

    /// Whether `parsed` is a shipped line of a listed record, older than the revision that erased it.
    public func contains(_ parsed: ParsedRecord) -> Bool {
        guard parsed.order == nil, let shipped = parsed.record.shipped else { return false }
        let key = shipped.key ?? RecordKey.make(for: parsed.record)
        guard let bound = below[shipped.site + "/" + key] else { return false }
        return shipped.revision < bound
    }

    /// Byte strings one of which every listed line holds (its key as exported), for the spool's
    /// byte scan: a file or line without any is not read.
    public var needles: [[UInt8]] {
        below.keys.sorted().compactMap { name in name.split(separator: "/", maxSplits: 1).last.map { Array($0.utf8) } }
    }

    /// Whether a site's revision `after` of a record erased something revision `before` held:
    /// its customer became a `forget` label, a text the old one had is gone (`forget`,
    /// `text_days`), or a text gained a `[forgotten]` where a mention was (another customer's
    /// `forget`). Then the old revision's lines must not stay anywhere. A writer who typed
    /// `[forgotten]` only makes the central drop lines superseded anyway.
    public static func erases(before: ConversationRecord, after: ConversationRecord) -> Bool {
        if let customer = after.customer, CustomerIdentity.isForgottenLabel(customer), before.customer != customer { return true }
        if (before.text != nil && after.text == nil) || (before.subject != nil && after.subject == nil)
            || (!before.extras.isEmpty && after.extras.isEmpty) { return true }
        return placeholders(after) > placeholders(before)
    }

    private static func placeholders(_ record: ConversationRecord) -> Int {
        let texts = [record.subject, record.text].compactMap { $0 } + record.tags + record.extras.values
        let marker = Array(IdentityMentions.placeholder.utf8)
        return texts.reduce(0) { count, text in
            let bytes = Array(text.utf8)
            guard bytes.count >= marker.count else { return count }
            var n = count, i = 0
            while i + marker.count <= bytes.count {
                if bytes[i..<(i + marker.count)].elementsEqual(marker) { n += 1; i += marker.count } else { i += 1 }
            }
            return n
        }
    }
}
