/// What is classified (docs/classification.md): three independent dimensions.
public enum Dimension: String, Sendable, CaseIterable, Codable {
    case department, outcome, sentiment

    /// Position in `allCases`, for arrays indexed by dimension.
    var index: Int {
        switch self {
        case .department: 0
        case .outcome: 1
        case .sentiment: 2
        }
    }
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
    /// The tokens as bytes: what rules and `explain` read (`tokens`), kept without a String each.
    var tokenList: TokenList
    public var features: Features
    /// 1…5 when the record carries it: a feature of the sentiment model.
    public var satisfaction: Int?

    /// The words, as `Tokenizer.tokens` gives them.
    public var tokens: [String] { tokenList.strings }

    /// Subject and text are read as one text (`subject`, a line break, `text`) without joining them.
    public init(text: String?, subject: String? = nil, satisfaction: Int? = nil) {
        let subject = subject ?? ""
        if let text {
            // Only the tokenizer's first bytes are read: a huge text is not copied whole to get there.
            let head = text.utf8.count > Tokenizer.maxBytes ? String(decoding: text.utf8.prefix(Tokenizer.maxBytes), as: UTF8.self) : text
            tokenList = subject.isEmpty ? Tokenizer.tokenList(head) : Tokenizer.tokenList(subject, head)
        } else {
            tokenList = Tokenizer.tokenList(subject)
        }
        features = Features(tokens: tokenList)
        self.satisfaction = satisfaction.flatMap { (1...5).contains($0) ? $0 : nil }
    }

    public init(_ record: ConversationRecord) {
        self.init(text: record.text, subject: record.subject, satisfaction: record.satisfaction)
    }

    /// The pseudo-token of a satisfaction rating.
    static func satisfactionToken(_ s: Int) -> String { "<sat\(s)>" }

    /// The buckets of `<sat1>` … `<sat5>`, hashed once.
    static let satisfactionBuckets: [UInt32] = (1...5).map { Features.bucket(Features.hash(satisfactionToken($0))) }

    var extraTokens: [String] { satisfaction.map { [Self.satisfactionToken($0)] } ?? [] }

    /// The features a dimension's model sees: sentiment also sees the satisfaction rating.
    func features(for dimension: Dimension) -> Features {
        guard dimension == .sentiment, let s = satisfaction else { return features }
        let b = (1...5).contains(s) ? Self.satisfactionBuckets[s - 1] : Features.bucket(Features.hash(Self.satisfactionToken(s)))
        var buckets = features.buckets
        if let at = buckets.firstIndex(where: { $0 >= b }) {
            if buckets[at] != b { buckets.insert(b, at: at) }
        } else {
            buckets.append(b)
        }
        return Features(buckets: buckets)
    }
}
