import DialogCore

/// The group values of an aggregate row as a dictionary key, equal and hashed by their bytes:
/// SQLite keeps "Müller" composed and decomposed as two employees, and `[String]` keys would
/// merge them (Swift compares Strings canonically) — `list` would show two, `roi` one.
struct GroupKey: Hashable {
    var values: [String]

    @inline(__always) init(_ values: [String]) { self.values = values }

    static func == (a: GroupKey, b: GroupKey) -> Bool {
        guard a.values.count == b.values.count else { return false }
        for i in a.values.indices where !a.values[i].sameBytes(as: b.values[i]) { return false }
        return true
    }

    func hash(into hasher: inout Hasher) {
        for value in values {
            ExactBytes(value).hash(into: &hasher)
            hasher.combine(0xFF as UInt8)  // no UTF-8 byte: ["ab", "c"] and ["a", "bc"] hash apart
        }
    }
}
