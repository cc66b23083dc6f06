/// What `dialogctl log` writes: the fields an employee gave, rendered as one `.json` record
/// (JSON escaping takes any text) and parsed back with the daemon's own `RecordReader`, so a
/// file that reaches `new/` is one the daemon accepts.
public struct LogEntry: Sendable, Equatable {
    /// Field name (docs/spool.md) → value as typed; empty values are left out.
    public var fields: [(Field, String)]

    public init(_ fields: [(Field, String)]) { self.fields = fields }

    public static func == (a: LogEntry, b: LogEntry) -> Bool {
        a.fields.map(\.0) == b.fields.map(\.0) && a.fields.map(\.1) == b.fields.map(\.1)
    }

    /// The record as a JSON object, fields in the order given.
    public var bytes: [UInt8] {
        let members = fields.filter { !$0.1.isEmpty }.map { JSONMember(key: $0.0.rawValue, value: .string($0.1), line: 0) }
        return Array((JSONValue.object(members).serialized + "\n").utf8)
    }

    /// Parses the rendered record as the daemon will and checks department, outcome and channel
    /// against the vocabulary of `settings` (issue 18): a value the daemon would count as
    /// unassigned is refused here, where the writer can still fix it. `valuation` names the
    /// labels in the message.
    public func validate(settings: ParseSettings, valuation: ValuationConfig?) throws(RecordRejection) -> ConversationRecord {
        let file = try RecordReader(settings: settings).read(bytes, fileName: "log.json")
        if let reject = file.rejects.first { throw reject.rejection }
        guard file.records.count == 1, let record = file.records.first?.record else {
            throw RecordRejection(expected: "exactly one record")
        }
        let names = settings.vocabulary?.names ?? [:]
        func refuse(_ kind: LabelVocabulary.Kind, _ found: String) -> RecordRejection {
            RecordRejection(field: kind.rawValue, expected: "one of " + (names[kind] ?? []).joined(separator: ", ") + " (or an alias of one)", found: found)
        }
        if let d = record.unmatchedDepartment { throw refuse(.department, d) }
        if let o = record.unmatchedOutcome { throw refuse(.outcome, o) }
        if let c = record.unmatchedChannel { throw refuse(.channel, c) }
        // Without a vocabulary (settings built by hand) the configured names still bind.
        if settings.vocabulary == nil, let valuation {
            if let d = record.department, valuation.departments[d] == nil {
                throw RecordRejection(field: "department", expected: "one of " + valuation.departments.keys.sorted().joined(separator: ", "), found: d)
            }
            if let o = record.outcome, valuation.outcomes[o] == nil {
                throw RecordRejection(field: "outcome", expected: "one of " + valuation.outcomes.keys.sorted().joined(separator: ", "), found: o)
            }
        }
        return record
    }

    /// What the daemon will warn about when it reads this entry (e.g. an approximate value),
    /// so the person logging hears it first; empty when there is nothing or it does not parse.
    /// Without the "line 1: " every note of this one-line record would start with.
    public func notes(settings: ParseSettings) -> [String] {
        let warnings = (try? RecordReader(settings: settings).read(bytes, fileName: "log.json").warnings) ?? []
        return warnings.map { $0.hasPrefix("line 1: ") ? String($0.dropFirst("line 1: ".count)) : $0 }
    }

    /// `log-20261128-140500-<suffix>.json`: sortable and unique with the suffix. No employee
    /// name: file names show up in `quarantine`, `status` and the spool to people whom
    /// `[privacy] employee_figures` may not allow to see who logged what.
    public static func fileName(at seconds: Int64, suffix: String) -> String {
        let stamp = RFC3339.string(seconds, offset: 0).filter(\.isNumber).prefix(14)
        return "log-\(stamp.prefix(8))-\(stamp.dropFirst(8))-\(suffix).json"
    }
}
