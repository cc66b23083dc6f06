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
