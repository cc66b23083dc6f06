import DialogCore
import Foundation

/// The window and filter options `roi`, `kpi` and `pyramid` share, validated before sending.
struct RoiOptions {
    static let help = """
          --window <span>         How far back, ending with the current hour: any Nh, Nd or Nw
                                  (24h, 36h, 7d, 14d, 2w, 90d, 365d) or all. (default: 30d)
          --since <time>          Explicit start instead of --window: a date as in records (2026-11-01,
                                  01.11.2026, 28.11.26, 2026-11-01T08:00:00Z; without an offset in
                                  [records] timezone), an age such as 14d or 36h, or Unix seconds.
                                  Widened to whole hours.
          --until <time>          Explicit end (same forms; default: the end of the current hour).
          --department <name>     Only this department (unassigned for none).
          --channel <name>        Only this channel (email, phone, chat, …).
          --channel-group <name>  Only the channels of this [channel.NAME] group (social, direct,
                                  other for channels without one).
          --employee <name>       Only this employee (needs [privacy] employee_figures = named).
          --outcome <name>        Only this outcome (unclassified for none).
          --site <name>           Only the records of this site ([site] id; a central daemon holds
                                  many, README "Many sites").
        """

    private(set) var args: [String: ArgumentValue] = [:]

    /// Takes the option if it is one of these; false when it is not.
    mutating func take(_ name: String, _ inline: String?, _ arguments: inout ArgumentCursor, now: Int64) throws(UsageError) -> Bool {
        switch name {
        case "--window":
            let value = try arguments.value(of: name, inline: inline)
            guard let window = RoiQuery.Window(rawValue: value) else {
                throw arguments.error("--window '\(value)' must be \(RoiQuery.Window.forms)")
            }
            args["window"] = .string(window.rawValue)
        case "--since", "--until":
            let text = try arguments.value(of: name, inline: inline)
            args[String(name.dropFirst(2))] = try ArgumentValues.time(text, option: name, now: now, cursor: arguments)
        case "--department", "--channel", "--employee", "--outcome", "--channel-group":
            let value = try arguments.value(of: name, inline: inline)
            guard !value.isEmpty else { throw arguments.error("\(name) must not be empty") }
            args[String(name.dropFirst(2)).replacingOccurrences(of: "-", with: "_")] = .string(value)
        case "--site":
            args["site"] = .string(try ArgumentValues.site(try arguments.value(of: name, inline: inline), option: name, cursor: arguments))
        default:
            return false
        }
        return true
    }

    /// Checks that the options fit together, once all are read.
    func validate(_ arguments: ArgumentCursor) throws(UsageError) {
        if args["window"] != nil, args["since"] != nil || args["until"] != nil {
            throw arguments.error("give either --window or --since/--until, not both")
        }
        if ArgumentValues.ordered(args["since"], args["until"]) == false {
            throw arguments.error("--since must be before --until")
        }
    }

    /// Parses every remaining option with `extra` for the command's own ones.
    static func parse(_ arguments: inout ArgumentCursor,
                      extra: (String, String?, inout ArgumentCursor) throws(UsageError) -> Bool = { _, _, _ in false }) throws(UsageError) -> RoiOptions {
        var options = RoiOptions()
        let now = Int64(Date().timeIntervalSince1970)
        while let token = arguments.next() {
            guard case .option(let name, let inline) = token else { throw arguments.unexpected(token) }
            if try options.take(name, inline, &arguments, now: now) { continue }
            if try extra(name, inline, &arguments) { continue }
            throw arguments.unexpected(token)
        }
        try options.validate(arguments)
        return options
    }

    mutating func set(_ name: String, _ value: ArgumentValue) { args[name] = value }

    /// Whether a filter beyond the time range was given (department, channel, site, …).
    var hasFilters: Bool { !Set(args.keys).subtracting(["window", "since", "until"]).isEmpty }
}
