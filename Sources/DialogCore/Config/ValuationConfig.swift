/// The valuation part of the configuration (docs/roi.md): what an hour of each department costs,
/// what each outcome is worth, how long a conversation on each channel takes when not logged.
/// Money is integer cents of `records.currency`; durations are seconds.
public struct ValuationConfig: Sendable, Equatable {
    public struct Department: Sendable, Equatable {
        /// Loaded cost of one employee hour in this department, cents.
        public var hourlyCostCents: Int64
        /// Other spellings writers use (`Vertrieb`), as configured; matched by `LabelVocabulary`.
        public var aliases: [String]
        public init(hourlyCostCents: Int64, aliases: [String] = []) {
            self.hourlyCostCents = hourlyCostCents
            self.aliases = aliases
        }
    }

    public struct Outcome: Sendable, Equatable {
        /// The department this outcome belongs to; `nil` = any department (e.g. `complaint`).
        public var department: String?
        /// Value of a conversation with this outcome when the record states none, cents.
        public var valueCents: Int64
        /// One line for reports and docs: what the outcome means.
        public var meaning: String
        /// Other spellings writers use (`gewonnen`, `gelöst`), as configured.
        public var aliases: [String]
        /// Chance that the outcome turns into the money, in basis points (10000 = 1): a lead is
        /// an offer, not a sale, so its value counts as value × probability (expected value).
        public var probabilityBasisPoints: Int64
        public init(department: String?, valueCents: Int64, meaning: String, aliases: [String] = [], probabilityBasisPoints: Int64 = 10_000) {
            self.department = department
            self.valueCents = valueCents
            self.meaning = meaning
            self.aliases = aliases
            self.probabilityBasisPoints = probabilityBasisPoints
        }
    }

    public struct Channel: Sendable, Equatable {
        /// Other spellings writers use (`x`, `tweet`), lowercased.
        public var aliases: [String]
        /// Employee time assumed when a record logs none; `nil` = the global default.
        public var defaultDurationSeconds: Int64?
        /// The channel group it is compared in (`social`, `direct`); `nil` = `other`.
        public var group: String?
        public init(aliases: [String] = [], defaultDurationSeconds: Int64? = nil, group: String? = nil) {
            self.aliases = aliases
            self.defaultDurationSeconds = defaultDurationSeconds
            self.group = group
        }
    }

    public var departments: [String: Department] = [
        "sales": Department(hourlyCostCents: 55_00, aliases: ["vertrieb", "verkauf"]),
        "marketing": Department(hourlyCostCents: 50_00, aliases: ["werbung", "kommunikation", "pr"]),
        "service": Department(hourlyCostCents: 40_00, aliases: ["kundendienst", "kundenservice", "support", "kundenbetreuung", "customer service"]),
        "product": Department(hourlyCostCents: 60_00, aliases: ["produktentwicklung", "produkt", "entwicklung", "product development"]),
    ]

    public var outcomes: [String: Outcome] = [
        "won": Outcome(department: "sales", valueCents: 500_00, meaning: "a sale was closed in or because of the conversation",
                       aliases: ["gewonnen", "abschluss", "auftrag", "sale", "deal"]),
        "lead": Outcome(department: "sales", valueCents: 80_00, meaning: "a qualified sales lead was handed on",
                        aliases: ["interessent", "verkaufschance", "opportunity"], probabilityBasisPoints: 2_000),
        "lost": Outcome(department: "sales", valueCents: 0, meaning: "the customer decided against buying", aliases: ["verloren", "absage"]),
        "engaged": Outcome(department: "marketing", valueCents: 5_00, meaning: "a prospect or customer engaged with content or the brand",
                           aliases: ["interaktion", "engagement", "reaktion"]),
        "advocacy": Outcome(department: "marketing", valueCents: 40_00, meaning: "a customer recommended us publicly",
                            aliases: ["empfehlung", "weiterempfehlung", "recommendation", "referral"]),
        "resolved": Outcome(department: "service", valueCents: 30_00, meaning: "the customer's problem was solved in the conversation",
                            aliases: ["gelöst", "erledigt", "solved", "fixed"]),
        "escalated": Outcome(department: "service", valueCents: 5_00, meaning: "handed to a second-level team with the case prepared",
                             aliases: ["eskaliert", "weitergeleitet", "escalation"]),
        "unresolved": Outcome(department: "service", valueCents: 0, meaning: "the problem remained open",
                              aliases: ["ungelöst", "offen", "open", "not resolved"]),
        "idea": Outcome(department: "product", valueCents: 50_00, meaning: "a product idea was collected",
                        aliases: ["idee", "vorschlag", "suggestion", "feature request"]),
        "bug": Outcome(department: "product", valueCents: 25_00, meaning: "a defect was reported with enough detail to act on",
                       aliases: ["fehler", "defekt", "defect", "error"]),
        "complaint": Outcome(department: nil, valueCents: 0, meaning: "the customer complained", aliases: ["beschwerde", "reklamation"]),
        "churn_risk": Outcome(department: nil, valueCents: 0, meaning: "the customer signalled they may leave",
                              aliases: ["abwanderungsrisiko", "kündigungsrisiko", "churn"]),
        "none": Outcome(department: nil, valueCents: 0, meaning: "no business outcome",
                        aliases: ["kein ergebnis", "ohne", "anfrage", "inquiry", "frage", "question"]),
    ]

    public var channels: [String: Channel] = [
        "twitter": Channel(aliases: ["x", "tweet"], defaultDurationSeconds: 600, group: "social"),
        "facebook": Channel(aliases: ["fb"], defaultDurationSeconds: 600, group: "social"),
        "instagram": Channel(aliases: ["insta", "ig"], defaultDurationSeconds: 600, group: "social"),
        "linkedin": Channel(aliases: ["li"], defaultDurationSeconds: 900, group: "social"),
        "xing": Channel(aliases: [], defaultDurationSeconds: 900, group: "social"),
        "whatsapp": Channel(aliases: [], defaultDurationSeconds: 480, group: "social"),
        "forum": Channel(aliases: ["community", "foren"], defaultDurationSeconds: 900, group: "social"),
        "chat": Channel(aliases: ["live-chat", "livechat", "webchat"], defaultDurationSeconds: 720, group: "direct"),
        "email": Channel(aliases: ["mail", "e-mail"], defaultDurationSeconds: 900, group: "direct"),
        "phone": Channel(aliases: ["telefon", "anruf", "call", "telefonat", "hotline"], defaultDurationSeconds: 720, group: "direct"),
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

    /// The group `channel` is compared in: its configured group, else `other`.
    public func channelGroup(_ channel: String) -> String {
        channels[channel]?.group ?? Self.otherGroup
    }

    /// The group of channels without one (and of `unknown`).
    public static let otherGroup = "other"

    /// The departments the resolution KPIs apply to (docs/roi.md): those a
    /// resolution outcome (`resolved`, `escalated`, `unresolved`) belongs to in the config.
    public var serviceDepartments: Set<String> {
        Set(Self.resolutionOutcomes.compactMap { outcomes[$0]?.department })
    }

    /// The outcomes resolution rate counts: resolved / (resolved + escalated + unresolved).
    public static let resolutionOutcomes = ["resolved", "escalated", "unresolved"]
}

/// Who may see figures per employee. In many companies (German works councils among them)
/// tracking individual performance needs an agreement first, so the default is `off`.
public enum EmployeeFigures: String, Sendable, Equatable, CaseIterable {
    case off, pseudonymous, named
}

public struct PrivacyConfig: Sendable, Equatable {
    public var employeeFigures: EmployeeFigures = .off
    /// What the store keeps of a customer (docs/roi.md "Customers"): a keyed pseudonym by default.
    public var customers: CustomerNames = .pseudonymous
    /// Storage limitation: subject and text of conversations older than this many days are
    /// removed (the figures stay); 0 keeps them.
    public var textDays = 0
    public init() {}
}
