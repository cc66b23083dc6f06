import Testing
@testable import DialogCore

/// Issue 17: an ASCII customer is normalised byte by byte; it must come out exactly as the
/// general way (Foundation, Characters) makes it, or a customer would get a second pseudonym.
@Suite("customer identity: the ASCII way agrees with the general way")
struct CustomerASCIITests {
    static let pieces = ["mailto:", "MailTo:", "mailto", "<", ">", "@", ".", " ", "\t", "\r\n", "\n", "\u{0B}", "\u{0C}", "\r", "a", "B",
                         "x.de", "_", "-", ":", "@Bob_B", "cus-", "0123456789abcdef", "0123456789ABCDEF", "Anna ", "K-22", "+", "/", "\u{1F}", "forgotten-"]

    @Test("random ASCII customers: the same normalised value, the same pseudonym verdict")
    func randomCustomers() {
        var g = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let value = (0..<Int.random(in: 0...7, using: &g)).map { _ in Self.pieces.randomElement(using: &g) ?? "" }.joined()
            let fast = CustomerASCII.normalised(value)
            #expect(fast != nil, "ASCII takes the byte way: \(value.debugDescription)")
            let general = CustomerIdentity.normalisedByScalars(value)
            #expect(fast.flatMap { $0 }.map { Array($0.utf8) } == general.map { Array($0.utf8) }, "\(value.debugDescription)")
            for candidate in [value, general ?? ""] {
                for prefix in [CustomerIdentity.prefix, CustomerIdentity.forgottenPrefix] {
                    let scalars = Array(candidate.unicodeScalars)
                    let expected = candidate.hasPrefix(prefix) && scalars.count == prefix.unicodeScalars.count + CustomerIdentity.digits
                        && scalars.dropFirst(prefix.unicodeScalars.count).allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
                    #expect(CustomerASCII.isHexLabel(candidate, prefix: prefix) == expected, "\(candidate.debugDescription)")
                }
            }
        }
        #expect(CustomerASCII.normalised("Jürgen <j@x.de>") == nil, "not ASCII: the general way")
        #expect(CustomerASCII.normalised("  \t ") == .some(nil))
        #expect(CustomerIdentity.normalised("Anna <mailto: Anna@X.DE >") == CustomerIdentity.normalisedByScalars("Anna <mailto: Anna@X.DE >"))
    }
}
