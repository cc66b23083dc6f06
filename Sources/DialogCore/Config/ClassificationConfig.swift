import Foundation

/// The classification part of the configuration (docs/classification.md).
public struct ClassificationConfig: Sendable, Equatable {
    /// A model label with a lower calibrated confidence is stored as unclassified and waits
    /// for review.
    public var minConfidence: Double = 0.5
    /// Rules by name, from `[magnet.NAME]` sections. None are built in.
    public var magnets: [String: Magnet] = [:]

    public init() {}
}

/// Keys of `[magnet.NAME]`. Repeating `keywords` or `pattern` adds more of them.
enum MagnetKeys {
    typealias Invalid = ConfigKeys.Invalid
    /// The keys of a `[magnet.NAME]` section (dialogd.conf(5) documents each).
    static let keys = ["dimension", "label", "keywords", "pattern", "weight"]

    static func split(_ section: String) -> String? {
        guard section.hasPrefix("magnet.") else { return nil }
        return String(section.dropFirst("magnet.".count))
    }

    static func ensure(_ c: inout DialogConfig, name: String) throws(Invalid) {
        try ValuationKeys.checkName(name)
        if c.classification.magnets[name] == nil { c.classification.magnets[name] = Magnet(name: name) }
    }

    static func set(_ c: inout DialogConfig, name: String, key: String, value v: String) throws(Invalid) {
        try ensure(&c, name: name)
        switch key {
        case "dimension":
            guard let d = Dimension(rawValue: v.lowercased()) else {
                throw Invalid(message: "expected department, outcome or sentiment, found \(v)")
            }
            c.classification.magnets[name]!.dimension = d
        case "label":
            let label = v.trimmingWhitespace().lowercased()
            guard !label.isEmpty, label != LabelDecision.unclassified else { throw Invalid(message: "expected a label such as sales, found \(v)") }
            c.classification.magnets[name]!.label = label
        case "keywords":
            let words = v.split(separator: ",").map { Tokenizer.tokens(String($0)) }.filter { !$0.isEmpty }
            guard !words.isEmpty else { throw Invalid(message: "expected comma-separated words that are not all stop words, found \(v)") }
            c.classification.magnets[name]!.keywords += words
        case "pattern":
            do { _ = try NSRegularExpression(pattern: v, options: [.caseInsensitive]) } catch {
                throw Invalid(message: "not a regular expression (ICU syntax): \(v)")
            }
            c.classification.magnets[name]!.patterns.append(v)
        case "weight":
            guard let w = Double(v), w > 0, w <= 1000 else { throw Invalid(message: "expected a positive weight like 1 or 2.5, found \(v)") }
            c.classification.magnets[name]!.weight = w
        default:
            throw Invalid(message: "unknown key; [magnet.NAME] knows " + keys.joined(separator: ", "))
        }
    }

    static func validate(_ c: DialogConfig) throws(ConfigError) {
        for (name, m) in c.classification.magnets.sorted(by: { $0.key < $1.key }) {
            if m.label.isEmpty { throw ConfigError(key: "magnet.\(name).label", message: "a magnet needs a label") }
            if m.keywords.isEmpty && m.patterns.isEmpty {
                throw ConfigError(key: "[magnet.\(name)]", message: "a magnet needs keywords or a pattern")
            }
            if m.dimension == .sentiment, !["positive", "neutral", "negative"].contains(m.label) {
                throw ConfigError(key: "magnet.\(name).label", message: "a sentiment label is positive, neutral or negative")
            }
        }
    }
}
