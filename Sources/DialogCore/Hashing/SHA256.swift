import CSHA256

/// SHA-256 (FIPS 180-4) of our own, so record keys need no crypto library: the CPU's SHA
/// instructions where it has them (x86 SHA-NI, a C function of ours), else Swift.
///
/// One-shot: `SHA256.hash(bytes)` / `SHA256.hex(bytes)`; incremental: `SHA256.Hasher`.
public enum SHA256 {
    /// Length of a digest in bytes.
    public static let digestByteCount = 32

    /// Whether this CPU's SHA instructions compress the blocks (asked once).
    static let hasInstructions = dialog_sha256_has_sha_ni() != 0

    /// The 32-byte digest of `bytes`.
    public static func hash<Bytes: Sequence>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        var hasher = Hasher()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The digest of `bytes` as 64 lowercase hex digits.
    public static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        hex(bytes, prefix: "")
    }

    /// `prefix` followed by the digest of `bytes` as 64 lowercase hex digits, in one string.
    public static func hex<Bytes: Sequence>(_ bytes: Bytes, prefix: StaticString) -> String where Bytes.Element == UInt8 {
        var hasher = Hasher()
        hasher.update(bytes)
        return hasher.finalize { hexString($0, prefix: prefix) }
    }

    /// The digest of the UTF-8 bytes of `string` as 64 lowercase hex digits.
    public static func hex(_ string: String) -> String {
        hex(string.utf8)
    }

    /// Lowercase hex of any byte sequence (two digits per byte).
    public static func hexString<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        Array(bytes).withUnsafeBytes { hexString($0, prefix: "") }
    }

    /// `prefix` and then the lowercase hex of `bytes`, written straight into the string's storage.
    static func hexString(_ bytes: UnsafeRawBufferPointer, prefix: StaticString) -> String {
        String(unsafeUninitializedCapacity: prefix.utf8CodeUnitCount + bytes.count * 2) { out in
            var at = 0
            prefix.withUTF8Buffer { for byte in $0 { out[at] = byte; at += 1 } }
            for byte in bytes {
                out[at] = hexDigit(byte >> 4)
                out[at + 1] = hexDigit(byte & 0x0f)
                at += 2
            }
            return at
        }
    }

    @inline(__always)
    private static func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 + nibble : 0x57 + nibble }

    /// Round constants: first 32 bits of the fractional parts of the cube roots of the first 64 primes.
    static let roundConstants: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]
}
