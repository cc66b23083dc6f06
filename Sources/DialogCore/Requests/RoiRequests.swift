/// `roi` (the daemon's `RoiCommand`): the shared query arguments and `by`, a grouping.
public struct RoiRequest: CommandRequest {
    public static let name = "roi"
    public static let argumentNames: Set<String> = RoiQueryArguments.names.union(["by"])
    public var query: RoiQuery

    public init(_ arguments: CommandArguments) throws(ControlError) {
        query = try RoiQueryArguments.query(arguments)
        if let by = try arguments.string("by") {
            guard let grouping = RoiQuery.Grouping(rawValue: by.lowercased()) else {
                throw .badArgument("by must be one of \(RoiQuery.Grouping.allCases.map(\.rawValue).joined(separator: ", ")), not \"\(by)\"")
            }
            query.groupBy = grouping
        }
    }
}

/// `kpi`: the shared query arguments.
public struct KpiRequest: CommandRequest {
    public static let name = "kpi"
    public static let argumentNames = RoiQueryArguments.names
    public var query: RoiQuery

    public init(_ arguments: CommandArguments) throws(ControlError) {
        query = try RoiQueryArguments.query(arguments)
    }
}

/// `pyramid`: the shared query arguments and `by` (`site`).
public struct PyramidRequest: CommandRequest {
    public static let name = "pyramid"
    public static let argumentNames = RoiQueryArguments.names.union(["by"])
    public var query: RoiQuery
    public var bySite = false

    public init(_ arguments: CommandArguments) throws(ControlError) {
        query = try RoiQueryArguments.query(arguments)
        if let by = try arguments.string("by") {
            guard by.lowercased() == "site" else { throw .badArgument("by must be site, not \"\(by)\"") }
            bySite = true
        }
    }
}

/// `labels`: the shared query arguments but `channel_group`.
public struct LabelsRequest: CommandRequest {
    public static let name = "labels"
    /// Channel groups are a query-time sum of `roi`, not a filter of stored rows.
    public static let argumentNames = RoiQueryArguments.names.subtracting(["channel_group"])
    public let query: RoiQuery

    public init(_ arguments: CommandArguments) throws(ControlError) {
        query = try RoiQueryArguments.query(arguments)
    }
}

/// `export`: the shared query arguments but `channel_group`, and the paging ones (ExportCommand).
public struct ExportRequest: CommandRequest {
    public static let name = "export"
    /// Channel groups are a query-time sum of `roi`, not a filter of stored rows.
    public static let argumentNames = RoiQueryArguments.names.subtracting(["channel_group"])
        .union(["after", "limit", "after_revision", "after_site", "by", "orders"])

    public let query: RoiQuery
    public let after: Int64
    /// `after` as given: an incremental export's first page has none.
    public let afterRow: Int64?
    public let limit: Int
    public let afterRevision: Int64?
    public private(set) var afterSite: String?
    public private(set) var bySite = false
    /// `orders`: a page of the orders dated in the window instead of conversations.
    public private(set) var orders = false

    public init(_ arguments: CommandArguments) throws(ControlError) {
        query = try RoiQueryArguments.query(arguments)
        afterRow = try arguments.integer("after", in: 0...Int64.max)
        after = afterRow ?? 0
        limit = Int(try arguments.integer("limit", in: 1...1000) ?? 500)
        afterRevision = try arguments.integer("after_revision", in: 0...Int64.max)
        if let by = try arguments.string("by") {
            guard by == "site" else { throw .badArgument("by must be site, not \"\(by)\"") }
            guard afterRevision == nil else { throw .badArgument("by site and after_revision do not go together: increments come in revision order") }
            bySite = true
            afterSite = try arguments.string("after_site")
        }
        if let orders = try arguments.string("orders") {
            guard orders == "true" else { throw .badArgument("orders must be \"true\" when given, not \"\(orders)\"") }
            guard afterRevision == nil, !bySite else { throw .badArgument("orders go with a window, not with after_revision or by") }
            self.orders = true
        }
    }
}
