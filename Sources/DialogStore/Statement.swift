import CSQLite

/// One prepared SQL statement: compiled once, bound and stepped many times, finalized in deinit.
///
/// Parameters are 1-based (as in SQLite), result columns 0-based (as in SQLite). A statement
/// never outlives its SQLite connection's memory: `Database` closes with `sqlite3_close_v2`,
/// which keeps the connection alive as a zombie until the last statement is finalized.
public final class Statement {
    public let sql: String
    let handle: OpaquePointer

    /// Compiles exactly one statement; trailing SQL other than whitespace and `;` is an error.
    init(connection: OpaquePointer, sql: String, persistent: Bool) throws {
        var statement: OpaquePointer?
        var trailing = ""
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let code = sql.withCString { start -> Int32 in
            var tail: UnsafePointer<CChar>?
            let code = sqlite3_prepare_v3(connection, start, -1, flags, &statement, &tail)
            if code == SQLITE_OK, let tail { trailing = String(cString: tail) }
            return code
        }
        guard code == SQLITE_OK else {
            sqlite3_finalize(statement)
            throw DatabaseError.from(connection: connection, code: code, sql: sql)
        }
        guard let statement else {
            throw DatabaseError.misuse("prepare(): the SQL holds no statement", sql: sql)
        }
        if trailing.contains(where: { !$0.isWhitespace && $0 != ";" }) {
            sqlite3_finalize(statement)
            throw DatabaseError.misuse("prepare(): the SQL holds more than one statement; use execute(_:)", sql: sql)
        }
        self.sql = sql
        self.handle = statement
    }

    deinit {
        sqlite3_finalize(handle)
    }

    public var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }
    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    public func columnName(at index: Int) -> String {
        sqlite3_column_name(handle, Int32(index)).map { String(cString: $0) } ?? ""
    }

    // MARK: Binding

    /// Binds `value` at the 1-based parameter `index`; an `Optional` that is `nil` binds NULL.
    public func bind<V: SQLValue>(_ value: V, at index: Int) throws {
        try check(value.bind(to: handle, at: Int32(index)))
    }

    /// Binds `value` to a named parameter, written with its prefix (`:key`, `@key`, `$key`).
    public func bind<V: SQLValue>(_ value: V, named name: String) throws {
        try bind(value, at: try parameterIndex(named: name))
    }

    public func bindNull(at index: Int) throws {
        try check(sqlite3_bind_null(handle, Int32(index)))
    }

    /// Binds positional arguments 1…n; their number must match the statement's parameters.
    public func bind(arguments: [(any SQLValue)?]) throws {
        guard arguments.count == parameterCount else {
            throw DatabaseError.misuse("expected \(parameterCount) arguments, got \(arguments.count)", sql: sql)
        }
        for (offset, argument) in arguments.enumerated() {
            if let argument {
                try bind(argument, at: offset + 1)
            } else {
                try bindNull(at: offset + 1)
            }
        }
    }

    /// Binds named arguments; every name must exist in the statement.
    public func bind(named arguments: [String: (any SQLValue)?]) throws {
        for (name, argument) in arguments {
            let index = try parameterIndex(named: name)
            if let argument {
                try bind(argument, at: index)
            } else {
                try bindNull(at: index)
            }
        }
    }

    public func parameterIndex(named name: String) throws -> Int {
        let index = Int(sqlite3_bind_parameter_index(handle, name))
        guard index > 0 else {
            throw DatabaseError.misuse("no parameter named \(name)", sql: sql)
        }
        return index
    }

    /// Makes the statement ready to run again; bindings are kept (see `clearBindings`).
    public func reset() {
        // The code repeats the last step's error, which was already thrown by `step()`.
        _ = sqlite3_reset(handle)
    }

    /// Sets every parameter back to NULL.
    public func clearBindings() {
        _ = sqlite3_clear_bindings(handle)
    }

    // MARK: Running

    /// Advances to the next row: `true` when `row` holds one, `false` when the statement is done.
    public func step() throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw DatabaseError.from(connection: sqlite3_db_handle(handle), code: code, sql: sql)
        }
    }

    /// The current row; valid between a `step()` that returned `true` and the next step or reset.
    public var row: Row { Row(statement: handle) }

    /// Runs the statement to completion with its current bindings, then resets it.
    public func execute() throws {
        defer { reset() }
        while try step() {}
    }

    /// Runs the statement and decodes every row, then resets it.
    public func fetchAll<T>(_ decode: (Row) throws -> T) throws -> [T] {
        defer { reset() }
        var rows: [T] = []
        while try step() { rows.append(try decode(row)) }
        return rows
    }

    /// Runs the statement and decodes the first row, if any, then resets it.
    public func fetchOne<T>(_ decode: (Row) throws -> T) throws -> T? {
        defer { reset() }
        return try step() ? try decode(row) : nil
    }

    func check(_ code: Int32) throws {
        guard code == SQLITE_OK else {
            throw DatabaseError.from(connection: sqlite3_db_handle(handle), code: code, sql: sql)
        }
    }
}
