@testable import DialogCore
import Foundation
import Testing

/// Issue 18 item 7: confidence means what it says, also when the model knows little.
@Suite("calibration")
struct CalibrationTests {
    /// The first 10 hand-written records of each department (≈ the 50 labelled records of the
    /// issue), and the other 116.
    static func smallSplit() throws -> (train: [Evaluation.Example], rest: [Evaluation.Example]) {
        var seen: [String: Int] = [:]
        var train: [Evaluation.Example] = [], rest: [Evaluation.Example] = []
        for e in Evaluation.examples(try ClassifierTests.handwritten(), dimension: .department) {
            seen[e.label, default: 0] += 1
            if seen[e.label]! <= 10 { train.append(e) } else { rest.append(e) }
        }
        return (train, rest)
    }

    /// Reliability bins that are less accurate than they claim by more than 0.1 and more than
    /// two standard errors of their own count (a bin of 8 predictions is noisy).
    static func overconfidentBins(_ r: EvaluationReport) -> [EvaluationReport.ReliabilityBin] {
        r.reliability.filter { b in
            let noise = 2 * (b.meanConfidence * (1 - b.meanConfidence) / Double(b.count)).squareRoot()
            return b.accuracy < b.meanConfidence - max(0.1, noise)
        }
    }

    @Test("with 50 labelled records the issue's texts are not claimed at 97 %: they wait for review")
    func smallDataAbstains() throws {
        let (train, rest) = try Self.smallSplit()
        #expect(train.count == 50)
        var c = Classifier()
        for e in train { c.learn(e.document, dimension: .department, label: e.label) }
        for text in ["Interesse an einer Demo",
                     "Das Paket kam beschädigt an, der Karton war eingedrückt und die Tasse ist zerbrochen. Das ärgert mich sehr.",
                     "My parcel arrived damaged, the box was crushed and the mug inside is broken. I want to complain."] {
            let d = c.decide(.department, Document(text: text), text: text)
            #expect(d.label == LabelDecision.unclassified, "\(text): \(d.label) \(d.confidence)")
            #expect(d.confidence < c.minConfidence)
        }
        // The issue: 1 of 15 unlabelled records went to review. Most of what the model cannot
        // know yet must wait; what it labels must mostly be right (over all 116 others).
        let fifteen = rest.indices.filter { $0 % 7 == 0 }.prefix(15).map { rest[$0] }
        let waiting = fifteen.filter { c.decide(.department, $0.document, text: $0.text).label == LabelDecision.unclassified }
        #expect(waiting.count >= 8)
        let report = Evaluation.run(train: train, test: rest, dimension: .department, config: ClassificationConfig())
        #expect(Self.overconfidentBins(report).isEmpty, "\(report.reliability)")
        #expect(report.coveredAccuracy >= 0.75)
    }

    @Test("trained on bitext-8k, tested on the hand-written set (another source): ECE ≤ 0.05, macro-F1 ≥ TF-IDF + LR",
          .enabled(if: ClassifierTests.hasBitext))
    func crossSource() throws {
        let train = Evaluation.examples(try ClassifierTests.bitext(), dimension: .department)
        let test = Evaluation.examples(try ClassifierTests.handwritten(), dimension: .department)
        let report = Evaluation.run(train: train, test: test, dimension: .department, config: ClassificationConfig())
        #expect(report.expectedCalibrationError <= 0.05, "\(report.reliability)")
        #expect(report.macroF1 >= 0.498)  // docs/bench/sklearn-reference.py on the same split
        #expect(Self.overconfidentBins(report).isEmpty, "\(report.reliability)")
        // What passes min_confidence is mostly right; the rest goes to review.
        #expect(report.coveredAccuracy >= 0.8)
    }

    @Test("the calibrated temperature survives the model snapshot")
    func codecKeepsTemperature() throws {
        let c = ClassifierTests.trained()
        let model = try #require(c.models[.department])
        #expect(model.calibration.observations > 0)
        let loaded = try ModelCodec.decode(ModelCodec.encode(model))
        #expect(loaded.temperature == model.temperature && loaded.evidence == .coverage)
        let text = Features(text: "please send a quote for the parcel")
        #expect(loaded.predict(text)?.label == model.predict(text)?.label)
        #expect(loaded.predict(text)?.confidence == model.predict(text)?.confidence)
        let sentiment = try ModelCodec.decode(ModelCodec.encode(SentimentLexicon.seededModel()))
        #expect(sentiment.evidence == .perKnownFeature && sentiment.temperature == 4)
    }

    @Test("the snapshot's cells: every non-zero count in table order, -0 left out, the count before them")
    func codecCells() throws {
        var model = try #require(ClassifierTests.trained().models[.department])
        let stride = model.bayes.labels.count
        model.bayes.table[5] = -0.0
        model.bayes.table[model.bayes.table.count - 1] = 2.5
        let blob = ModelCodec.encode(model)
        var cells: [UInt8] = []
        var count: UInt32 = 0
        for (index, value) in model.bayes.table.enumerated() where value != 0 {
            for word in [UInt32(index / stride), UInt32(index % stride), value.bitPattern] {
                withUnsafeBytes(of: word.littleEndian) { cells += $0 }
            }
            count += 1
        }
        withUnsafeBytes(of: count.littleEndian) { cells = Array($0) + cells }
        #expect(count > 10)
        #expect(Array(blob.suffix(cells.count)) == cells)
        #expect(try ModelCodec.decode(blob).bayes.table == model.bayes.table.map { $0 == 0 ? 0 : $0 })
    }

    @Test("a model keeps at most maxLabels labels: a blob claiming more is refused before its table is laid out, training more is not learned")
    func labelCountIsBounded() throws {
        var bayes = NaiveBayes(labels: (1..<NaiveBayes.maxLabels).map { "l\($0)" })
        bayes.train(Features(buckets: [3]), label: "last")  // the 128th: learned
        #expect(bayes.labels.count == NaiveBayes.maxLabels && bayes.count(3, NaiveBayes.maxLabels - 1) == 1)
        let before = bayes
        bayes.train(Features(buckets: [5]), label: "one too many")
        #expect(bayes.labels.count == NaiveBayes.maxLabels && bayes == before && !bayes.canLearn("one too many") && bayes.canLearn("last"))
        var learning = LabelModel()
        learning.bayes = bayes
        learning.learn(Features(buckets: [5]), label: "one too many")
        #expect(learning.learned == 0 && learning.bayes == before)
        // Taking back a label it never held makes no column for it.
        var small = NaiveBayes()
        small.train(Features(buckets: [1]), label: "a")
        small.train(Features(buckets: [1]), label: "never learned", weight: -1)
        #expect(small.labels == ["a"])
        var model = LabelModel()
        model.bayes = bayes
        let blob = ModelCodec.encode(model)
        #expect(try ModelCodec.decode(blob).bayes.labels.count == NaiveBayes.maxLabels)
        // The count is the u32 after magic, alpha and vocabulary; one more claimed is refused
        // by its count (a 10,000-label claim once laid out 10 GiB before reading a cell).
        for claimed in [UInt32(NaiveBayes.maxLabels + 1), 10_000, .max] {
            var more = blob
            withUnsafeBytes(of: claimed.littleEndian) { for (i, byte) in $0.enumerated() { more[12 + i] = byte } }
            #expect {
                try ModelCodec.decode(more)
            } throws: { error in
                "\(error)".contains("claims \(claimed) labels")
            }
        }
    }

    @Test("keeping some columns gives the model trained on those labels alone: counts, totals, documents and vocabulary")
    func keepingColumns() {
        let lessons: [(buckets: [UInt32], label: String)] = [([1, 2, 3], "a"), ([3, 4], "drift"), ([5], "b"), ([2, 6, 7], "drift"),
                                                             ([1, 8], "c"), ([9], "drift"), ([4, 5, 10], "a")]
        var all = NaiveBayes(), kept = NaiveBayes()
        for lesson in lessons {
            all.train(Features(buckets: lesson.buckets), label: lesson.label)
            if lesson.label != "drift" { kept.train(Features(buckets: lesson.buckets), label: lesson.label) }
        }
        all.train(Features(buckets: [4]), label: "a", weight: -1)
        kept.train(Features(buckets: [4]), label: "a", weight: -1)
        #expect(all.keeping(["a", "b", "c", "not held"]) == kept)
        #expect(all.keeping([]).labels.isEmpty && all.keeping([]).vocabulary == 0)
        #expect(!all.isCrowded(for: ["a", "b"]))
        var classifier = Classifier(models: [.department: { var m = LabelModel(); m.bayes = all; return m }()])
        #expect(classifier.makeRoom(for: [.department: ["a", "b", "c"]]).isEmpty, "not crowded: nothing dropped")
        let full = NaiveBayes(labels: (0..<NaiveBayes.maxLabels).map { "l\($0)" })
        #expect(full.isCrowded(for: ["new"]) && !full.isCrowded(for: ["l0"]))
        classifier = Classifier(models: [.department: { var m = LabelModel(); m.bayes = full; return m }()])
        #expect(classifier.makeRoom(for: [.department: ["l0", "new"]]) == [.department: NaiveBayes.maxLabels - 1])
        #expect(classifier.models[.department]?.bayes.labels == ["l0"])
    }

    @Test("a snapshot that names a label twice is refused, not read past its table")
    func codecRepeatedLabel() throws {
        var bayes = NaiveBayes()
        bayes.train(Features(buckets: [7, UInt32(NaiveBayes.buckets - 1)]), label: "a")
        bayes.train(Features(buckets: [9]), label: "b")
        var model = LabelModel()
        model.bayes = bayes
        let blob = ModelCodec.encode(model)
        let roundTrip = try ModelCodec.decode(blob).bayes == bayes  // a Bool: no tables printed
        #expect(roundTrip)
        // magic, alpha, vocabulary, count; label "a": length, name, documents, total; then "b"'s length.
        var twice = blob
        let secondName = 4 + 4 + 4 + 4 + (4 + 1 + 16) + 4
        #expect(twice[secondName] == UInt8(ascii: "b"))
        twice[secondName] = UInt8(ascii: "a")
        #expect(throws: ModelCodec.Invalid.self) { try ModelCodec.decode(twice) }
    }

    @Test("a snapshot with counts no training reaches (NaN, ∞, negative, 1e300, a smoothing of 0) is refused: it would predict NaN")
    func codecRefusesImpossibleCounts() throws {
        var bayes = NaiveBayes()
        bayes.train(Features(buckets: [7]), label: "a")
        bayes.train(Features(buckets: [9]), label: "b")
        var model = LabelModel()
        model.bayes = bayes
        #expect(try ModelCodec.decode(ModelCodec.encode(model)).bayes == bayes)
        func refused(_ change: (inout LabelModel) -> Void) -> Bool {
            var bad = model
            change(&bad)
            return (try? ModelCodec.decode(ModelCodec.encode(bad))) == nil
        }
        for value in [Double.nan, .infinity, -1, 1e300] {
            #expect(refused { $0.bayes.documents[0] = value }, "documents \(value)")
            #expect(refused { $0.bayes.totals[1] = value }, "totals \(value)")
            #expect(refused { $0.bayes.table[7 * 2] = Float(value) }, "cell \(value)")
            #expect(refused { $0.calibration.observations = value }, "observations \(value)")
        }
        for alpha in [Float.nan, 0, -0.1, 1e30] { #expect(refused { $0.bayes.alpha = alpha }, "alpha \(alpha)") }
        #expect(refused { $0.bayes.vocabulary = NaiveBayes.buckets + 1 })
    }
}

@Suite("model snapshot from before issue 18")
struct LegacyModelTests {
    /// `model` in the "DNB1" layout: the 20+20 bins of the old calibration where DNB2 keeps
    /// evidence, observations and the temperature losses.
    static func legacyBlob(_ model: LabelModel) -> [UInt8] {
        let blob = ModelCodec.encode(model)
        var at = 4 + 4 + 4 + 4
        for _ in model.bayes.labels {
            let length = Int(blob[at]) | Int(blob[at + 1]) << 8 | Int(blob[at + 2]) << 16 | Int(blob[at + 3]) << 24
            at += 4 + length + 16
        }
        let calibrationBytes = 4 + 8 + 4 + 8 * Calibration.grid.count
        return Array("DNB1".utf8) + blob[4..<at] + [UInt8](repeating: 0, count: 2 * 20 * 8) + blob[(at + calibrationBytes)...]
    }

    @Test("a DNB1 snapshot loads with its counts, asks to be recalibrated, and the sentiment model keeps its scale")
    func loadsLegacy() throws {
        let model = try #require(ClassifierTests.trained().models[.department])
        #expect(!model.needsRecalibration)
        let legacy = try ModelCodec.decode(Self.legacyBlob(model))
        #expect(legacy.bayes == model.bayes)
        #expect(legacy.needsRecalibration && legacy.evidence == .coverage)
        let sentiment = try ModelCodec.decode(Self.legacyBlob(SentimentLexicon.seededModel()))
        #expect(sentiment.evidence == .perKnownFeature && sentiment.temperature == 4)
    }
}
