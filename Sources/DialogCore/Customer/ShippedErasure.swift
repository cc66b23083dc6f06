/// A central's copies of other sites' records (docs/spool.md "Many sites") whose earlier
/// revisions it must not keep once a site erased them: the shipped increments in `cur/` hold
/// each revision as it arrived, so a site's `forget` (or `text_days`) reaches the central's store
/// with the next increment but its originals only through this list (`RecordErasure.shippedErasure`).
public struct ShippedErasure: Sendable, Equatable {
    /// `site/base key` → the revision below which that record's shipped lines go. Keys by bytes,
    /// as the store keeps them: `id:é` and `id:e` + U+0301 are two records.
    public private(set) var below: [ExactBytes: Int64] = [:]
    /// The base keys (`id:7`, `sha256:…`) of `below`, for the byte scan (`mayHold`).
    private var keys: Set<ExactBytes> = []

    public init() {}

    public var isEmpty: Bool { below.isEmpty }

    /// Lines of `site`'s record `key` (as the site writes it: `id:7`, `sha256:…`) with a revision
    /// under `revision` go; `Int64.max`: every line of it (a `forget` at the central).
    public mutating func add(site: String, key: String, below revision: Int64) {
        let name = ExactBytes(site + "/" + SiteKey.base(key))
        below[name] = max(below[name] ?? revision, revision)
        keys.insert(ExactBytes(SiteKey.base(key)))
    }

    public mutating func merge(_ other: ShippedErasure) {
        for (name, revision) in other.below { below[name] = max(below[name] ?? revision, revision) }
        keys.formUnion(other.keys)
    }

    /// Whether `parsed` is a shipped line of a listed record, older than the revision that erased it.
    public func contains(_ parsed: ParsedRecord) -> Bool {
        guard parsed.order == nil, let shipped = parsed.record.shipped else { return false }
        let key = shipped.key ?? RecordKey.make(for: parsed.record)
        guard let bound = below[ExactBytes(shipped.site + "/" + key)] else { return false }
        return shipped.revision < bound
    }

    /// Whether `line` is a shipped line of a listed record, older than the revision that erased
    /// it, that no reader takes (a central refused it: a bad cell). A line whose revision cannot
    /// be read (`"revision":"x"`, cut off) goes whatever revision erased its record.
    public func contains(refusedLine line: ArraySlice<UInt8>) -> Bool {
        guard !below.isEmpty, mayHold(line), let copy = Self.copy(refusedLine: line), let bound = below[ExactBytes(copy.site + "/" + copy.key)] else { return false }
        return copy.revision.map { $0 < bound } ?? true
    }

    /// The site, key and revision of a shipped line no reader takes, read from its `dialogd`
    /// object as written, not from the record it failed to be — as far as it goes when the line
    /// is no JSON (`LooseJSONLine`: cut off, a trailing comma); nil for any other line. The
    /// revision is nil when it is no integer.
    public static func copy(refusedLine line: ArraySlice<UInt8>) -> (site: String, key: String, revision: Int64?)? {
        guard RecordErasure.containsFolded(line, Array(#""dialogd""#.utf8)) else { return nil }
        guard case .object(let members)? = try? JSONParser.parse(Array(line)) else {
            guard let loose = LooseJSONLine(String(decoding: line, as: UTF8.self)),
                  let site = loose.member("site", after: ShippedCopy.member), let key = loose.member("key", after: ShippedCopy.member) else { return nil }
            return (site, key, loose.member("revision", after: ShippedCopy.member).flatMap { Int64($0) })
        }
        guard case .object(let copy)? = members.last(where: { $0.key == ShippedCopy.member })?.value else { return nil }
        var site: String?, key: String?, revision: Int64?
        for member in copy {
            switch (member.key, member.value) {
            case ("site", .string(let s)): site = s
            case ("key", .string(let k)): key = k
            case ("revision", .number(let n)): revision = Int64(n)
            default: continue
            }
        }
        guard let site, let key else { return nil }
        return (site, key, revision)
    }

    /// Whether a shipped revision stored with no copy before it here may have erased lines kept
    /// of an earlier revision the central refused (`cur/`, `quarantine/`): its customer is a
    /// `forget` label, or a text says `[forgotten]`. A text removed (`text_days`) is not seen.
    public static func mayErase(_ record: ConversationRecord) -> Bool {
        if let customer = record.customer, CustomerIdentity.isForgottenLabel(customer) { return true }
        return placeholders(record) > 0
    }

    /// Whether `bytes` may hold a listed record's line: a `"key":"…"` member (as `export` writes
    /// the `dialogd` object) whose value is a listed key. The spool's byte scan: a file or line
    /// without one is not read. One pass, whatever the number of keys (a site's `text_days`
    /// erases thousands of texts in one revision). A key written with a JSON escape is missed.
    public func mayHold(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard !keys.isEmpty else { return false }
        let marker = Array(#""key":""#.utf8), quote = UInt8(ascii: "\"")
        var i = bytes.startIndex
        while i + marker.count <= bytes.endIndex {
            guard bytes[i] == marker[0], bytes[i..<(i + marker.count)].elementsEqual(marker) else { i += 1; continue }
            let start = i + marker.count
            guard let end = bytes[start...].firstIndex(of: quote) else { return false }
            if keys.contains(ExactBytes(String(decoding: bytes[start..<end], as: UTF8.self))) { return true }
            i = end
        }
        return false
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
