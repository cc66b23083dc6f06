@testable import DialogCore
import Testing

/// `Attribution.shares` (issue 14): every model's split to the cent, and the properties that
/// make the figures trustworthy whatever the input.
@Suite("attribution: shares to the cent")
struct AttributionTests {
    static let day: Int64 = 86_400
    static let order: Int64 = 100 * day
    static func shares(_ amount: Int64, _ ages: [Int64], _ model: AttributionModel) -> [Int64] {
        Attribution.shares(amountCents: amount, touchDates: ages.map { order - $0 * day }, orderDate: order, model: model)
    }

    @Test("the worked examples of docs/roi.md: 100.00 € over touches 30, 20, 10 and 0 days before the order")
    func workedExamples() {
        let ages: [Int64] = [30, 20, 10, 0]
        #expect(Self.shares(100_00, ages, .lastTouch) == [0, 0, 0, 100_00])
        #expect(Self.shares(100_00, ages, .firstTouch) == [100_00, 0, 0, 0])
        #expect(Self.shares(100_00, ages, .linear) == [25_00, 25_00, 25_00, 25_00])
        #expect(Self.shares(100_00, ages, .position) == [40_00, 10_00, 10_00, 40_00])
        // Weights 1/8, 1/4, 1/2, 1 (half-life 10 days): 100 × w / 1.875.
        #expect(Self.shares(100_00, ages, .timeDecay(halfLifeSeconds: 10 * Self.day)) == [6_67, 13_33, 26_67, 53_33])
    }

    @Test("remainders: linear gives the left-over cents one each to the latest touches")
    func remainders() {
        #expect(Self.shares(100, [3, 2, 1], .linear) == [33, 33, 34])
        #expect(Self.shares(101, [3, 2, 1], .linear) == [33, 34, 34])
        #expect(Self.shares(2, [3, 2, 1], .linear) == [0, 1, 1])
        #expect(Self.shares(1, [1, 1], .linear) == [0, 1], "same date: the later key gets the cent")
        #expect(Self.shares(10_01, [2, 1, 0], .position) == [4_00, 2_00, 4_01])
        #expect(Self.shares(99, [1, 0], .position) == [49, 50], "two touches: 40/40 is half each")
        #expect(Self.shares(7, [5], .position) == [7])
        #expect(Self.shares(1, [4, 3, 2, 1, 0], .position) == [0, 0, 0, 0, 1])
    }

    @Test("credit notes take back exactly what the same order gave")
    func creditNotes() {
        for model in [AttributionModel.lastTouch, .firstTouch, .linear, .position, .timeDecay(halfLifeSeconds: 7 * Self.day)] {
            let ages: [Int64] = [40, 12, 12, 3, 0]
            let order = Self.shares(12_345, ages, model)
            let credit = Self.shares(-12_345, ages, model)
            #expect(zip(order, credit).allSatisfy { $0 == -$1 }, "\(model)")
            #expect(credit.reduce(0, +) == -12_345 && credit.allSatisfy { $0 <= 0 })
        }
        #expect(Self.shares(-100, [3, 2, 1], .linear) == [-33, -33, -34])
    }

    @Test("no touch, no share")
    func noTouch() {
        #expect(Attribution.shares(amountCents: 500, touchDates: [], orderDate: 0, model: .linear).isEmpty)
    }

    @Test("property: shares add up exactly, have the amount's sign, are deterministic; linear differs by at most a cent")
    func properties() {
        var g = SeededGenerator(seed: 14)
        let models: [AttributionModel] = [.lastTouch, .firstTouch, .linear, .position, .timeDecay(halfLifeSeconds: 1),
                                          .timeDecay(halfLifeSeconds: 7 * Self.day), .timeDecay(halfLifeSeconds: 3650 * Self.day)]
        // 1,000 seeded orders × 7 models (3,000 took 95 s under ASan in CI): each amount kind ~250 times.
        for _ in 0..<1_000 {
            let n = Int.random(in: 1...40, using: &g)
            let dates = (0..<n).map { _ in Int64.random(in: 0...(90 * Self.day), using: &g) }.sorted()
            let orderDate = (dates.last ?? 0) + Int64.random(in: 0...Self.day, using: &g)
            let amount: Int64 = switch Int.random(in: 0..<4, using: &g) {
            case 0: Int64.random(in: -100...100, using: &g)
            case 1: Int64.random(in: -10_000_000_000...10_000_000_000, using: &g)
            case 2: Int64(n) - 1
            default: Int64.random(in: 0...1_000_000, using: &g)
            }
            for model in models {
                let s = Attribution.shares(amountCents: amount, touchDates: dates, orderDate: orderDate, model: model)
                #expect(s.count == n)
                #expect(s.reduce(0, +) == amount, "\(model) \(amount) \(dates)")
                #expect(amount >= 0 ? s.allSatisfy { $0 >= 0 } : s.allSatisfy { $0 <= 0 }, "\(model) \(amount)")
                #expect(s == Attribution.shares(amountCents: amount, touchDates: dates, orderDate: orderDate, model: model))
                if model == .linear {
                    #expect((s.max() ?? 0) - (s.min() ?? 0) <= 1)
                    if amount >= 0 { #expect(s == s.sorted(), "the extra cents go to the latest touches") }
                }
                if model == .lastTouch { #expect(s.last == amount) }
                if model == .firstTouch { #expect(s.first == amount) }
                if case .timeDecay = model, amount >= 0, n > 1 {
                    // A later touch never gets less than an earlier one (beyond the one-cent rounding).
                    #expect(zip(s, s.dropFirst()).allSatisfy { $0 <= $1 + 1 }, "\(model) \(s)")
                }
            }
        }
    }

    @Test("max_touches: an order's touches are the latest of its lookback; the first touch is the earliest of those; shares to the cent")
    func touchCap() {
        #expect(Attribution.touchRange(count: 7, maxTouches: 3) == 4..<7)
        #expect(Attribution.touchRange(count: 2, maxTouches: 3) == 0..<2, "fewer than the cap: all")
        #expect(Attribution.touchRange(count: 3, maxTouches: 3) == 0..<3)
        #expect(Attribution.touchRange(count: 0, maxTouches: 3) == 0..<0)
        #expect(Attribution.touchRange(count: 5, maxTouches: 0) == 4..<5, "a cap below one counts the latest touch")
        // Touches 60 … 0 days before the order, cap 3: those 20, 10 and 0 days before count.
        let ages: [Int64] = [60, 50, 40, 30, 20, 10, 0]
        let counted = Array(ages[Attribution.touchRange(count: ages.count, maxTouches: 3)])
        #expect(counted == [20, 10, 0])
        #expect(Self.shares(100_01, counted, .linear) == [33_33, 33_34, 33_34], "two cents left over: one each to the latest")
        #expect(Self.shares(100_01, counted, .firstTouch) == [100_01, 0, 0], "the first touch is the earliest counted one, 20 days")
        #expect(Self.shares(10_01, counted, .position) == [4_00, 2_00, 4_01], "weights 4, 2, 4: the left-over cent to the latest")
        #expect(Self.shares(-10_01, counted, .position) == [-4_00, -2_00, -4_01], "a credit note takes back the same")
    }
}
