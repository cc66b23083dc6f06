/// Turns a model's raw confidence into the probability of being right, learned the honest way:
/// before each training document is learned, the model predicts it (it has not seen it yet),
/// and the outcome is counted in the bin of the raw confidence ("prequential" evaluation).
/// Calibrated confidence = the bin's smoothed hit rate, made monotone (pool adjacent
/// violators). Old evidence decays, so the map follows the model as it improves.
public struct Calibration: Sendable, Equatable {
    public static let binCount = 20
    var hits = [Double](repeating: 0, count: binCount)
    var trials = [Double](repeating: 0, count: binCount)
    /// Weight of the raw confidence as a prior, in pseudo-observations per bin.
    static let priorStrength = 4.0
    /// Each new observation multiplies older ones by this: a memory of ~5,000 predictions.
    static let decay = 0.9998

    public init() {}

    static func bin(_ raw: Double) -> Int { min(binCount - 1, max(0, Int(raw * Double(binCount)))) }

    public mutating func observe(raw: Double, correct: Bool) {
        for i in 0..<Self.binCount { hits[i] *= Self.decay; trials[i] *= Self.decay }
        let b = Self.bin(raw)
        trials[b] += 1
        if correct { hits[b] += 1 }
    }

    public var observations: Double { trials.reduce(0, +) }

    /// The calibrated confidence for a raw one.
    public func calibrated(_ raw: Double) -> Double {
        let rates = monotoneRates()
        return rates[Self.bin(raw)]
    }

    /// Per-bin (hits + prior·centre) / (trials + prior), then pooled where a higher bin has a
    /// lower rate than the bin below it.
    func monotoneRates() -> [Double] {
        var blocks: [(sum: Double, weight: Double, count: Int)] = []
        for i in 0..<Self.binCount {
            let centre = (Double(i) + 0.5) / Double(Self.binCount)
            let weight = trials[i] + Self.priorStrength
            let rate = (hits[i] + Self.priorStrength * centre) / weight
            blocks.append((rate * weight, weight, 1))
            while blocks.count > 1 {
                let last = blocks[blocks.count - 1], before = blocks[blocks.count - 2]
                guard before.sum / before.weight > last.sum / last.weight else { break }
                blocks.removeLast(2)
                blocks.append((before.sum + last.sum, before.weight + last.weight, before.count + last.count))
            }
        }
        var rates: [Double] = []
        for block in blocks { rates += Array(repeating: block.sum / block.weight, count: block.count) }
        return rates
    }
}
