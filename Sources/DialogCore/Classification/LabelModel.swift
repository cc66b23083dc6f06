/// The learned model of one dimension: naive Bayes plus its calibration map.
public struct LabelModel: Sendable, Equatable {
    public var bayes = NaiveBayes()
    public var calibration = Calibration()
    /// Documents learned; every `calibrationStride`-th one is predicted first for the calibration
    /// (a sample keeps the calibration honest and the ingest loop fast).
    var learned = 0
    static let calibrationStride = 4

    public init() {}

    /// Best label with its calibrated confidence; nil while the model has no evidence to
    /// decide on: it knows fewer than two labels (everything would get the one it knows, with
    /// confidence 1), or none of the text's features (only the prior would speak) — unless
    /// `answersFromPrior` (the seeded sentiment model: a text without polar words is neutral).
    public func predict(_ features: Features, answersFromPrior: Bool = false) -> (label: String, confidence: Double, raw: Double)? {
        guard bayes.trainedLabelCount >= 2, let p = bayes.predict(features), p.known > 0 || answersFromPrior else { return nil }
        let confidence = calibration.observations < 1 ? p.confidence : calibration.calibrated(p.confidence)
        return (bayes.labels[p.index], confidence, p.confidence)
    }

    /// Predicts first (for the calibration: the document is still unseen), then trains.
    public mutating func learn(_ features: Features, label: String) {
        learned += 1
        if learned % Self.calibrationStride == 0, let p = bayes.predict(features) {
            calibration.observe(raw: p.confidence, correct: bayes.labels[p.index] == label)
        }
        bayes.train(features, label: label)
    }

    /// Takes a document back (the label a relabel replaced).
    public mutating func unlearn(_ features: Features, label: String) {
        bayes.train(features, label: label, weight: -1)
    }
}
