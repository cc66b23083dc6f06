/// The learned model of one dimension: naive Bayes plus its calibrated temperature.
public struct LabelModel: Sendable, Equatable {
    public var bayes = NaiveBayes()
    public var calibration = Calibration()
    public var evidence: NaiveBayes.Evidence
    /// Documents learned; the first `calibrateAllUntil`, then every `calibrationStride`-th one,
    /// are predicted first for the calibration (a sample keeps the ingest loop fast once the
    /// model has seen enough; early on every check counts).
    var learned = 0
    static let calibrationStride = 4
    static let calibrateAllUntil = 1_000

    public init(evidence: NaiveBayes.Evidence = .coverage) {
        self.evidence = evidence
    }

    /// The temperature before any prequential check: the coolest candidate for a learned model
    /// (it has shown nothing yet), the old fixed sharpness for the lexicon-seeded one.
    var fallbackTemperature: Double {
        switch evidence {
        case .coverage: Calibration.grid[0]
        case .perKnownFeature: 4
        }
    }

    public var temperature: Double { calibration.fitted ?? fallbackTemperature }

    /// Tells two labels apart but was never checked: a snapshot from before the calibrated
    /// temperature (it would abstain on everything until new records are checked).
    public var needsRecalibration: Bool { bayes.trainedLabelCount >= 2 && calibration.observations == 0 }

    /// Best label with its calibrated confidence; nil while the model has no evidence to
    /// decide on: it knows fewer than two labels (everything would get the one it knows, with
    /// confidence 1), or none of the text's features (only the prior would speak) — unless
    /// `answersFromPrior` (the seeded sentiment model: a text without polar words is neutral).
    public func predict(_ features: Features, answersFromPrior: Bool = false) -> (label: String, confidence: Double)? {
        guard bayes.trainedLabelCount >= 2, let p = bayes.predictBest(features, evidence: evidence, temperature: temperature),
              p.known > 0 || answersFromPrior else { return nil }
        return (bayes.labels[p.index], p.confidence)
    }

    /// Predicts first (for the calibration: the document is still unseen), then trains.
    public mutating func learn(_ features: Features, label: String) {
        guard bayes.canLearn(label) else { return }
        learned += 1
        if learned <= Self.calibrateAllUntil || learned % Self.calibrationStride == 0,
           let truth = bayes.labels.firstIndex(of: label), bayes.trainedLabelCount >= 2,
           let p = bayes.predict(features, evidence: evidence, temperature: 1), p.known > 0 {
            calibration.observe(scores: p.scaled, truth: truth)
        }
        bayes.train(features, label: label)
    }

    /// Takes a document back (the label a relabel replaced).
    public mutating func unlearn(_ features: Features, label: String) {
        bayes.train(features, label: label, weight: -1)
    }
}
