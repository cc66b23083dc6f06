/// What the `dialogd` object of an exported JSON line says about the record (docs/spool.md
/// "Many sites"): which site it belongs to, its revision there, its key there, and the labels
/// and figures the site counts it under. Not content: neither hashed nor compared.
public struct ShippedCopy: Sendable, Equatable {
    public var site: String
    /// The record's revision at its site; a copy with a higher one replaces a stored copy.
    public var revision: Int64
    /// The site's key for it (`id:…` or `sha256:…`), so identity does not depend on how this
    /// daemon normalizes the fields; nil: computed here.
    public var key: String?
    /// The site's final labels with their sources.
    public var labels: RecordLabels
    /// The site's figures; nil when the site had not priced it (then it is priced here).
    public var priced: PricedConversation?

    public init(site: String, revision: Int64, key: String? = nil, labels: RecordLabels = RecordLabels(), priced: PricedConversation? = nil) {
        self.site = site; self.revision = revision; self.key = key; self.labels = labels; self.priced = priced
    }

    /// The reserved member's name: a record field spelled like this is never an extra.
    public static let member = "dialogd"

    /// Reads a `dialogd` object. Returns nil for an object without `site` and `revision` (an
    /// export of a dialogd before issue 19: its derived members are ignored, the record counts
    /// as this site's own); throws with what was expected for anything malformed. Members
    /// it does not use (`row_id`, `net_cents`, `source_file`, …) are ignored: they are derived.
    public static func parse(_ value: JSONValue, recordID: String?) throws(ShippedCopyError) -> ShippedCopy? {
        guard case .object(let members) = value else { throw ShippedCopyError("the object dialogctl export writes") }
        var fields: [String: JSONValue] = [:]
        for member in members { fields[member.key] = member.value }
        guard fields["site"] != nil || fields["revision"] != nil else { return nil }
        guard case .string(let site)? = fields["site"], SiteID.isValid(site) else {
            throw ShippedCopyError("a \"site\" member: " + SiteID.form)
        }
        guard let revision = integer(fields["revision"]), revision > 0 else {
            throw ShippedCopyError("a \"revision\" member: a whole number above 0")
        }
        var copy = ShippedCopy(site: site, revision: revision)
        if let key = fields["key"] {
            guard case .string(let text) = key, let base = SiteKey.validBase(text, recordID: recordID) else {
                throw ShippedCopyError("a \"key\" member \"id:<the record's id>\" or \"sha256:<64 hex digits>\"")
            }
            copy.key = base
        }
        copy.labels = try labels(fields)
        copy.priced = try priced(fields)
        return copy
    }

    private static func labels(_ fields: [String: JSONValue]) throws(ShippedCopyError) -> RecordLabels {
        guard let value = fields["labels"] else { return RecordLabels() }
        guard case .object(let dimensions) = value else { throw ShippedCopyError("\"labels\": an object of department, outcome, sentiment") }
        var labels = RecordLabels()
        for member in dimensions {
            guard let dimension = Dimension(rawValue: member.key), case .object(let parts) = member.value else { continue }
            var part: [String: JSONValue] = [:]
            for p in parts { part[p.key] = p.value }
            guard case .string(let sourceName)? = part["source"], let source = LabelSource(rawValue: sourceName) else {
                throw ShippedCopyError("\"labels\".\"\(member.key)\": a \"source\" (logged, rule, model or review)")
            }
            var label = LabelDecision.unclassified
            if case .string(let text)? = part["label"] { label = FieldValues.label(text) }
            var confidence = 1.0
            if case .number(let n)? = part["confidence"] {
                guard let c = Double(n), c >= 0, c <= 1 else { throw ShippedCopyError("\"labels\".\"\(member.key)\".\"confidence\": a number from 0 to 1") }
                confidence = c
            }
            labels[dimension] = LabelDecision(label: label, confidence: confidence, source: source)
        }
        return labels
    }

    private static func priced(_ fields: [String: JSONValue]) throws(ShippedCopyError) -> PricedConversation? {
        guard fields["cost_cents"] != nil else { return nil }
        guard let cost = integer(fields["cost_cents"]), let value = integer(fields["value_cents_counted"]),
              let seconds = integer(fields["duration_s_counted"]), seconds >= 0 else {
            throw ShippedCopyError("\"cost_cents\", \"value_cents_counted\" and \"duration_s_counted\": whole numbers")
        }
        func label(_ name: String, none: String) throws(ShippedCopyError) -> String? {
            guard let v = fields[name] else { return nil }
            guard case .string(let text) = v else { throw ShippedCopyError("\"\(name)\": text") }
            let l = FieldValues.label(text)
            return l == none || l.isEmpty ? nil : l
        }
        return PricedConversation(department: try label("department_counted", none: "unassigned"),
                                  outcome: try label("outcome_counted", none: "unclassified"),
                                  durationSeconds: seconds, costCents: cost, valueCents: value)
    }

    private static func integer(_ value: JSONValue?) -> Int64? {
        guard case .number(let n)? = value else { return nil }
        return Int64(n)
    }
}

/// What was wrong with a `dialogd` object: what a valid one holds.
public struct ShippedCopyError: Error, Sendable, Equatable {
    public var expected: String
    public init(_ expected: String) { self.expected = expected }
}

/// Record keys across sites: a store's own site keeps plain keys (`id:7`, `sha256:…`), another
/// site's records are stored as `site:NAME/id:7`, so equal ids of two sites stay two records.
public enum SiteKey {
    public static func qualified(_ key: String, site: String, home: String) -> String {
        site == home ? key : "site:" + site + "/" + key
    }

    /// The key as its own site writes it (`site:NAME/` taken off).
    public static func base(_ key: String) -> String {
        guard key.hasBytePrefix("site:"), let slash = key.utf8.firstIndex(of: UInt8(ascii: "/")) else { return key }
        return String(key[key.utf8.index(after: slash)...])
    }

    /// `text` when it is a base key a site may ship: `id:` + the record's own id, or a content hash.
    static func validBase(_ text: String, recordID: String?) -> String? {
        // Bytes: an id may begin with a combining mark, and "é" == "e\u{301}" as Strings.
        if text.hasBytePrefix("id:") { return recordID.map { ("id:" + $0).sameBytes(as: text) } == true ? text : nil }
        guard text.hasBytePrefix("sha256:") else { return nil }
        let hex = text.utf8.dropFirst(7)
        return hex.count == 64 && hex.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) ? text : nil
    }
}
