import Foundation

/// The softmax temperature that turns naive Bayes scores into probabilities, learned the honest
/// way: before a training document is learned the model predicts it (it has not seen it yet),
/// and the log loss of that prediction is added for every candidate temperature of a fixed grid
/// ("prequential" temperature scaling, out-of-fold by construction). The temperature in use
/// is the candidate with the lowest loss. Old evidence decays, so it follows the model.
///
/// A prior leans toward cool (unsure) temperatures, so a model that has been checked on a
/// handful of documents does not claim 98 % (issue 18).
public struct Calibration: Sendable, Equatable {
    /// Candidate temperatures: log-spaced from 0.05 to 50 (factor ≈ 1.2 apart).
    public static let grid: [Double] = (0..<40).map { 0.05 * pow(1000, Double($0) / 39) }
    /// Decayed sum of the prequential log loss per candidate temperature.
    var loss = [Double](repeating: 0, count: grid.count)
    /// Decayed number of prequential predictions.
    public internal(set) var observations: Double = 0
    /// The temperature with the least loss plus prior, refreshed by every observation (so
    /// classifying does not search the grid); nil before the first.
    public private(set) var fitted: Double?
    /// Each new observation multiplies older ones by this: a memory of ~5,000 predictions.
    static let decay = 0.9998
    /// The prior's weight: a warmer temperature costs `priorStrength` nats per e-fold.
    static let priorStrength = 1.0

    public init() {}

    /// Adds the log loss of one prediction: `scores` are the model's per-label scores, already
    /// multiplied by the evidence factor; `truth` the index of the right label.
    public mutating func observe(scores: [Double], truth: Int) {
        guard scores.indices.contains(truth), scores[truth].isFinite else { return }
        let top = scores.max() ?? 0
        for i in loss.indices {
            let t = Self.grid[i]
            var z = 0.0
            for s in scores where s.isFinite { z += exp((s - top) * t) }
            loss[i] = loss[i] * Self.decay + (log(z) - (scores[truth] - top) * t)
        }
        observations = observations * Self.decay + 1
        refit()
    }

    /// The candidate with the least prequential loss plus prior (measured on the data sets of
    /// docs/classification.md: a prior of 1 nat per e-fold keeps 50 documents from claiming 98 %
    /// and costs nothing once hundreds are checked).
    mutating func refit() {
        guard observations > 0 else { fitted = nil; return }
        var best = 0
        var bestCost = Double.infinity
        for i in loss.indices {
            let cost = loss[i] + Self.priorStrength * log(Self.grid[i] / Self.grid[0])
            if cost < bestCost { bestCost = cost; best = i }
        }
        fitted = Self.grid[best]
    }
}
