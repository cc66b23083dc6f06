/// `list` (the daemon's `ListCommand` says what each argument selects).
public struct ListRequest: CommandRequest {
    public static let name = "list"
    public static let argumentNames: Set<String> = ["since", "until", "employee", "channel", "department", "outcome", "site", "by", "customer", "thread", "limit", "order"]
    public static let maxLimit: Int64 = 1000

    public let since: Int64?, until: Int64?
    public let employee: String?, channel: String?, department: String?, outcome: String?, site: String?
    public private(set) var bySite = false
    public let customer: String?, thread: String?
    public let limit: Int
    /// An order number or key: the conversations it credited (with `limit` only).
    public let order: String?

    public init(_ arguments: CommandArguments) throws(ControlError) {
        since = try RoiQueryArguments.time(arguments, "since")
        until = try RoiQueryArguments.time(arguments, "until")
        employee = try arguments.string("employee")
        channel = try arguments.string("channel")?.lowercased()
        department = try arguments.string("department")?.lowercased()
        outcome = try arguments.string("outcome")?.lowercased()
        site = try RoiQueryArguments.site(arguments)
        limit = Int(try arguments.integer("limit", in: 1...Self.maxLimit) ?? 50)
        if let by = try arguments.string("by") {
            guard by == "site" else { throw .badArgument("by must be site, not \"\(by)\"") }
            bySite = true
        }
        customer = try arguments.string("customer")
        thread = try arguments.string("thread")
        order = try arguments.string("order")
        if order != nil, Set(arguments.values.keys).subtracting(["order", "limit"]).isEmpty == false {
            throw .badArgument("order lists one order's touches; it takes only limit")
        }
        if let since, let until, since >= until {
            throw .badArgument("since must be before until")
        }
    }
}

/// `show`: `key`, a record key.
public struct ShowRequest: CommandRequest {
    public static let name = "show"
    public static let argumentNames: Set<String> = ["key"]
    public let key: String

    public init(_ arguments: CommandArguments) throws(ControlError) {
        key = try arguments.requiredString("key")
    }
}

/// `classify`: `text`, and optionally `subject` and `satisfaction` (1…5).
public struct ClassifyRequest: CommandRequest {
    public static let name = "classify"
    public static let argumentNames: Set<String> = ["text", "subject", "satisfaction"]
    public let text: String
    public let subject: String?
    public let satisfaction: Int?

    public init(_ arguments: CommandArguments) throws(ControlError) {
        text = try arguments.requiredString("text")
        subject = try arguments.string("subject")
        satisfaction = try arguments.integer("satisfaction", in: 1...5).map { Int($0) }
    }
}

/// `review`: `limit` (1…1000, default 20).
public struct ReviewRequest: CommandRequest {
    public static let name = "review"
    public static let argumentNames: Set<String> = ["limit"]
    public let limit: Int

    public init(_ arguments: CommandArguments) throws(ControlError) {
        limit = Int(try arguments.integer("limit", in: 1...1000) ?? 20)
    }
}

/// `relabel`: `id` (row id) and at least one of `department`, `outcome`, `sentiment`.
public struct RelabelRequest: CommandRequest {
    public static let name = "relabel"
    public static let argumentNames: Set<String> = ["id", "department", "outcome", "sentiment"]
    public let id: Int64
    public let changes: [Dimension: String]

    public init(_ arguments: CommandArguments) throws(ControlError) {
        guard let id = try arguments.integer("id", in: 1...Int64.max) else { throw .badArgument("id is required (the row id from list or review)") }
        self.id = id
        var changes: [Dimension: String] = [:]
        for dimension in Dimension.allCases {
            guard let raw = try arguments.string(dimension.rawValue) else { continue }
            let label = FieldValues.label(raw)
            guard !label.isEmpty, label != LabelDecision.unclassified, label.utf8.count <= 64 else {
                throw .badArgument("\(dimension.rawValue) must be a label name, not \"\(raw)\"")
            }
            if dimension == .sentiment, !["positive", "neutral", "negative"].contains(label) {
                throw .badArgument("sentiment must be positive, neutral or negative, not \"\(raw)\"")
            }
            changes[dimension] = label
        }
        guard !changes.isEmpty else { throw .badArgument("give at least one of department, outcome, sentiment") }
        self.changes = changes
    }
}
