/// A filter whose value no stored conversation has, in any window (`unmatched_filters` of `roi`,
/// `kpi`, `pyramid`, `list` and `export`, docs/protocol.md): a misspelt `--department` then
/// reads as a mistake, not as "no revenue". `known` is the values that are stored, sorted, at
/// most `maxKnown`; `more_known` counts the others.
public struct UnmatchedFilter: Codable, Sendable, Equatable {
    public var filter: String
    public var value: String
    public var known: [String]
    public var moreKnown: Int

    public static let maxKnown = 20

    enum CodingKeys: String, CodingKey { case filter, value, known, moreKnown = "more_known" }

    public init(filter: String, value: String, known: [String], moreKnown: Int) {
        self.filter = filter
        self.value = value
        self.known = known
        self.moreKnown = moreKnown
    }
}

/// A result with its `unmatched_filters` beside its own fields (left out when there are none).
public struct FilterNoted<Value: Encodable & Sendable>: Encodable, Sendable {
    public var value: Value
    public var unmatchedFilters: [UnmatchedFilter]

    public init(_ value: Value, unmatched: [UnmatchedFilter]) {
        self.value = value
        unmatchedFilters = unmatched
    }

    enum CodingKeys: String, CodingKey { case unmatchedFilters = "unmatched_filters" }

    public func encode(to encoder: any Encoder) throws {
        try value.encode(to: encoder)
        guard !unmatchedFilters.isEmpty else { return }
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(unmatchedFilters, forKey: .unmatchedFilters)
    }
}

/// Only the `unmatched_filters` of a result, whatever else it holds (dialogctl's note on stderr).
public struct FilterNotes: Decodable, Sendable {
    public var unmatchedFilters: [UnmatchedFilter]?

    enum CodingKeys: String, CodingKey { case unmatchedFilters = "unmatched_filters" }
}
