#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Affixes and equality on UTF-8 bytes, for names, keys and ids: the kernel and SQLite see
/// bytes, while `hasPrefix`, `hasSuffix`, `lastIndex(of:)` and `==` compare Characters — a
/// combining mark after `id:` or `.`, or a prepending mark (U+0600) before `.reason`, merges
/// with it and hides bytes that are there; `==` equates "é" with "e" + U+0301.
extension StringProtocol {
    /// Whether the UTF-8 bytes begin with `prefix`'s.
    public func hasBytePrefix(_ prefix: some StringProtocol) -> Bool {
        utf8.starts(with: prefix.utf8)
    }

    /// Whether the UTF-8 bytes end with `suffix`'s.
    public func hasByteSuffix(_ suffix: some StringProtocol) -> Bool {
        let (count, length) = (utf8.count, suffix.utf8.count)
        return count >= length && utf8.dropFirst(count - length).elementsEqual(suffix.utf8)
    }

    /// Whether both hold the same bytes (not merely canonically equal text).
    public func sameBytes(as other: some StringProtocol) -> Bool {
        utf8.elementsEqual(other.utf8)
    }
}

extension String {
    /// `sameBytes` for two Strings, compared in place (the ingest loop asks it per record and label).
    @inlinable public func sameBytes(as other: String) -> Bool {
        let count = utf8.count
        guard count == other.utf8.count else { return false }
        guard count > 0 else { return true }
        let inPlace = utf8.withContiguousStorageIfAvailable { a in
            other.utf8.withContiguousStorageIfAvailable { b in
                guard let x = a.baseAddress, let y = b.baseAddress else { return false }
                return memcmp(x, y, count) == 0
            }
        }
        return (inPlace ?? nil) ?? utf8.elementsEqual(other.utf8)
    }

    /// `<` with a tie between canonically equal texts broken by their bytes, so rows of two
    /// values spelled alike come in one order every time.
    public func sortsBefore(_ other: String) -> Bool {
        if self < other { return true }
        return self == other && utf8.lexicographicallyPrecedes(other.utf8)
    }

    /// The text after `prefix` when it begins with its bytes, else nil. `prefix` ends with an
    /// ASCII byte (`stream-progress:`), so the cut falls between scalars.
    public func droppingBytePrefix(_ prefix: String) -> String? {
        guard hasBytePrefix(prefix) else { return nil }
        return String(Substring(utf8.dropFirst(prefix.utf8.count)))
    }

    /// The text before `suffix` when it ends with its bytes, else nil. `suffix` begins with an
    /// ASCII byte (a companion's `.reason`), so the cut falls between scalars.
    public func droppingByteSuffix(_ suffix: String) -> String? {
        guard hasByteSuffix(suffix) else { return nil }
        return String(Substring(utf8.dropLast(suffix.utf8.count)))
    }

    /// Where the last `byte` (ASCII) is, as an index that slices the text between scalars.
    public func lastIndex(ofByte byte: UInt8) -> Index? {
        utf8.lastIndex(of: byte)
    }
}

/// A `String` equal to another, and hashed, by its UTF-8 bytes: names and keys in sets and
/// dictionaries, where `String`'s canonical equivalence would make "ü.conv" written on Linux
/// and "u" + U+0308 ".conv" written on a Mac one file waiting.
public struct ExactBytes: Hashable, Sendable {
    public let text: String
    @inlinable public init(_ text: String) { self.text = text }

    @inlinable public static func == (a: Self, b: Self) -> Bool { a.text.sameBytes(as: b.text) }

    @inlinable public func hash(into hasher: inout Hasher) {
        if let done: Void = text.utf8.withContiguousStorageIfAvailable({ hasher.combine(bytes: UnsafeRawBufferPointer($0)) }) {
            return done
        }
        for byte in text.utf8 { hasher.combine(byte) }
    }
}
