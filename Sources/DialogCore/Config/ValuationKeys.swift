import Foundation

/// Keys of the named sections `[department.NAME]`, `[outcome.NAME]`, `[channel.NAME]` and of
/// `[valuation]`/`[privacy]`. A named section adds the entity or changes a built-in one.
enum ValuationKeys {
    typealias Invalid = ConfigKeys.Invalid

    static let kinds = ["department", "outcome", "channel"]
    /// The keys each kind of named section takes, for error hints and the man page check.
    static let keys = [
        "department": ["hourly_cost"],
        "outcome": ["department", "value", "meaning"],
        "channel": ["aliases", "default_duration"],
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
    static func ensure(_ c: inout DialogConfig, kind: String, name: String) throws(Invalid) {
        try checkName(name)
        switch kind {
        case "department":
            if c.valuation.departments[name] == nil {
                c.valuation.departments[name] = .init(hourlyCostCents: c.valuation.defaultHourlyCostCents)
            }
        case "outcome":
            if c.valuation.outcomes[name] == nil {
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
        case ("channel", "aliases"):
            c.valuation.channels[name]!.aliases = v.split(separator: ",")
                .map { String($0).trimmingWhitespace().lowercased() }.filter { !$0.isEmpty }
        case ("channel", "default_duration"):
            c.valuation.channels[name]!.defaultDurationSeconds = try duration(v)
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
        var owner: [String: String] = [:]
        for (name, channel) in c.valuation.channels.sorted(by: { $0.key < $1.key }) {
            for alias in channel.aliases {
                if let other = owner[alias] ?? (c.valuation.channels[alias] != nil && alias != name ? alias : nil) {
                    throw ConfigError(key: "channel.\(name).aliases", message: "alias \(alias) already names channel \(other)")
                }
                owner[alias] = name
            }
        }
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
