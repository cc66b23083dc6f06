import Foundation

/// Keys of the named sections `[department.NAME]`, `[outcome.NAME]`, `[channel.NAME]` and of
/// `[valuation]`/`[privacy]`. A named section adds the entity or changes a built-in one.
enum ValuationKeys {
    typealias Invalid = ConfigKeys.Invalid

    static let kinds = ["department", "outcome", "channel"]
    /// The keys each kind of named section takes, for error hints and the man page check.
    static let keys = [
        "department": ["hourly_cost", "aliases"],
        "outcome": ["department", "value", "meaning", "aliases", "probability"],
        "channel": ["aliases", "default_duration", "group"],
    ]

    /// `department.service` → ("department", "service"); `nil` for plain sections.
    static func split(_ section: String) -> (kind: String, name: String)? {
        guard let dot = section.firstIndex(of: ".") else { return nil }
        let kind = String(section[..<dot])
        let name = String(section[section.index(after: dot)...])
        guard kinds.contains(kind) else { return nil }
        return (kind, name)
    }

    static func checkName(_ name: String) throws(Invalid) {
        guard !name.isEmpty, name.utf8.count <= 64,
              name.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" || $0 == "-" })
        else { throw Invalid(message: "expected a name of letters, digits, `_` or `-` after the dot, found \(name)") }
    }

    /// Creates the entity of a named section with neutral values when it is not built in.
    /// Departments and outcomes are classifier labels (1 MiB of model each): a new one past
    /// `LabelVocabulary.maxPerKind` is refused.
    static func ensure(_ c: inout DialogConfig, kind: String, name: String) throws(Invalid) {
        try checkName(name)
        func bounded(_ count: Int) throws(Invalid) {
            guard count < LabelVocabulary.maxPerKind else {
                throw Invalid(message: "expected at most \(LabelVocabulary.maxPerKind) \(kind)s (built-in ones included); [\(kind).\(name)] would be one more")
            }
        }
        switch kind {
        case "department":
            if c.valuation.departments[name] == nil {
                try bounded(c.valuation.departments.count)
                c.valuation.departments[name] = .init(hourlyCostCents: c.valuation.defaultHourlyCostCents)
            }
        case "outcome":
            if c.valuation.outcomes[name] == nil {
                try bounded(c.valuation.outcomes.count)
                c.valuation.outcomes[name] = .init(department: nil, valueCents: 0, meaning: "")
            }
        default:
            if c.valuation.channels[name] == nil { c.valuation.channels[name] = .init() }
        }
    }

    static func set(_ c: inout DialogConfig, kind: String, name: String, key: String, value v: String) throws(Invalid) {
        try ensure(&c, kind: kind, name: name)
        switch (kind, key) {
        case ("department", "hourly_cost"):
            c.valuation.departments[name]!.hourlyCostCents = try money(v, allowNegative: false)
        case ("outcome", "department"):
            let d = v.lowercased()
            c.valuation.outcomes[name]!.department = d == "any" ? nil : d
        case ("outcome", "value"):
            c.valuation.outcomes[name]!.valueCents = try money(v, allowNegative: true)
        case ("outcome", "meaning"):
            c.valuation.outcomes[name]!.meaning = v
        case ("outcome", "probability"):
            c.valuation.outcomes[name]!.probabilityBasisPoints = try probability(v)
        case ("department", "aliases"):
            c.valuation.departments[name]!.aliases = aliases(v)
        case ("outcome", "aliases"):
            c.valuation.outcomes[name]!.aliases = aliases(v)
        case ("channel", "aliases"):
            c.valuation.channels[name]!.aliases = aliases(v)
        case ("channel", "default_duration"):
            c.valuation.channels[name]!.defaultDurationSeconds = try duration(v)
        case ("channel", "group"):
            try checkName(v)
            c.valuation.channels[name]!.group = v.lowercased()
        default:
            throw Invalid(message: "unknown key; [\(kind).NAME] knows " + (keys[kind] ?? []).joined(separator: ", "))
        }
    }

    /// Cross-section checks once the whole file is read.
    static func validate(_ c: DialogConfig) throws(ConfigError) {
        for (name, outcome) in c.valuation.outcomes.sorted(by: { $0.key < $1.key }) {
            if let d = outcome.department, c.valuation.departments[d] == nil {
                throw ConfigError(key: "outcome.\(name).department", message: "unknown department \(d); add [department.\(d)] or write `any`")
            }
        }
        let v = c.valuation
        try checkAliases("department", v.departments.mapValues(\.aliases))
        try checkAliases("outcome", v.outcomes.mapValues(\.aliases))
        try checkAliases("channel", v.channels.mapValues(\.aliases))
    }

    /// A rule's department or outcome label names a label of the vocabulary (any spelling of it;
    /// stored as the label), so a rule cannot start a category the figures do not count.
    static func mapMagnetLabels(_ c: inout DialogConfig) throws(ConfigError) {
        let vocabulary = LabelVocabulary(c.valuation)
        for (name, magnet) in c.classification.magnets.sorted(by: { $0.key < $1.key }) {
            let kind: LabelVocabulary.Kind
            switch magnet.dimension {
            case .department: kind = .department
            case .outcome: kind = .outcome
            case .sentiment: continue
            }
            guard let label = vocabulary.resolve(magnet.label, kind) else {
                throw ConfigError(key: "magnet.\(name).label", message: "\(magnet.label) is no configured \(kind.rawValue); one of "
                                  + (vocabulary.names[kind] ?? []).joined(separator: ", ") + ", or add [\(kind.rawValue).\(magnet.label)]")
            }
            c.classification.magnets[name]?.label = label
        }
    }

    /// Within one kind, an alias (spelt any way `LabelVocabulary` folds) names one label only.
    static func checkAliases(_ kind: String, _ labels: [String: [String]]) throws(ConfigError) {
        var owner: [String: String] = [:]
        for name in labels.keys { owner[LabelVocabulary.fold(name)] = name }
        for (name, aliases) in labels.sorted(by: { $0.key < $1.key }) {
            for alias in aliases {
                let folded = LabelVocabulary.fold(alias)
                if let other = owner[folded], other != name {
                    throw ConfigError(key: "\(kind).\(name).aliases",
                                      message: "alias \(alias) already names \(kind) \(other) (each spelling may name one \(kind) only)")
                }
                owner[folded] = name
            }
        }
    }

    /// `Vertrieb, Verkauf` → `["vertrieb", "verkauf"]` (lowercased; matching folds further).
    static func aliases(_ v: String) -> [String] {
        v.split(separator: ",").map { String($0).trimmingWhitespace().lowercased() }.filter { !$0.isEmpty }
    }

    /// `0.2`, `0,2`, `20%`, `1` → basis points 0…10000 (a fraction with at most four decimals).
    static func probability(_ v: String) throws(Invalid) -> Int64 {
        var text = v.trimmingWhitespace().replacingOccurrences(of: ",", with: ".")
        var scale: Int64 = 10_000
        if text.hasSuffix("%") { text = String(text.dropLast()).trimmingWhitespace(); scale = 100 }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let decimals = scale == 10_000 ? 4 : 2
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].allSatisfy({ $0.isASCII && $0.isNumber }),
              let whole = Int64(parts[0]), whole <= 100,
              parts.count == 1 || (1...decimals).contains(parts[1].count) && parts[1].allSatisfy(\.isASCII) && parts[1].allSatisfy(\.isNumber),
              case let fraction = parts.count == 2 ? String(parts[1]).padding(toLength: decimals, withPad: "0", startingAt: 0) : "0",
              let f = Int64(fraction)
        else { throw Invalid(message: "expected a probability from 0 to 1 like 0.2 (or 20%), found \(v)") }
        let bp = scale == 10_000 ? whole * 10_000 + f : whole * 100 + f
        guard bp <= 10_000 else { throw Invalid(message: "expected a probability from 0 to 1 like 0.2 (or 20%), found \(v)") }
        return bp
    }

    /// `45.00`, `45`, `1.200,50`: whole currency units with up to two decimals → cents.
    static func money(_ v: String, allowNegative: Bool) throws(Invalid) -> Int64 {
        guard let parsed = MoneyParser.parse(v), parsed.currency == nil, allowNegative || parsed.cents >= 0,
              abs(parsed.cents) <= 1_000_000_000_00
        else {
            throw Invalid(message: "expected an amount like 45.00 without currency\(allowNegative ? "" : ", not negative"), found \(v)")
        }
        return parsed.cents
    }

    static func duration(_ v: String) throws(Invalid) -> Int64 {
        guard let s = DurationParser.parse(v), s > 0, s <= 7 * 24 * 3600 else {
            throw Invalid(message: "expected a duration like 15m or 1h30m (at most 7 days), found \(v)")
        }
        return s
    }
}
