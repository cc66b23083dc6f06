/// How employees appear in figures under `[privacy] employee_figures`.
public struct EmployeeLabeler: Sendable {
    public let mode: EmployeeFigures
    /// Secret of this installation (kept in the store), so labels cannot be recomputed from names.
    public let key: String

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
        case .pseudonymous: return "emp-" + String(SHA256.hex(key + "\u{0}" + employee).prefix(10))
        }
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
