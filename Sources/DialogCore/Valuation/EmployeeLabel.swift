/// How employees appear under `[privacy] employee_figures`, on every path that could name one
/// (ROI figures, `list`, `show`, `export`, `review`, the report): `named` shows the name,
/// `pseudonymous` a stable keyed label, `off` the word `hidden`. Only `named` may filter by
/// employee: a filter by name under a pseudonym would tell who the pseudonym is.
public struct EmployeeLabeler: Sendable {
    public let mode: EmployeeFigures
    /// Secret of this installation (kept in the store), so labels cannot be recomputed from names.
    public let key: String

    /// What every employee shows as while per-employee figures are off.
    public static let hidden = "hidden"

    public init(mode: EmployeeFigures, key: String) {
        self.mode = mode
        self.key = key
    }

    /// `nil` when per-employee figures are off; else the name or its stable pseudonym
    /// (`emp-` + 10 hex digits of SHA-256(key ‖ NUL ‖ name)).
    public func label(_ employee: String) -> String? {
        switch mode {
        case .off: return nil
        case .named: return employee
        case .pseudonymous: return KeyedPseudonym.make(prefix: "emp-", digits: 10, key: key, identity: employee)
        }
    }

    /// The employee as a reply shows it: the label, or `hidden`.
    public func shown(_ employee: String) -> String { label(employee) ?? Self.hidden }

    /// A spool file name as a reply shows it: writers (such as older `dialogctl log`) name
    /// files after people, so only `named` shows it; otherwise empty.
    public func shownFileName(_ name: String) -> String { mode == .named ? name : "" }

    /// Refuses an employee filter unless names are allowed.
    public func checkFilter(_ employee: String?) throws(RoiQueryError) {
        if employee != nil, mode != .named { throw RoiQueryError.filterNeedsNames }
    }
}

/// A query the configuration does not allow or that is malformed; `code` is for the wire.
public struct RoiQueryError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var message: String
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
    public var description: String { message }

    /// Employee grouping while `[privacy] employee_figures = off`.
    public static let figuresOff = RoiQueryError(
        code: "privacy", message: "per-employee figures are off ([privacy] employee_figures = off)")
    /// An employee filter needs real names to match on.
    public static let filterNeedsNames = RoiQueryError(
        code: "privacy", message: "filtering by employee needs [privacy] employee_figures = named")
    /// A grouping that would return more than `RoiQuery.maxRows` rows (docs/protocol.md).
    public static func tooManyRows(_ what: String, _ count: Int64) -> RoiQueryError {
        RoiQueryError(code: "bad_argument", message: "\(what) would return \(count) rows; a reply holds at most \(RoiQuery.maxRows) rows (narrow since/until, add a filter or group coarser)")
    }
}
