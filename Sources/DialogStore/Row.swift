import CSQLite

/// A view of the current result row of a statement. Do not keep it past the next step.
public struct Row {
    let statement: OpaquePointer

    public var count: Int { Int(sqlite3_column_count(statement)) }

    /// The value of 0-based column `index`: `let name: String? = row[2]`.
    public subscript<V: SQLValue>(_ index: Int) -> V {
        V.read(from: statement, at: Int32(index))
    }

    public func isNull(_ index: Int) -> Bool {
        sqlite3_column_type(statement, Int32(index)) == SQLITE_NULL
    }
}
