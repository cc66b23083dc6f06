import Foundation

/// Offline evaluation (`dialogctl evaluate`): train on some labeled records, predict others,
/// score the predictions the way scikit-learn does (accuracy, per-class precision/recall/F1,
/// macro-F1 = unweighted mean of the per-class F1), plus how well the confidence is calibrated.
public struct EvaluationReport: Codable, Sendable, Equatable {
    public struct ClassScore: Codable, Sendable, Equatable {
        public var label: String
        public var precision: Double
        public var recall: Double
        public var f1: Double
        public var support: Int
    }

    /// One bin of the reliability diagram: predictions whose confidence fell in [low, high).
    public struct ReliabilityBin: Codable, Sendable, Equatable {
        public var low: Double
        public var high: Double
        public var count: Int
        public var meanConfidence: Double
        public var accuracy: Double

        enum CodingKeys: String, CodingKey {
            case low, high, count, meanConfidence = "mean_confidence", accuracy
        }
    }

    public var field: String
    public var folds: Int
    public var trainDocuments: Int
    public var testDocuments: Int
    public var accuracy: Double
    public var macroF1: Double
    public var classes: [ClassScore]
    /// Row = true label, column = predicted label, both in `labels` order.
    public var labels: [String]
    public var confusion: [[Int]]
    /// Share of test documents at or above `min_confidence` (the rest would wait for review).
    public var minConfidence: Double
    public var coverage: Double
    /// Accuracy on the covered documents only.
    public var coveredAccuracy: Double
    /// Expected calibration error: Σ bin share × |accuracy − mean confidence|, 10 bins.
    public var expectedCalibrationError: Double
    public var reliability: [ReliabilityBin]
    /// Predictions decided by a rule rather than the model.
    public var ruleDecisions: Int

    enum CodingKeys: String, CodingKey {
        case field, folds, trainDocuments = "train_documents", testDocuments = "test_documents", accuracy
        case macroF1 = "macro_f1", classes, labels, confusion, minConfidence = "min_confidence", coverage
        case coveredAccuracy = "covered_accuracy", expectedCalibrationError = "expected_calibration_error"
        case reliability, ruleDecisions = "rule_decisions"
    }
}

public enum Evaluation {
    /// One labeled example: the prepared document, its raw text (for rule patterns), its label.
    public struct Example: Sendable {
        public var document: Document
        public var text: String
        public var label: String
        public init(document: Document, text: String, label: String) {
            self.document = document; self.text = text; self.label = label
        }
    }

    /// The examples of `records` that carry a label for `dimension`.
    public static func examples(_ records: [ConversationRecord], dimension: Dimension) -> [Example] {
        records.compactMap { r in
            let label: String? = switch dimension {
            case .department: r.department
            case .outcome: r.outcome
            case .sentiment: r.sentiment
            }
            guard let label else { return nil }
            // The logged label must not leak into its own features: sentiment sees the rating,
            // department and outcome see only the text.
            return Example(document: Document(r), text: [r.subject, r.text].compactMap { $0 }.joined(separator: "\n"), label: label)
        }
    }

    /// Trains a fresh classifier on `train` in order, then predicts `test`.
    public static func predictions(train: [Example], test: [Example], dimension: Dimension, config: ClassificationConfig)
        -> [(truth: String, predicted: String, confidence: Double, source: LabelSource)] {
        var scoring = config
        scoring.minConfidence = 0
        var classifier = Classifier(scoring)
        classifier.abstainsWithoutEvidence = false
        for e in train { classifier.learn(e.document, dimension: dimension, label: e.label) }
        return test.map { e in
            let d = classifier.decide(dimension, e.document, text: e.text)
            return (e.label, d.label, d.confidence, d.source)
        }
    }

    public static func run(train: [Example], test: [Example], dimension: Dimension, config: ClassificationConfig) -> EvaluationReport {
        let p = predictions(train: train, test: test, dimension: dimension, config: config)
        return report(p, field: dimension.rawValue, folds: 1, trainDocuments: train.count, minConfidence: config.minConfidence)
    }

    /// K-fold: example i is in fold i mod K (docs/bench/sklearn-reference.py uses the same folds);
    /// the predictions of all folds are scored together.
    public static func kFold(_ all: [Example], folds k: Int, dimension: Dimension, config: ClassificationConfig) -> EvaluationReport {
        var pooled: [(truth: String, predicted: String, confidence: Double, source: LabelSource)] = []
        var trained = 0
        for fold in 0..<k {
            let train = all.indices.filter { $0 % k != fold }.map { all[$0] }
            let test = all.indices.filter { $0 % k == fold }.map { all[$0] }
            trained += train.count
            pooled += predictions(train: train, test: test, dimension: dimension, config: config)
        }
        return report(pooled, field: dimension.rawValue, folds: k, trainDocuments: trained / max(1, k), minConfidence: config.minConfidence)
    }

    static func report(_ p: [(truth: String, predicted: String, confidence: Double, source: LabelSource)], field: String, folds: Int,
                       trainDocuments: Int, minConfidence: Double) -> EvaluationReport {
        let labels = Array(Set(p.map(\.truth) + p.map(\.predicted))).sorted()
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: labels.count), count: labels.count)
        for x in p { confusion[index[x.truth]!][index[x.predicted]!] += 1 }
        let correct = labels.indices.reduce(0) { $0 + confusion[$1][$1] }
        var classes: [EvaluationReport.ClassScore] = []
        let truths = Set(p.map(\.truth))
        for (i, label) in labels.enumerated() {
            let tp = Double(confusion[i][i])
            let predicted = Double(confusion.reduce(0) { $0 + $1[i] })
            let support = confusion[i].reduce(0, +)
            let precision = predicted > 0 ? tp / predicted : 0
            let recall = support > 0 ? tp / Double(support) : 0
            let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
            // Like scikit-learn's f1_score(average="macro") over the true and predicted labels.
            classes.append(.init(label: label, precision: precision, recall: recall, f1: f1, support: support))
        }
        _ = truths
        let covered = p.filter { $0.confidence >= minConfidence }
        var bins: [EvaluationReport.ReliabilityBin] = []
        var ece = 0.0
        for b in 0..<10 {
            let low = Double(b) / 10, high = Double(b + 1) / 10
            let inBin = p.filter { $0.confidence >= low && ($0.confidence < high || (b == 9 && $0.confidence <= 1)) }
            guard !inBin.isEmpty else { continue }
            let mean = inBin.reduce(0) { $0 + $1.confidence } / Double(inBin.count)
            let acc = Double(inBin.filter { $0.truth == $0.predicted }.count) / Double(inBin.count)
            ece += Double(inBin.count) / Double(p.count) * abs(acc - mean)
            bins.append(.init(low: low, high: high, count: inBin.count, meanConfidence: mean, accuracy: acc))
        }
        return EvaluationReport(
            field: field, folds: folds, trainDocuments: trainDocuments, testDocuments: p.count,
            accuracy: p.isEmpty ? 0 : Double(correct) / Double(p.count),
            macroF1: classes.isEmpty ? 0 : classes.reduce(0) { $0 + $1.f1 } / Double(classes.count),
            classes: classes, labels: labels, confusion: confusion, minConfidence: minConfidence,
            coverage: p.isEmpty ? 0 : Double(covered.count) / Double(p.count),
            coveredAccuracy: covered.isEmpty ? 0 : Double(covered.filter { $0.truth == $0.predicted }.count) / Double(covered.count),
            expectedCalibrationError: ece, reliability: bins, ruleDecisions: p.filter { $0.source == .rule }.count)
    }
}
