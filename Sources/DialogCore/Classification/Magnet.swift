import Foundation

/// A rule ("magnet", docs/classification.md) from `[magnet.NAME]`: keywords and regular expressions that
/// pull a text to one label of one dimension with a weight. Rules beat the model: the admin
/// who writes "Rechnung → billing" means it.
public struct Magnet: Sendable, Equatable {
    public var name: String
    public var dimension: Dimension
    public var label: String
    /// Each keyword as folded tokens; a phrase matches as consecutive tokens.
    public var keywords: [[String]]
    /// Regular expressions, matched case-insensitively against the raw text.
    public var patterns: [String]
    public var weight: Double

    public init(name: String, dimension: Dimension = .department, label: String = "", keywords: [[String]] = [],
                patterns: [String] = [], weight: Double = 1) {
        self.name = name; self.dimension = dimension; self.label = label; self.keywords = keywords
        self.patterns = patterns; self.weight = weight
    }

    /// The matched keywords or patterns in `tokens`/`text`; empty when the rule does not fire.
    func matches(tokens: [String], text: String, compiled: [NSRegularExpression]) -> [String] {
        var found: [String] = []
        for keyword in keywords where !keyword.isEmpty && Self.contains(tokens, keyword) {
            found.append(keyword.joined(separator: " "))
        }
        let range = NSRange(text.startIndex..., in: text)
        for regex in compiled {
            if let m = regex.firstMatch(in: text, range: range), let r = Range(m.range, in: text) {
                found.append(String(text[r]).lowercased())
            }
        }
        return found
    }

    static func contains(_ tokens: [String], _ phrase: [String]) -> Bool {
        guard phrase.count <= tokens.count else { return false }
        for start in 0...(tokens.count - phrase.count) where tokens[start] == phrase[0] {
            if phrase.count == 1 || Array(tokens[start..<(start + phrase.count)]) == phrase { return true }
        }
        return false
    }
}

/// All magnets with their patterns compiled once.
struct MagnetSet: @unchecked Sendable {
    // NSRegularExpression is immutable after creation and documented thread-safe for matching.
    let magnets: [(Magnet, [NSRegularExpression])]

    /// Whether any magnet pulls toward a label of each dimension (by `Dimension.index`): without
    /// one, `decide` is nil, and a record's tokens and text need not be read for it.
    private let dimensions: [Bool]

    init(_ magnets: [Magnet]) {
        self.magnets = magnets.map { m in
            (m, m.patterns.compactMap { try? NSRegularExpression(pattern: $0, options: [.caseInsensitive]) })
        }
        dimensions = Dimension.allCases.map { d in magnets.contains { $0.dimension == d } }
    }

    func hasRules(for dimension: Dimension) -> Bool { dimensions[dimension.index] }

    /// The rule decision for `dimension`, if any rule fires and one label leads.
    func decide(_ dimension: Dimension, tokens: [String], text: String) -> LabelDecision? {
        var score: [String: Double] = [:]
        var why: [String: [String]] = [:]
        for (magnet, compiled) in magnets where magnet.dimension == dimension {
            let found = magnet.matches(tokens: tokens, text: text, compiled: compiled)
            guard !found.isEmpty else { continue }
            score[magnet.label, default: 0] += magnet.weight
            why[magnet.label, default: []] += found
        }
        let ranked = score.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
        guard let best = ranked.first, best.value > 0 else { return nil }
        if ranked.count > 1, ranked[1].value == best.value { return nil } // a tie: let the model decide
        let total = ranked.reduce(0) { $0 + max(0, $1.value) }
        return LabelDecision(label: best.key, confidence: best.value / total, source: .rule, tokens: why[best.key] ?? [])
    }
}
