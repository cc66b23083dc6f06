/// One conversation of `export`: every stored field (the `list` row's keys, then the `show`
/// details), and the figures it is counted under in the ROI aggregates, flat in JSON.
public struct ExportRow: Encodable, Sendable, Equatable {
    public var detail: ConversationDetail
    /// Department and outcome the ROI figures count it under (`unassigned`/`unclassified` for none).
    public var departmentCounted: String
    public var outcomeCounted: String
    /// Employee time, cost and value used for the ROI figures; absent while unpriced.
    public var durationSCounted: Int64?
    public var costCents: Int64?
    public var valueCentsCounted: Int64?

    public init(detail: ConversationDetail, departmentCounted: String, outcomeCounted: String,
                durationSCounted: Int64?, costCents: Int64?, valueCentsCounted: Int64?) {
        self.detail = detail; self.departmentCounted = departmentCounted; self.outcomeCounted = outcomeCounted
        self.durationSCounted = durationSCounted; self.costCents = costCents; self.valueCentsCounted = valueCentsCounted
    }

    enum CodingKeys: String, CodingKey {
        case externalId = "external_id", customer, satisfaction, sentiment, responseTimeS = "response_time_s", text, tags, extras
        case sourceFile = "source_file", sourceLine = "source_line", ingestedAt = "ingested_at"
        case departmentCounted = "department_counted", outcomeCounted = "outcome_counted", durationSCounted = "duration_s_counted"
        case costCents = "cost_cents", valueCentsCounted = "value_cents_counted", netCents = "net_cents"
    }

    /// The summary's keys first (so fields added to `list` rows come along), then the rest.
    public func encode(to encoder: any Encoder) throws {
        try detail.summary.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        let d = detail
        try c.encodeIfPresent(d.externalId, forKey: .externalId)
        try c.encodeIfPresent(d.customer, forKey: .customer)
        try c.encodeIfPresent(d.satisfaction, forKey: .satisfaction)
        try c.encodeIfPresent(d.sentiment, forKey: .sentiment)
        try c.encodeIfPresent(d.responseTimeS, forKey: .responseTimeS)
        try c.encodeIfPresent(d.text, forKey: .text)
        try c.encode(d.tags, forKey: .tags)
        try c.encode(d.extras, forKey: .extras)
        try c.encode(d.sourceFile, forKey: .sourceFile)
        try c.encode(d.sourceLine, forKey: .sourceLine)
        try c.encode(d.ingestedAt, forKey: .ingestedAt)
        try c.encode(departmentCounted, forKey: .departmentCounted)
        try c.encode(outcomeCounted, forKey: .outcomeCounted)
        try c.encodeIfPresent(durationSCounted, forKey: .durationSCounted)
        try c.encodeIfPresent(costCents, forKey: .costCents)
        try c.encodeIfPresent(valueCentsCounted, forKey: .valueCentsCounted)
        if let cost = costCents, let value = valueCentsCounted { try c.encode(value - cost, forKey: .netCents) }
    }
}

/// `export`: one page of conversations in row-id order. `next_after` is the cursor for the
/// next page (absent on the last); `window` is the date range the first request resolved to,
/// to send as `since`/`until` with the following pages. The daemon writes `ExportRow`s;
/// dialogctl reads them as `JSONValue` (it passes every column on, known or not).
public struct ExportPage<Row: Sendable>: Sendable {
    public var currency: String
    public var window: TimeSpan?
    public var rows: [Row]
    public var nextAfter: Int64?
    /// With `after_revision`: the revision to send with `next_after` for the next page.
    public var nextAfterRevision: Int64?
    /// With `by` = `site`: the site to send as `after_site` with `next_after`.
    public var nextAfterSite: String?
    /// The exporting daemon's own site (`[site] id`), e.g. to name an increment file.
    public var site: String?

    public init(currency: String, window: TimeSpan?, rows: [Row], nextAfter: Int64?) {
        self.currency = currency; self.window = window; self.rows = rows; self.nextAfter = nextAfter
    }

    enum CodingKeys: String, CodingKey {
        case currency, window, rows, nextAfter = "next_after"
        case nextAfterRevision = "next_after_revision", nextAfterSite = "next_after_site", site
    }
}

extension ExportPage: Encodable where Row: Encodable {}
extension ExportPage: Decodable where Row: Decodable {}

/// `labels`: how the conversations of a window got their labels (docs/protocol.md).
public struct LabelSourcesResult: Codable, Sendable, Equatable {
    public struct Counts: Codable, Sendable, Equatable {
        public var conversations: Int64 = 0
        /// dimension → source (`logged`, `rule`, `model`, `review`, `unclassified`) → conversations.
        public var bySource: [String: [String: Int64]] = [:]
        /// Conversations whose department or outcome (the labels that decide value) the model gave.
        public var valueLabelsByModel: Int64 = 0
        /// … or a rule gave.
        public var valueLabelsByRule: Int64 = 0
        public init() {}

        enum CodingKeys: String, CodingKey {
            case conversations, bySource = "by_source", valueLabelsByModel = "value_labels_by_model"
            case valueLabelsByRule = "value_labels_by_rule"
        }
    }

    public var window: TimeSpan
    public var counts: Counts

    public init(window: TimeSpan, counts: Counts) {
        self.window = window
        self.counts = counts
    }
}
