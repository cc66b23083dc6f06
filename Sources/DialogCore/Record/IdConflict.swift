/// The refusals of a record whose id the store already holds (docs/spool.md "ids, conflicts,
/// amends"): they name the stored record and say what to do, because a writer whose record is
/// refused must be able to put it right without reading the database.
public enum IdConflict {
    /// The stored record a refusal names: its row, date and employee (`nil` when
    /// `[privacy] employee_figures = off`; the pseudonym when `pseudonymous`).
    public struct StoredRecord: Sendable, Equatable {
        public var row: Int64
        public var date: Int64
        public var utcOffsetSeconds: Int32
        public var employee: String?

        public init(row: Int64, date: Int64, utcOffsetSeconds: Int32, employee: String?) {
            self.row = row
            self.date = date
            self.utcOffsetSeconds = utcOffsetSeconds
            self.employee = employee
        }

        var described: String {
            "row \(row) (" + [RFC3339.string(date, offset: utcOffsetSeconds), employee].compactMap { $0 }.joined(separator: ", ") + ")"
        }
    }

    /// Same id, other content: refused, the stored record stays as it is.
    public static func conflict(id: String, line: Int?, stored: StoredRecord, differences: [String]) -> RecordRejection {
        RecordRejection(
            line: line, field: "id", expected: "an id that is not stored yet, or an amend", found: id,
            detail: "\(stored.described) already holds this id with a different \(differences.joined(separator: ", ")); "
                + "to replace it, send this record with \"Amends: \(id)\" "
                + "(an \"amends\" field in .json, .jsonl and .csv; dialogctl amend FILE adds it)")
    }

    /// An amend of an id the store does not hold: refused, nothing is stored.
    public static func unknownAmend(id: String, line: Int?) -> RecordRejection {
        RecordRejection(
            line: line, field: "amends", expected: "the id of a stored record", found: id,
            detail: "no record with this id is stored, so there is nothing to replace; to store it as a new record, send it without \"Amends\"")
    }
}
