import Foundation

/// Multinomial naive Bayes over hashed binary features (DESIGN §4), trained one document at a
/// time. Counts are plain sums, so training is exactly reversible: a relabel subtracts the old
/// label's evidence (`weight: -1`) and adds the new one. Memory: 4 bytes × buckets × labels.
public struct NaiveBayes: Sendable, Equatable {
    public private(set) var labels: [String] = []
    /// counts[label][bucket]: documents of that label containing the feature (plus seeds).
    var counts: [[Float]] = []
    /// Documents per label (the prior).
    var documents: [Double] = []
    /// Sum of `counts[label]`.
    var totals: [Double] = []
    /// Buckets seen in any label: the vocabulary size of the smoothing.
    var vocabulary: Int = 0
    var seen: [Bool] = []
    /// Additive (Lidstone) smoothing.
    public var alpha: Double = 0.1

    public init() {}

    public var documentCount: Double { documents.reduce(0, +) }
    public var isEmpty: Bool { labels.isEmpty || documentCount <= 0 }

    mutating func index(of label: String) -> Int {
        if let i = labels.firstIndex(of: label) { return i }
        labels.append(label)
        counts.append([Float](repeating: 0, count: 1 << Features.bits))
        documents.append(0)
        totals.append(0)
        if seen.isEmpty { seen = [Bool](repeating: false, count: 1 << Features.bits) }
        return labels.count - 1
    }

    /// Adds one document (`weight` 1) or takes it back (`weight` -1).
    public mutating func train(_ features: Features, label: String, weight: Float = 1) {
        let c = index(of: label)
        counts[c].withUnsafeMutableBufferPointer { row in
            for b in features.buckets {
                row[Int(b)] = max(0, row[Int(b)] + weight)
            }
        }
        for b in features.buckets where !seen[Int(b)] {
            seen[Int(b)] = true
            vocabulary += 1
        }
        documents[c] = max(0, documents[c] + Double(weight))
        totals[c] = max(0, totals[c] + Double(weight) * Double(features.buckets.count))
    }

    /// Adds `weight` to single buckets of `label` without a document: lexicon seeds.
    mutating func seed(_ bucket: UInt32, label: String, weight: Float) {
        let c = index(of: label)
        counts[c][Int(bucket)] += weight
        totals[c] += Double(weight)
        if !seen[Int(bucket)] { seen[Int(bucket)] = true; vocabulary += 1 }
    }

    mutating func seedPrior(label: String, documents count: Double) {
        let c = index(of: label)
        documents[c] += count
    }

    /// Log joint likelihood per label, averaged over the features so long and short texts
    /// give scores on one scale (the raw confidence calibrates better that way).
    /// Features no label has seen are left out: unseen words would otherwise favour the
    /// labels with the fewest words, and a German text would go to the smallest English class.
    public func scores(_ features: Features) -> [Double] {
        guard !labels.isEmpty else { return [] }
        let known = features.buckets.filter { seen[Int($0)] }
        let n = max(1, known.count)
        let docTotal = max(1e-9, documentCount)
        let v = Double(max(1, vocabulary)) * alpha
        var result = [Double](repeating: 0, count: labels.count)
        for c in labels.indices {
            // A label whose documents were all taken back (relabels) cannot be predicted.
            guard documents[c] > 0 else { result[c] = -.infinity; continue }
            let denominator = log(totals[c] + v)
            var sum = 0.0
            counts[c].withUnsafeBufferPointer { row in
                for b in known { sum += log(Double(row[Int(b)]) + alpha) - denominator }
            }
            let prior = log((documents[c] + 0.5) / (docTotal + 0.5 * Double(labels.count)))
            result[c] = prior / Double(n) + sum / Double(n)
        }
        return result
    }

    /// Scale of the averaged scores before the softmax; fitted once on held-out data so the
    /// raw confidence spreads over (1/labels, 1) instead of sticking to 1.
    static let sharpness = 4.0

    /// (label index, raw confidence) of the best label; nil before any training.
    public func predict(_ features: Features) -> (index: Int, confidence: Double, probabilities: [Double])? {
        guard !isEmpty else { return nil }
        let s = scores(features)
        let top = s.max()!
        let known = features.buckets.reduce(0) { $0 + (seen[Int($1)] ? 1 : 0) }
        let exps = s.map { $0 == -.infinity ? 0 : exp(($0 - top) * Self.sharpness * Double(max(1, known)).squareRoot()) }
        let z = exps.reduce(0, +)
        let p = exps.map { $0 / z }
        let best = p.indices.max { p[$0] < p[$1] }!
        return (best, p[best], p)
    }

    /// The features of `tokens` that pushed most toward `label` against the other labels,
    /// best first: the "deciding tokens" of `classify`.
    public func decidingTokens(_ tokens: [String], extra: [String] = [], label: String, limit: Int = 5) -> [String] {
        guard let c = labels.firstIndex(of: label), labels.count > 0 else { return [] }
        var weighed: [(String, Double)] = []
        var names = Set<String>()
        Features.forEachFeature(tokens: tokens, extra: extra, named: true) { name, b in
            guard names.insert(name).inserted else { return }
            let own = log(Double(counts[c][Int(b)]) + alpha) - log(totals[c] + alpha * Double(max(1, vocabulary)))
            var others = 0.0
            var n = 0
            for o in labels.indices where o != c {
                others += log(Double(counts[o][Int(b)]) + alpha) - log(totals[o] + alpha * Double(max(1, vocabulary)))
                n += 1
            }
            let lift = n == 0 ? own : own - others / Double(n)
            if lift > 0.5 { weighed.append((name, lift)) }
        }
        return weighed.sorted { $0.1 > $1.1 }.prefix(limit).map(\.0)
    }

    /// Bytes held by the count tables.
    public var memoryBytes: Int { labels.count * (1 << Features.bits) * 4 + seen.count }
}
