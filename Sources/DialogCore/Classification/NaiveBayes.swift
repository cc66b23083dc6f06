import Foundation

/// Multinomial naive Bayes over hashed binary features (docs/classification.md), trained one document at a
/// time. Counts are plain sums, so training is exactly reversible: a relabel subtracts the old
/// label's evidence (`weight: -1`) and adds the new one. The table is bucket-major (all labels
/// of one feature side by side), so scoring a text touches one cache line per feature.
/// Memory: 4 bytes × buckets × labels.
public struct NaiveBayes: Sendable, Equatable {
    public private(set) var labels: [String] = []
    /// table[bucket × labels.count + label]: documents of that label with the feature (plus seeds).
    var table: [Float] = []
    /// Documents per label (the prior).
    var documents: [Double] = []
    /// Sum of each label's counts.
    var totals: [Double] = []
    /// Buckets with any count: the vocabulary size of the smoothing.
    var vocabulary: Int = 0
    /// Additive (Lidstone) smoothing.
    public var alpha: Float = 0.1

    public init() {}

    /// A model that knows `labels` (distinct) from the start: its table laid out once. Seeding
    /// the sentiment model's three labels one by one re-laid it out per label, a copy call per
    /// row: ≈ 22 M instructions, twice in every daemon start (issue 17).
    init(labels: [String]) {
        self.labels = labels
        table = [Float](repeating: 0, count: Self.buckets * labels.count)
        documents = Array(repeating: 0, count: labels.count)
        totals = Array(repeating: 0, count: labels.count)
    }

    static let buckets = 1 << Features.bits

    /// The most labels one model holds: each is a column of `buckets` counts (1 MiB). The
    /// configuration allows `LabelVocabulary.maxPerKind` of a kind; the rest is room for labels
    /// an earlier configuration named, which a stored model keeps.
    public static let maxLabels = 2 * LabelVocabulary.maxPerKind

    public var documentCount: Double { documents.reduce(0, +) }
    public var isEmpty: Bool { labels.isEmpty || documentCount <= 0 }

    /// Whether `train` would learn `label`: held already, or room for one more column.
    public func canLearn(_ label: String) -> Bool { labels.count < Self.maxLabels || labels.contains(label) }

    /// Whether the columns held leave no room for every label of `configured` (drifted labels
    /// from before the vocabulary fill them).
    public func isCrowded(for configured: Set<String>) -> Bool {
        labels.count + configured.subtracting(labels).count > Self.maxLabels
    }

    /// The model with only the columns of `kept`: their counts are sums of their own documents,
    /// so they stay exact; the vocabulary is counted again over what is left.
    public func keeping(_ kept: Set<String>) -> NaiveBayes {
        let columns = labels.indices.filter { kept.contains(labels[$0]) }
        var smaller = NaiveBayes(labels: columns.map { labels[$0] })
        smaller.alpha = alpha
        smaller.documents = columns.map { documents[$0] }
        smaller.totals = columns.map { totals[$0] }
        let (old, new) = (labels.count, columns.count)
        guard new > 0 else { return smaller }
        var vocabulary = 0
        smaller.table.withUnsafeMutableBufferPointer { to in
            table.withUnsafeBufferPointer { from in
                for b in 0..<Self.buckets {
                    var any: Float = 0
                    for (k, c) in columns.enumerated() {
                        let v = from[b * old + c]
                        to[b * new + k] = v
                        any += v
                    }
                    if any > 0 { vocabulary += 1 }
                }
            }
        }
        smaller.vocabulary = vocabulary
        return smaller
    }

    /// The label's column, adding it (and re-laying the table out) when new; labels are few.
    /// Nil for a new label past `maxLabels`: its evidence is not learned rather than the table grown.
    mutating func index(of label: String) -> Int? {
        if let i = labels.firstIndex(of: label) { return i }
        let old = labels.count
        guard old < Self.maxLabels else { return nil }
        var wider = [Float](repeating: 0, count: Self.buckets * (old + 1))
        if old > 0 {
            // Row by row as one copy each: a daemon start lays the table out once per label.
            wider.withUnsafeMutableBufferPointer { to in
                table.withUnsafeBufferPointer { from in
                    guard let target = to.baseAddress, let source = from.baseAddress,
                          from.count >= Self.buckets * old else { return }
                    var b = 0
                    while b < Self.buckets {
                        (target + b * (old + 1)).update(from: source + b * old, count: old)
                        b += 1
                    }
                }
            }
        }
        table = wider
        labels.append(label)
        documents.append(0)
        totals.append(0)
        return old
    }

    /// Adds `weight` to one bucket of one label, keeping the vocabulary count.
    @inline(__always)
    private static func add(_ weight: Float, bucket b: Int, label c: Int, stride: Int, table: UnsafeMutableBufferPointer<Float>, vocabulary: inout Int) {
        let row = b * stride
        var before: Float = 0
        for i in 0..<stride { before += table[row + i] }
        table[row + c] = max(0, table[row + c] + weight)
        var after: Float = 0
        for i in 0..<stride { after += table[row + i] }
        if before <= 0, after > 0 { vocabulary += 1 } else if before > 0, after <= 0 { vocabulary -= 1 }
    }

    /// Adds one document (`weight` 1) or takes it back (`weight` -1).
    /// A label it does not hold has nothing to take back: no column is made for it.
    public mutating func train(_ features: Features, label: String, weight: Float = 1) {
        guard let c = weight < 0 ? labels.firstIndex(of: label) : index(of: label) else { return }
        let stride = labels.count
        var vocabulary = self.vocabulary
        table.withUnsafeMutableBufferPointer { t in
            for b in features.buckets { Self.add(weight, bucket: Int(b), label: c, stride: stride, table: t, vocabulary: &vocabulary) }
        }
        self.vocabulary = vocabulary
        documents[c] = max(0, documents[c] + Double(weight))
        totals[c] = max(0, totals[c] + Double(weight) * Double(features.buckets.count))
    }

    /// Adds `weight` to a single bucket of `label` without a document: lexicon seeds.
    mutating func seed(_ bucket: UInt32, label: String, weight: Float) {
        guard let c = index(of: label) else { return }
        let stride = labels.count
        var vocabulary = self.vocabulary
        table.withUnsafeMutableBufferPointer { t in
            Self.add(weight, bucket: Int(bucket), label: c, stride: stride, table: t, vocabulary: &vocabulary)
        }
        self.vocabulary = vocabulary
        totals[c] += Double(weight)
    }

    mutating func seedPrior(label: String, documents count: Double) {
        guard let c = index(of: label) else { return }
        documents[c] += count
    }

    /// The count of `label` index `c` for bucket `b`.
    func count(_ b: UInt32, _ c: Int) -> Float { table[Int(b) * labels.count + c] }

    /// Per label: log prior + Σ log P(feature | label) over the features any label has seen,
    /// and how many such features there were. Unseen features are left out: they would favour
    /// the labels with the fewest words, and a German text would go to the smallest English class.
    public func scores(_ features: Features) -> (scores: [Double], known: Int) {
        let stride = labels.count
        guard stride > 0 else { return ([], 0) }
        var known = 0
        let result = [Double](unsafeUninitializedCapacity: stride) { out, initialized in
            known = scores(features, into: out)
            initialized = stride
        }
        return (result, known)
    }

    /// `scores` written into `result` (one per label), without an array of its own; returns how
    /// many features were known. The sums for the labels live on the stack.
    private func scores(_ features: Features, into result: UnsafeMutableBufferPointer<Double>) -> Int {
        let stride = labels.count
        let v = Double(max(1, vocabulary)) * Double(alpha)
        let docTotal = max(1e-9, documentCount)
        var known = 0
        withUnsafeTemporaryAllocation(of: Float.self, capacity: stride) { sums in
            sums.initialize(repeating: 0)
            table.withUnsafeBufferPointer { t in
                for b in features.buckets {
                    let row = Int(b) * stride
                    var any: Float = 0
                    for c in 0..<stride { any += t[row + c] }
                    guard any > 0 else { continue }
                    known += 1
                    for c in 0..<stride { sums[c] += logf(t[row + c] + alpha) }
                }
            }
            for c in 0..<stride {
                // A label whose documents were all taken back (relabels) cannot be predicted.
                guard documents[c] > 0 else { result[c] = -.infinity; continue }
                let prior = log((documents[c] + 0.5) / (docTotal + 0.5 * Double(stride)))
                result[c] = prior + Double(sums[c]) - Double(known) * log(totals[c] + v)
            }
        }
        return known
    }

    /// How the summed scores are scaled before the temperature (naive Bayes multiplies
    /// dependent evidence, so raw sums make it sure of everything).
    public enum Evidence: UInt8, Sendable, Equatable {
        /// × 1/√known: every text on one scale. For the lexicon-seeded sentiment model, whose
        /// vocabulary is only polar words by design.
        case perKnownFeature = 0
        /// × √known / features: a text whose words the model mostly has not seen gets little
        /// confidence — text from another source than the training data (issue 18).
        case coverage = 1

        func factor(known: Int, total: Int) -> Double {
            switch self {
            case .perKnownFeature: 1 / Double(max(1, known)).squareRoot()
            // Without a known feature only the prior speaks: as weakly as one feature would.
            case .coverage: Double(max(1, known)).squareRoot() / Double(max(1, total))
            }
        }
    }

    /// (label index, confidence, probabilities, features the model knew, scaled scores) of the
    /// best label; nil before any training. Probabilities = softmax(scores × evidence × temperature).
    public func predict(_ features: Features, evidence: Evidence, temperature: Double)
        -> (index: Int, confidence: Double, probabilities: [Double], known: Int, scaled: [Double])? {
        guard !isEmpty else { return nil }
        let (s, known) = scores(features)
        let factor = evidence.factor(known: known, total: features.buckets.count)
        let scaled = s.map { $0.isFinite ? $0 * factor : -.infinity }
        let top = scaled.max() ?? 0
        let exps = scaled.map { $0.isFinite ? exp(($0 - top) * temperature) : 0 }
        let z = exps.reduce(0, +)
        guard z > 0 else { return nil }
        let p = exps.map { $0 / z }
        var best = 0
        for i in p.indices where p[i] > p[best] { best = i }
        return (best, p[best], p, known, scaled)
    }

    /// `predict`'s label index, confidence and known features alone, computed the same way
    /// step for step (so the same bits) on the stack: what classifying a record needs, without
    /// the four arrays (issue 17).
    public func predictBest(_ features: Features, evidence: Evidence, temperature: Double) -> (index: Int, confidence: Double, known: Int)? {
        guard !isEmpty else { return nil }
        let stride = labels.count
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: stride) { s -> (index: Int, confidence: Double, known: Int)? in
            let known = scores(features, into: s)
            let factor = evidence.factor(known: known, total: features.buckets.count)
            for c in 0..<stride { s[c] = s[c].isFinite ? s[c] * factor : -.infinity }
            // As `max()`: the first, replaced by each later one it is less than.
            var top = s[0]
            for c in 1..<stride where top < s[c] { top = s[c] }
            for c in 0..<stride { s[c] = s[c].isFinite ? exp((s[c] - top) * temperature) : 0 }
            var z = 0.0
            for c in 0..<stride { z += s[c] }
            guard z > 0 else { return nil }
            var best = 0
            for i in 0..<stride where s[i] / z > s[best] / z { best = i }
            return (best, s[best] / z, known)
        }
    }

    /// Labels with at least one document: below two the model cannot tell labels apart.
    public var trainedLabelCount: Int {
        var n = 0
        for d in documents where d > 0 { n += 1 }
        return n
    }

    /// The features of `tokens` that pushed most toward `label` against the other labels,
    /// best first: the "deciding tokens" of `classify`.
    public func decidingTokens(_ tokens: [String], extra: [String] = [], label: String, limit: Int = 5) -> [String] {
        guard let c = labels.firstIndex(of: label) else { return [] }
        let v = Double(alpha) * Double(max(1, vocabulary))
        func logP(_ b: UInt32, _ l: Int) -> Double { log(Double(count(b, l)) + Double(alpha)) - log(totals[l] + v) }
        var weighed: [(String, Double)] = []
        var names = Set<String>()
        Features.forEachFeature(tokens: tokens, extra: extra, named: true) { name, b in
            guard names.insert(name).inserted, count(b, c) > 0 else { return }
            let others = labels.indices.filter { $0 != c && documents[$0] > 0 }
            let lift = others.isEmpty ? 1 : logP(b, c) - others.map { logP(b, $0) }.reduce(0, +) / Double(others.count)
            if lift > 0.5 { weighed.append((name, lift)) }
        }
        return weighed.sorted { $0.1 > $1.1 }.prefix(limit).map(\.0)
    }

    /// Bytes held by the count table.
    public var memoryBytes: Int { table.count * 4 }
}
