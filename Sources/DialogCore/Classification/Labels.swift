/// What is classified (docs/classification.md): three independent dimensions.
public enum Dimension: String, Sendable, CaseIterable, Codable {
    case department, outcome, sentiment
}

/// Where a stored label came from. Precedence on ingest: logged > rule > model; a person's
/// `relabel` gives `review`, which no later classification overrides.
public enum LabelSource: String, Sendable, Codable, CaseIterable {
    case logged, rule, model, review
}

/// One dimension's answer for one text.
public struct LabelDecision: Sendable, Equatable, Codable {
    /// The label, or `unclassified` when the confidence is below `min_confidence`.
    public var label: String
    /// 0…1: for `model` the calibrated probability of being right; 1 for `logged`/`review`;
    /// for `rule` the winning label's share of the matched rule weight.
    public var confidence: Double
    public var source: LabelSource
    /// The tokens that decided it (rule keywords, or the features with most lift), best first.
    public var tokens: [String]

    public static let unclassified = "unclassified"

    public init(label: String, confidence: Double, source: LabelSource, tokens: [String] = []) {
        self.label = label
        self.confidence = confidence
        self.source = source
        self.tokens = tokens
    }

    /// The label to store and aggregate under; nil when unclassified.
    public var finalLabel: String? { label == Self.unclassified ? nil : label }

    /// Confidence in per-mille, as the store keeps it.
    public var perMille: Int { Int((confidence * 1000).rounded()) }
}

/// A text prepared for classification: tokenized and hashed once (off the loop, in parallel),
/// then scored and learned from by the loop's classifier.
public struct Document: Sendable, Equatable {
    public var tokens: [String]
    public var features: Features
    /// 1…5 when the record carries it: a feature of the sentiment model.
    public var satisfaction: Int?

    public init(text: String?, subject: String? = nil, satisfaction: Int? = nil) {
        var all = subject ?? ""
        // Only the tokenizer's first bytes are read: a huge text is not copied whole to get there.
        if let text {
            let head = text.utf8.count > Tokenizer.maxBytes ? String(decoding: text.utf8.prefix(Tokenizer.maxBytes), as: UTF8.self) : text
            all += all.isEmpty ? head : "\n" + head
        }
        tokens = Tokenizer.tokens(all)
        features = Features(tokens: tokens)
        self.satisfaction = satisfaction.flatMap { (1...5).contains($0) ? $0 : nil }
    }

    public init(_ record: ConversationRecord) {
        self.init(text: record.text, subject: record.subject, satisfaction: record.satisfaction)
    }

    /// The pseudo-token of a satisfaction rating.
    static func satisfactionToken(_ s: Int) -> String { "<sat\(s)>" }

    var extraTokens: [String] { satisfaction.map { [Self.satisfactionToken($0)] } ?? [] }

    /// The features a dimension's model sees: sentiment also sees the satisfaction rating.
    func features(for dimension: Dimension) -> Features {
        guard dimension == .sentiment, let s = satisfaction else { return features }
        let b = Features.bucket(Features.hash(Self.satisfactionToken(s)))
        var buckets = features.buckets
        if let at = buckets.firstIndex(where: { $0 >= b }) {
            if buckets[at] != b { buckets.insert(b, at: at) }
        } else {
            buckets.append(b)
        }
        return Features(buckets: buckets)
    }
}
