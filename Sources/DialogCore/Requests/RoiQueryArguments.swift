import Foundation

/// The arguments `roi`, `kpi` and `pyramid` share: `window` (`Nh`, `Nd`, `Nw` or all, default
/// 30d), `since`/`until` (Unix seconds, or a date in any record form, read in `[records]
/// timezone` when it has no offset), and the filters `department`, `channel`, `employee`,
/// `outcome`, `channel_group`, `site`. Label filters take any spelling of the vocabulary (`Vertrieb` = `sales`).
public enum RoiQueryArguments {
    public static let names: Set<String> = ["window", "since", "until", "department", "channel", "employee", "outcome", "channel_group", "site"]

    public static func query(_ arguments: CommandArguments) throws(ControlError) -> RoiQuery {
        var query = RoiQuery()
        if let text = try arguments.string("window") {
            guard let window = RoiQuery.Window(rawValue: text.lowercased()) else {
                throw .badArgument("window must be \(RoiQuery.Window.forms), not \"\(text)\"")
            }
            query.window = window
        }
        query.since = try time(arguments, "since")
        query.until = try time(arguments, "until")
        if let since = query.since, let until = query.until, since >= until {
            throw .badArgument("since must be before until")
        }
        // Any spelling of the vocabulary is mapped by the reader (`RoiReader.Filters`).
        query.department = try nonEmpty(arguments, "department")?.lowercased()
        query.channel = try nonEmpty(arguments, "channel")?.lowercased()
        query.employee = try nonEmpty(arguments, "employee")
        query.outcome = try nonEmpty(arguments, "outcome")?.lowercased()
        query.channelGroup = try nonEmpty(arguments, "channel_group")?.lowercased()
        query.site = try site(arguments)
        return query
    }

    /// `site`: a site id (`[site] id`), any case.
    public static func site(_ arguments: CommandArguments) throws(ControlError) -> String? {
        guard let text = try nonEmpty(arguments, "site")?.lowercased() else { return nil }
        guard SiteID.isValid(text) else { throw .badArgument("site must be \(SiteID.form), not \"\(text)\"") }
        return text
    }

    /// Unix seconds ±2^40 (beyond any record), as an integer, a digit string, or a date in any
    /// form a record may use (DateParser), read in the daemon's `[records] timezone` when it
    /// has no offset: `2026-11-01` is local midnight, as it is in a record.
    public static func time(_ arguments: CommandArguments, _ name: String) throws(ControlError) -> Int64? {
        let limit: Int64 = 1 << 40
        if case .string(let text)? = arguments.values[name], Int64(text) == nil {
            guard let date = DateParser.parse(text, timeZone: arguments.timeZone), (-limit...limit).contains(date.seconds) else {
                throw .badArgument("\(name) must be Unix seconds or a date like 2026-11-01, 01.11.2026 or 2026-11-01T08:00:00Z, not \"\(text)\"")
            }
            return date.seconds
        }
        return try arguments.integer(name, in: -limit...limit)
    }

    private static func nonEmpty(_ arguments: CommandArguments, _ name: String) throws(ControlError) -> String? {
        guard let value = try arguments.string(name) else { return nil }
        guard !value.isEmpty else { throw .badArgument("\(name) must not be empty") }
        return value
    }
}
