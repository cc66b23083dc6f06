/// One logged customer conversation after parsing and validation, before classification
/// and valuation. Every value is already normalized: times in Unix seconds, money in cents.
public struct ConversationRecord: Sendable, Equatable {
    /// The writer's idempotency key, when given.
    public var id: String?
    /// When the conversation happened, Unix seconds (UTC).
    public var date: Int64
    /// The UTC offset the date was written in (or the configured zone's), for display.
    public var utcOffsetSeconds: Int32
    public var employee: String
    /// Lowercased, aliased through config; `unknown` when absent.
    public var channel: String
    public var customer: String?
    /// Lowercased department when logged; `nil` means "classify".
    public var department: String?
    /// Lowercased outcome when logged; `nil` means "classify".
    public var outcome: String?
    /// Employee time in seconds; `nil` means "use the channel default".
    public var durationSeconds: Int64?
    /// Money gained or saved, in cents of `currency`; `nil` means "use the outcome default".
    public var valueCents: Int64?
    /// ISO 4217 code the value was written in (config currency when not written).
    public var currency: String?
    /// 1...5
    public var satisfaction: Int?
    /// `positive`, `neutral` or `negative` when logged.
    public var sentiment: String?
    /// Time to first answer, seconds.
    public var responseTimeSeconds: Int64?
    public var subject: String?
    public var text: String?
    public var tags: [String]
    /// Fields the record carried that dialogd does not know, kept for traceability.
    public var extras: [String: String]
    /// Set when the record corrects the stored record with this id (`Amends:`); then `id` is
    /// that id too. Not content: it is neither hashed nor stored (docs/spool.md).
    public var amends: String?
    /// The department, outcome and channel as written, when that is not simply their label
    /// (an alias like `Vertrieb`, or a value outside the vocabulary, whose label is then nil or
    /// `unknown`): kept so `review` and `show` can name what the writer typed (issue 18).
    public var rawDepartment: String?
    public var rawOutcome: String?
    public var rawChannel: String?
    /// Set when the record is a copy another dialogd exported (its `dialogd` object names a
    /// site and revision): newer copies replace older ones (docs/spool.md "Many sites"). Not content.
    public var shipped: ShippedCopy?

    public init(
        id: String? = nil, date: Int64, utcOffsetSeconds: Int32 = 0, employee: String,
        channel: String = "unknown", customer: String? = nil, department: String? = nil,
        outcome: String? = nil, durationSeconds: Int64? = nil, valueCents: Int64? = nil,
        currency: String? = nil, satisfaction: Int? = nil, sentiment: String? = nil,
        responseTimeSeconds: Int64? = nil, subject: String? = nil, text: String? = nil,
        tags: [String] = [], extras: [String: String] = [:],
        rawDepartment: String? = nil, rawOutcome: String? = nil, rawChannel: String? = nil
    ) {
        self.id = id
        self.date = date
        self.utcOffsetSeconds = utcOffsetSeconds
        self.employee = employee
        self.channel = channel
        self.customer = customer
        self.department = department
        self.outcome = outcome
        self.durationSeconds = durationSeconds
        self.valueCents = valueCents
        self.currency = currency
        self.satisfaction = satisfaction
        self.sentiment = sentiment
        self.responseTimeSeconds = responseTimeSeconds
        self.subject = subject
        self.text = text
        self.tags = tags
        self.extras = extras
        self.rawDepartment = rawDepartment
        self.rawOutcome = rawOutcome
        self.rawChannel = rawChannel
    }

    /// A department or outcome the writer gave that is in no vocabulary (counted unassigned).
    public var unmatchedDepartment: String? { department == nil ? rawDepartment : nil }
    public var unmatchedOutcome: String? { outcome == nil ? rawOutcome : nil }
    /// A channel the writer gave that is in no vocabulary (counted as `unknown`).
    public var unmatchedChannel: String? { channel == "unknown" ? rawChannel : nil }
}
