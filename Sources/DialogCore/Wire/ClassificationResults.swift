/// Results of `classify`, `review` and `relabel` (docs/protocol.md).

/// `classify`: one decision per dimension. Contract (used by `dialogctl log`):
/// `{"department":{"label":…,"confidence":…,"source":…,"tokens":[…]},"outcome":{…},"sentiment":{…}}`.
public struct ClassifyResult: Codable, Sendable, Equatable {
    public var department: LabelDecision
    public var outcome: LabelDecision
    public var sentiment: LabelDecision
    public init(department: LabelDecision, outcome: LabelDecision, sentiment: LabelDecision) {
        self.department = department; self.outcome = outcome; self.sentiment = sentiment
    }
}

/// A stored label as `list`, `show` and `review` report it.
public struct StoredLabel: Codable, Sendable, Equatable {
    /// nil = unclassified.
    public var label: String?
    public var source: LabelSource
    public var confidence: Double
    public init(label: String?, source: LabelSource, confidence: Double) {
        self.label = label; self.source = source; self.confidence = confidence
    }
}

/// The labels of a stored conversation; a dimension is absent when the record has no label
/// information for it (stored before classification existed).
public struct ConversationLabels: Codable, Sendable, Equatable {
    public var department: StoredLabel?
    public var outcome: StoredLabel?
    public var sentiment: StoredLabel?
    public init(department: StoredLabel? = nil, outcome: StoredLabel? = nil, sentiment: StoredLabel? = nil) {
        self.department = department; self.outcome = outcome; self.sentiment = sentiment
    }
}

/// One conversation awaiting review.
public struct ReviewItem: Codable, Sendable, Equatable {
    public var id: Int64
    public var date: Int64
    public var employee: String
    public var channel: String
    public var subject: String?
    public var text: String?
    /// The lowest confidence among its machine-made (rule or model) labels.
    public var confidence: Double
    public var labels: ConversationLabels
    /// A logged department, outcome or channel in no vocabulary, as written (issue 18): it
    /// counts as unassigned (channel: `unknown`) until an alias and `recompute` or a relabel.
    public var unmatchedDepartment: String?
    public var unmatchedOutcome: String?
    public var unmatchedChannel: String?
    public init(id: Int64, date: Int64, employee: String, channel: String, subject: String?, text: String?, confidence: Double, labels: ConversationLabels) {
        self.id = id; self.date = date; self.employee = employee; self.channel = channel; self.subject = subject
        self.text = text; self.confidence = confidence; self.labels = labels
    }

    enum CodingKeys: String, CodingKey {
        case id, date, employee, channel, subject, text, confidence, labels
        case unmatchedDepartment = "unmatched_department", unmatchedOutcome = "unmatched_outcome"
        case unmatchedChannel = "unmatched_channel"
    }
}

public struct ReviewResult: Codable, Sendable, Equatable {
    public var items: [ReviewItem]
    /// How many conversations await review in all.
    public var pending: Int
    public init(items: [ReviewItem], pending: Int) { self.items = items; self.pending = pending }
}

public struct RelabelResult: Codable, Sendable, Equatable {
    public var id: Int64
    public var labels: ConversationLabels
    public init(id: Int64, labels: ConversationLabels) { self.id = id; self.labels = labels }
}
