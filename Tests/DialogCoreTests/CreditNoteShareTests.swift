@testable import DialogCore
import Testing

/// A credit note that names its order takes its shares from the order's shares (docs/roi.md
/// "Credit notes"): in their proportions, integer cents that add up to the credit note exactly.
@Suite struct CreditNoteShareTests {
    @Test func fullCreditNoteIsTheOrderNegated() {
        let orders: [[Int64]] = [[10_000], [3_333, 3_333, 3_334], [0, 5_000, 5_000], [667, 1_333, 2_667, 5_333]]
        for order in orders {
            let total = order.reduce(0, +)
            #expect(Attribution.shares(amountCents: -total, proportionalTo: order) == order.map { -$0 })
        }
    }

    @Test func partialCreditNoteSumsExactlyWithNegativeRemainders() {
        // −1.00 € against an order split 33, 33, 34: weights nearly equal; the cut-off cents go
        // to the largest fractions, the latest first among equals, as for an order.
        #expect(Attribution.shares(amountCents: -100, proportionalTo: [3_333, 3_333, 3_334]) == [-33, -33, -34])
        // −0.01 € over two equal shares: the one cent to the later touch.
        #expect(Attribution.shares(amountCents: -1, proportionalTo: [500, 500]) == [0, -1])
        // −10.00 € against 40 / 20 / 40: −4.00, −2.00, −4.00.
        #expect(Attribution.shares(amountCents: -1_000, proportionalTo: [4_000, 2_000, 4_000]) == [-400, -200, -400])
        // docs/roi.md "Credit notes": −33.34 € against 33.33, 33.33, 33.34.
        #expect(Attribution.shares(amountCents: -3_334, proportionalTo: [3_333, 3_333, 3_334]) == [-1_111, -1_111, -1_112])
        // −1.01 € against thirds: −0.33, −0.34, −0.34.
        #expect(Attribution.shares(amountCents: -101, proportionalTo: [100, 100, 100]) == [-33, -34, -34])
    }

    @Test func randomCreditNotesSumExactly() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let order = (0..<Int.random(in: 1...12, using: &generator)).map { _ in Int64.random(in: 0...1_000_000, using: &generator) }
            let amount = -Int64.random(in: 0...5_000_000, using: &generator)
            let shares = Attribution.shares(amountCents: amount, proportionalTo: order)
            if order.allSatisfy({ $0 == 0 }) { #expect(shares.isEmpty); continue }
            #expect(shares.count == order.count)
            #expect(shares.reduce(0, +) == amount)
            #expect(shares.allSatisfy { $0 <= 0 })
            // A touch the order did not credit is not debited.
            #expect(zip(order, shares).allSatisfy { $0.0 != 0 || $0.1 == 0 })
        }
    }

    @Test func noOrderSharesNoCreditShares() {
        #expect(Attribution.shares(amountCents: -500, proportionalTo: []) == [])
        #expect(Attribution.shares(amountCents: -500, proportionalTo: [0, 0]) == [])
    }

    @Test func extremeAmountsDoNotTrap() {
        let shares = Attribution.shares(amountCents: .min, proportionalTo: [Int64.max, 1])
        #expect(shares.count == 2)
    }
}
