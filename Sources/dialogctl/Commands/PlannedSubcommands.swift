import DialogCore
import Foundation

/// `roi`: DESIGN §6's figures per window. The daemon side arrives with the ROI engine; until
/// then the daemon answers `unavailable` and this prints the raw result.
struct RoiSubcommand: Subcommand {
    static let name = "roi"
    static let abstract = "Show value, cost, net and ROI per group over a window (needs the ROI engine)."
    static let usage = "dialogctl roi [--window <span>] [--by <dimension>] [--json]"
    static let options = """
          --window <span>         How far back: 30d, 12w, 24h. (default: 30d)
          --by <dimension>        Group rows by department, channel, employee or outcome. (default: department)
        """

    private var args: [String: ArgumentValue] = [:]

    init(_ arguments: inout ArgumentCursor) throws(UsageError) {
        while let token = arguments.next() {
            guard case .option(let name, let inline) = token else { throw arguments.unexpected(token) }
            switch name {
            case "--window":
                let value = try arguments.value(of: name, inline: inline)
                guard let unit = value.last, "hdw".contains(unit), let amount = Int(value.dropLast()), amount > 0 else {
                    throw arguments.error("--window '\(value)' is not a span such as 30d, 12w or 24h")
                }
                args["window"] = .string(value)
            case "--by":
                let value = try arguments.value(of: name, inline: inline)
                guard ["department", "channel", "employee", "outcome"].contains(value) else {
                    throw arguments.error("--by '\(value)' must be department, channel, employee or outcome")
                }
                args["by"] = .string(value)
            default:
                throw arguments.unexpected(token)
            }
        }
    }

    var request: ControlRequest { ControlRequest(command: "roi", args: args) }

    func render(_ result: Data) throws -> String { String(decoding: result, as: UTF8.self) }
}

/// Commands of DESIGN §6 whose daemon side is not built yet and that take no options so far.
struct PlannedSubcommand<Name: PlannedName>: Subcommand {
    static var name: String { Name.name }
    static var abstract: String { Name.abstract }
    static var usage: String { "dialogctl \(Name.name) [--json]" }

    init(_ arguments: inout ArgumentCursor) throws(UsageError) { try arguments.expectEnd() }

    var request: ControlRequest { ControlRequest(command: Name.name) }

    func render(_ result: Data) throws -> String { String(decoding: result, as: UTF8.self) }
}

protocol PlannedName {
    static var name: String { get }
    static var abstract: String { get }
}

enum Pyramid: PlannedName {
    static let name = "pyramid"
    static let abstract = "Show the value pyramid of outcomes (needs the ROI engine)."
}

enum Kpi: PlannedName {
    static let name = "kpi"
    static let abstract = "Show key figures per employee (needs the ROI engine)."
}

enum Recompute: PlannedName {
    static let name = "recompute"
    static let abstract = "Recompute stored valuations after a config change (admin; needs the ROI engine)."
}
