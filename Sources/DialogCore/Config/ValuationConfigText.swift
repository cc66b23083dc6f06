extension DialogConfig {
    /// The named sections (`[department.NAME]`, `[outcome.NAME]`, `[channel.NAME]`,
    /// `[magnet.NAME]`) as INI text that parses back to the same values; sorted by name.
    var namedSectionsINI: String {
        let v = valuation
        var lines: [String] = []
        for (name, d) in v.departments.sorted(by: { $0.key < $1.key }) {
            lines += ["[department.\(name)]", "hourly_cost = \(Self.money(d.hourlyCostCents))"]
            if !d.aliases.isEmpty { lines.append("aliases = " + d.aliases.joined(separator: ", ")) }
        }
        for (name, o) in v.outcomes.sorted(by: { $0.key < $1.key }) {
            lines += ["[outcome.\(name)]", "department = \(o.department ?? "any")", "value = \(Self.money(o.valueCents))"]
            if !o.meaning.isEmpty { lines.append("meaning = \"\(o.meaning)\"") }
            if !o.aliases.isEmpty { lines.append("aliases = " + o.aliases.joined(separator: ", ")) }
            if o.probabilityBasisPoints != 10_000 { lines.append("probability = " + Self.probability(o.probabilityBasisPoints)) }
        }
        for (name, c) in v.channels.sorted(by: { $0.key < $1.key }) {
            lines.append("[channel.\(name)]")
            if !c.aliases.isEmpty { lines.append("aliases = " + c.aliases.joined(separator: ", ")) }
            if let d = c.defaultDurationSeconds { lines.append("default_duration = \(Self.duration(d))") }
            if let g = c.group { lines.append("group = \(g)") }
        }
        for (name, m) in classification.magnets.sorted(by: { $0.key < $1.key }) {
            lines += ["[magnet.\(name)]", "dimension = \(m.dimension.rawValue)", "label = \(m.label)"]
            if !m.keywords.isEmpty { lines.append("keywords = " + Self.quoted(m.keywords.map { $0.joined(separator: " ") }.joined(separator: ", "))) }
            // The reader takes one pattern per section; more come only from code.
            if let pattern = m.patterns.first { lines.append("pattern = " + Self.quoted(pattern)) }
            lines.append("weight = \(m.weight)")
        }
        return lines.joined(separator: "\n")
    }

    /// Cents → `45.00`, `-0.05`.
    static func money(_ cents: Int64) -> String {
        let sign = cents < 0 ? "-" : ""
        let m = cents.magnitude
        let fraction = m % 100
        return "\(sign)\(m / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }

    /// Basis points → `0.2`, `0.0125`, `1`.
    static func probability(_ bp: Int64) -> String {
        if bp % 10_000 == 0 { return "\(bp / 10_000)" }
        var fraction = String(bp % 10_000)
        fraction = String(repeating: "0", count: 4 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(bp / 10_000).\(fraction)"
    }

    /// Seconds → `15m`, `1h`, or `90s` when not whole minutes.
    static func duration(_ seconds: Int64) -> String {
        if seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        if seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }
}
