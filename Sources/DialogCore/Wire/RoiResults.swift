/// A result of `roi`, `kpi` or `pyramid` with the currency its cents are in, flat in JSON:
/// the wrapped object's keys plus `"currency":"EUR"` and the `"language"` people read it in.
public struct InCurrency<Value: Codable & Sendable>: Codable, Sendable {
    public var value: Value
    public var currency: String
    /// `[display] language`: how dialogctl formats the figures (absent from older daemons).
    public var language: DisplayLanguage?

    public init(_ value: Value, currency: String, language: DisplayLanguage? = nil) {
        self.value = value
        self.currency = currency
        self.language = language
    }

    enum CodingKeys: String, CodingKey { case currency, language }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        currency = try c.decode(String.self, forKey: .currency)
        language = try c.decodeIfPresent(DisplayLanguage.self, forKey: .language)
        value = try Value(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try value.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(currency, forKey: .currency)
        try c.encodeIfPresent(language, forKey: .language)
    }
}

/// `kpi`: the window the KPIs cover and the KPIs.
public struct KpiResult: Codable, Sendable, Equatable {
    public var window: TimeSpan
    public var kpis: Kpis
    /// Customer conversion per department (`unassigned` included) with a conversation in the
    /// window; absent from daemons older than orders.
    public var customerConversionByDepartment: [String: CustomerConversion]?

    public init(window: TimeSpan, kpis: Kpis, customerConversionByDepartment: [String: CustomerConversion]? = nil) {
        self.window = window
        self.kpis = kpis
        self.customerConversionByDepartment = customerConversionByDepartment
    }

    enum CodingKeys: String, CodingKey {
        case window, kpis
        case customerConversionByDepartment = "customer_conversion_by_department"
    }
}

/// `recompute`: conversations re-priced, how long it took, and whether figures are still stale.
public struct RecomputeResult: Codable, Sendable, Equatable {
    public var conversations: Int
    public var milliseconds: Int64
    public var valuationStale: Bool

    public init(conversations: Int, milliseconds: Int64, valuationStale: Bool) {
        self.conversations = conversations
        self.milliseconds = milliseconds
        self.valuationStale = valuationStale
    }

    enum CodingKeys: String, CodingKey {
        case conversations, milliseconds, valuationStale = "valuation_stale"
    }
}
