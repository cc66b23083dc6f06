/// The valuation part of the configuration (DESIGN §5): what an hour of each department costs,
/// what each outcome is worth, how long a conversation on each channel takes when not logged.
/// Money is integer cents of `records.currency`; durations are seconds.
public struct ValuationConfig: Sendable, Equatable {
    public struct Department: Sendable, Equatable {
        /// Loaded cost of one employee hour in this department, cents.
        public var hourlyCostCents: Int64
        public init(hourlyCostCents: Int64) { self.hourlyCostCents = hourlyCostCents }
    }

    public struct Outcome: Sendable, Equatable {
        /// The department this outcome belongs to; `nil` = any department (e.g. `complaint`).
        public var department: String?
        /// Value of a conversation with this outcome when the record states none, cents.
        public var valueCents: Int64
        /// One line for reports and docs: what the outcome means.
        public var meaning: String
        public init(department: String?, valueCents: Int64, meaning: String) {
            self.department = department
            self.valueCents = valueCents
            self.meaning = meaning
        }
    }

    public struct Channel: Sendable, Equatable {
        /// Other spellings writers use (`x`, `tweet`), lowercased.
        public var aliases: [String]
        /// Employee time assumed when a record logs none; `nil` = the global default.
        public var defaultDurationSeconds: Int64?
        public init(aliases: [String] = [], defaultDurationSeconds: Int64? = nil) {
            self.aliases = aliases
            self.defaultDurationSeconds = defaultDurationSeconds
        }
    }

    public var departments: [String: Department] = [
        "sales": Department(hourlyCostCents: 55_00),
        "marketing": Department(hourlyCostCents: 50_00),
        "service": Department(hourlyCostCents: 40_00),
        "product": Department(hourlyCostCents: 60_00),
    ]

    public var outcomes: [String: Outcome] = [
        "won": Outcome(department: "sales", valueCents: 500_00, meaning: "a sale was closed in or because of the conversation"),
        "lead": Outcome(department: "sales", valueCents: 80_00, meaning: "a qualified sales lead was handed on"),
        "lost": Outcome(department: "sales", valueCents: 0, meaning: "the customer decided against buying"),
        "engaged": Outcome(department: "marketing", valueCents: 5_00, meaning: "a prospect or customer engaged with content or the brand"),
        "advocacy": Outcome(department: "marketing", valueCents: 40_00, meaning: "a customer recommended us publicly"),
        "resolved": Outcome(department: "service", valueCents: 30_00, meaning: "the customer's problem was solved in the conversation"),
        "escalated": Outcome(department: "service", valueCents: 5_00, meaning: "handed to a second-level team with the case prepared"),
        "unresolved": Outcome(department: "service", valueCents: 0, meaning: "the problem remained open"),
        "idea": Outcome(department: "product", valueCents: 50_00, meaning: "a product idea was collected"),
        "bug": Outcome(department: "product", valueCents: 25_00, meaning: "a defect was reported with enough detail to act on"),
        "complaint": Outcome(department: nil, valueCents: 0, meaning: "the customer complained"),
        "churn_risk": Outcome(department: nil, valueCents: 0, meaning: "the customer signalled they may leave"),
        "none": Outcome(department: nil, valueCents: 0, meaning: "no business outcome"),
    ]

    public var channels: [String: Channel] = [
        "twitter": Channel(aliases: ["x", "tweet"], defaultDurationSeconds: 600),
        "facebook": Channel(aliases: ["fb"], defaultDurationSeconds: 600),
        "instagram": Channel(aliases: ["insta", "ig"], defaultDurationSeconds: 600),
        "linkedin": Channel(aliases: ["li"], defaultDurationSeconds: 900),
        "xing": Channel(aliases: [], defaultDurationSeconds: 900),
        "whatsapp": Channel(aliases: [], defaultDurationSeconds: 480),
        "chat": Channel(aliases: ["live-chat", "livechat"], defaultDurationSeconds: 720),
        "email": Channel(aliases: ["mail", "e-mail"], defaultDurationSeconds: 900),
        "phone": Channel(aliases: ["telefon", "anruf", "call"], defaultDurationSeconds: 720),
    ]

    /// Fixed cost of every conversation (tools, licences), cents.
    public var costPerConversationCents: Int64 = 50
    /// What one call-centre contact costs; the yardstick for deflection savings, cents.
    public var callCenterContactCostCents: Int64 = 6_50
    /// Employee time when neither the record nor its channel gives one, seconds.
    public var defaultDurationSeconds: Int64 = 900
    /// Hourly cost for a department without a configured rate and for unassigned conversations.
    public var defaultHourlyCostCents: Int64 = 45_00

    public init() {}

    /// Alias → channel, for the record parsers.
    public var channelAliases: [String: String] {
        var map: [String: String] = [:]
        for (name, channel) in channels {
            for alias in channel.aliases { map[alias] = name }
        }
        return map
    }
}

/// Who may see figures per employee. In many companies (German works councils among them)
/// tracking individual performance needs an agreement first, so the default is `off`.
public enum EmployeeFigures: String, Sendable, Equatable, CaseIterable {
    case off, pseudonymous, named
}

public struct PrivacyConfig: Sendable, Equatable {
    public var employeeFigures: EmployeeFigures = .off
    public init() {}
}
