/// Department, outcome and sentiment for a conversation (docs/classification.md): explicit field (`logged`)
/// > rule (`rule`) > learned model (`model`); a model label below `minConfidence` becomes
/// `unclassified`. Owned by one thread (the daemon's loop); learning mutates it.
public struct Classifier: Sendable {
    /// The models by `Dimension.index`: an array, not a dictionary hashing the dimension at
    /// every lookup (issue 17).
    private var byDimension: [LabelModel]
    public var models: [Dimension: LabelModel] {
        Dictionary(uniqueKeysWithValues: Dimension.allCases.map { ($0, byDimension[$0.index]) })
    }
    public var minConfidence: Double
    /// False in offline evaluation, which scores the model's best guess for every text (as the
    /// scikit-learn reference does); the daemon leaves a text without known features unlabelled.
    public var abstainsWithoutEvidence = true
    var magnets: MagnetSet

    public init(_ config: ClassificationConfig = ClassificationConfig(), models: [Dimension: LabelModel]? = nil) {
        let models = models ?? Self.freshModels()
        let fresh = models.count == Dimension.allCases.count ? [:] : Self.freshModels()
        self.init(config, byDimension: Dimension.allCases.map { models[$0] ?? fresh[$0] ?? LabelModel() })
    }

    private init(_ config: ClassificationConfig, byDimension: [LabelModel]) {
        self.byDimension = byDimension
        minConfidence = config.minConfidence
        magnets = MagnetSet(config.magnets.values.sorted { $0.name < $1.name })
    }

    /// Empty department and outcome models; the sentiment model seeded with the lexicon.
    public static func freshModels() -> [Dimension: LabelModel] {
        [.department: LabelModel(), .outcome: LabelModel(), .sentiment: SentimentLexicon.seededModel()]
    }

    /// Takes the rules and threshold of `other`, keeping what this one learned.
    public mutating func adoptRules(of other: Classifier) {
        minConfidence = other.minConfidence
        magnets = other.magnets
    }

    /// Takes new rules and threshold, keeping what was learned.
    public mutating func configure(_ config: ClassificationConfig) {
        self = Classifier(config, byDimension: byDimension)
    }

    /// The rule or model decision for one dimension (no explicit label considered).
    /// `explain` adds the deciding tokens of a model decision (slower: names features).
    public func decide(_ dimension: Dimension, _ document: Document, text: String = "", explain: Bool = false) -> LabelDecision {
        decide(dimension, document, text: { text }, explain: explain)
    }

    /// `decide` with the text made only when a rule of the dimension reads it, and the
    /// document's tokens as Strings only when a rule or `explain` does.
    func decide(_ dimension: Dimension, _ document: Document, text: () -> String, explain: Bool = false) -> LabelDecision {
        if magnets.hasRules(for: dimension), let rule = magnets.decide(dimension, tokens: document.tokens, text: text()) { return rule }
        let model = byDimension[dimension.index]
        guard let p = model.predict(document.features(for: dimension), answersFromPrior: dimension == .sentiment || !abstainsWithoutEvidence) else {
            return LabelDecision(label: LabelDecision.unclassified, confidence: 0, source: .model)
        }
        let label = p.confidence >= minConfidence ? p.label : LabelDecision.unclassified
        let tokens = explain ? model.bayes.decidingTokens(document.tokens, extra: document.extraTokens, label: p.label) : []
        return LabelDecision(label: label, confidence: p.confidence, source: .model, tokens: tokens)
    }

    /// All three dimensions; an explicit label wins with confidence 1.
    public func classify(_ document: Document, text: String = "", explicit: [Dimension: String] = [:], explain: Bool = false) -> [Dimension: LabelDecision] {
        var result: [Dimension: LabelDecision] = [:]
        for dimension in Dimension.allCases {
            if let label = explicit[dimension] {
                result[dimension] = LabelDecision(label: label, confidence: 1, source: .logged)
            } else {
                result[dimension] = decide(dimension, document, text: text, explain: explain)
            }
        }
        return result
    }

    /// Drops the columns of labels outside `configured` from each model they crowd (no room for
    /// a configured label), so a label a reload names is learned; the number dropped by dimension.
    public mutating func makeRoom(for configured: [Dimension: Set<String>]) -> [Dimension: Int] {
        var dropped: [Dimension: Int] = [:]
        for (dimension, labels) in configured where byDimension[dimension.index].bayes.isCrowded(for: labels) {
            let bayes = byDimension[dimension.index].bayes
            byDimension[dimension.index].bayes = bayes.keeping(labels)
            dropped[dimension] = bayes.labels.count - byDimension[dimension.index].bayes.labels.count
        }
        return dropped
    }

    public mutating func learn(_ document: Document, dimension: Dimension, label: String) {
        byDimension[dimension.index].learn(document.features(for: dimension), label: label)
    }

    /// Whether the model of `dimension` has a column for `label` (columns go only when a reload
    /// makes room for configured labels: `makeRoom`).
    public func holds(_ label: String, _ dimension: Dimension) -> Bool {
        byDimension[dimension.index].bayes.labels.contains(label)
    }

    public mutating func unlearn(_ document: Document, dimension: Dimension, label: String) {
        byDimension[dimension.index].unlearn(document.features(for: dimension), label: label)
    }

    /// Bytes held by the three models' count tables.
    public var memoryBytes: Int { byDimension.reduce(0) { $0 + $1.bayes.memoryBytes } }
}
