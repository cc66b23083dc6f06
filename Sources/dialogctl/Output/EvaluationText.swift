import DialogCore
import Foundation

/// The human form of an evaluation report.
enum EvaluationText {
    static func render(_ r: EvaluationReport) -> String {
        func pct(_ x: Double) -> String { String(format: "%.1f %%", x * 100) }
        var lines = [
            "field \(r.field): \(r.folds > 1 ? "\(r.folds)-fold cross-validation, " : "")\(r.trainDocuments) training, \(r.testDocuments) test documents",
            "accuracy \(pct(r.accuracy)), macro-F1 \(String(format: "%.3f", r.macroF1))",
            "at min_confidence \(r.minConfidence): \(pct(r.coverage)) classified, \(pct(r.coveredAccuracy)) of them right; calibration error (ECE) \(String(format: "%.3f", r.expectedCalibrationError))",
        ]
        if r.ruleDecisions > 0 { lines.append("\(r.ruleDecisions) prediction(s) decided by rules") }
        var table = Table(["CLASS", "PRECISION", "RECALL", "F1", "SUPPORT"], rightAligned: [1, 2, 3, 4])
        for c in r.classes {
            table.add([c.label, String(format: "%.3f", c.precision), String(format: "%.3f", c.recall), String(format: "%.3f", c.f1), String(c.support)])
        }
        var confusion = Table(["TRUE \\ PREDICTED"] + r.labels, rightAligned: Set(1...max(1, r.labels.count)))
        for (i, label) in r.labels.enumerated() { confusion.add([label] + r.confusion[i].map(String.init)) }
        var reliability = Table(["CONFIDENCE", "PREDICTIONS", "MEAN CONFIDENCE", "ACCURACY"], rightAligned: [1, 2, 3])
        for b in r.reliability {
            reliability.add([String(format: "%.1f–%.1f", b.low, b.high), String(b.count), pct(b.meanConfidence), pct(b.accuracy)])
        }
        let parts: [String] = [lines.joined(separator: "\n"), table.render(), confusion.render(), reliability.render()]
        return parts.joined(separator: "\n\n")
    }
}
