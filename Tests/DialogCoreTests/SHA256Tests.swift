import Foundation
import Testing
@testable import DialogCore

/// NIST FIPS 180-4 example vectors, plus chunking equivalence.
@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func nistVectors(input: String, expected: String) {
        #expect(SHA256.hex(input) == expected)
        #expect(SHA256.hex(Array(input.utf8)) == expected)
    }

    /// The same vectors through each way of compressing: the Swift rounds and, on a CPU that
    /// has them, the SHA instructions (issue 17).
    @Test(arguments: [false, true])
    func nistVectorsEachWay(accelerated: Bool) {
        let vectors = [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
            ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
             "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
            (String(repeating: "a", count: 1_000_000), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
        ]
        for (input, expected) in vectors {
            var hasher = SHA256.Hasher(accelerated: accelerated)
            hasher.update(input.utf8)
            #expect(SHA256.hexString(hasher.finalize()) == expected, "\(input.prefix(20))…, accelerated: \(accelerated)")
        }
    }

    /// Both ways give the same digest for every length around the block and padding boundaries.
    @Test func acceleratedEqualsSwiftRounds() {
        for length in 0..<300 {
            let input = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ length) }
            var swift = SHA256.Hasher(accelerated: false), fast = SHA256.Hasher(accelerated: true)
            swift.update(input)
            fast.update(input)
            #expect(swift.finalize() == fast.finalize(), "length \(length)")
        }
    }

    /// On a CPU whose /proc/cpuinfo lists `sha_ni`, the instructions are used (so the tests above
    /// check them, not the Swift rounds twice).
    @Test func instructionsUsedWhereTheCPUHasThem() throws {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let flags = cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") } ?? ""
        let listed = flags.split(separator: " ").contains("sha_ni")
        #expect(SHA256.hasInstructions == listed)
    }

    @Test func oneMillionA() {
        let input = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hex(input) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func digestIs32Bytes() {
        #expect(SHA256.hash([UInt8]()).count == 32)
    }

    @Test(arguments: [1, 3, 55, 56, 63, 64, 65, 127, 1000])
    func chunkedUpdatesEqualOneShot(chunkSize: Int) {
        // Lengths around the padding boundaries (55/56/64 bytes) and multi-block inputs.
        for length in [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 4099] {
            let input = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            var hasher = SHA256.Hasher()
            var start = 0
            while start < input.count {
                let end = min(start + chunkSize, input.count)
                hasher.update(input[start..<end])
                start = end
            }
            #expect(hasher.finalize() == SHA256.hash(input), "length \(length), chunk \(chunkSize)")
        }
    }

    @Test func nonContiguousSequenceMatchesArray() {
        let input = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let lazy = input.lazy.map { $0 } // a Sequence without contiguous storage
        #expect(SHA256.hash(lazy) == SHA256.hash(input))
    }

    @Test func hexStringFormatsBytes() {
        #expect(SHA256.hexString([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
    }
}
