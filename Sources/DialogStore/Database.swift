import CSQLite

/// One SQLite connection, used from one isolation domain at a time (it is not `Sendable`).
///
/// Opened with extended result codes and a busy timeout; keeps a cache of prepared
/// statements keyed by SQL; closes with `sqlite3_close_v2` in deinit, or checked with `close()`.
public final class Database {
    /// Process-wide SQLite settings, applied once before the first connection initializes the
    /// library: no memory statistics (nothing reads them; each malloc would take a global mutex).
    /// `SQLITE_MISUSE` would mean the library was initialized before: slower, not wrong.
    static let processSettings: Int32 = dialogd_sqlite3_config_memstatus(0)

    /// `sqlite3_open_v2` flags.
    public struct OpenFlags: OptionSet, Sendable {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }
        public static let readOnly = OpenFlags(rawValue: SQLITE_OPEN_READONLY)
        public static let readWrite = OpenFlags(rawValue: SQLITE_OPEN_READWRITE)
        public static let create = OpenFlags(rawValue: SQLITE_OPEN_CREATE)
        /// No per-call mutex: safe because a `Database` is never shared across threads at once.
        public static let noMutex = OpenFlags(rawValue: SQLITE_OPEN_NOMUTEX)
        /// Refuse a symlink as the database path.
        public static let noFollow = OpenFlags(rawValue: SQLITE_OPEN_NOFOLLOW)
        public static let `default`: OpenFlags = [.readWrite, .create, .noMutex]
    }

    public let path: String
    private var connection: OpaquePointer?
    private var statementCache: [String: Statement] = [:]

    /// Opens (and with `.create`, creates) the database file at `path`.
    public init(path: String, flags: OpenFlags = .default, busyTimeoutMilliseconds: Int32 = 5000) throws {
        _ = Database.processSettings
        var handle: OpaquePointer?
        let code = sqlite3_open_v2(path, &handle, flags.rawValue, nil)
        guard code == SQLITE_OK, let handle else {
            let error = DatabaseError.from(connection: handle, code: code, sql: nil)
            sqlite3_close(handle) // a failed open still allocates a handle (nil is a no-op)
            throw DatabaseError(resultCode: error.resultCode, message: "cannot open \(path): \(error.message)")
        }
        self.path = path
        self.connection = handle
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
    }

    deinit {
        statementCache.removeAll()
        if let connection { sqlite3_close_v2(connection) }
    }

    /// The open connection, or an error once `close()` has run.
    func handle() throws -> OpaquePointer {
        guard let connection else { throw DatabaseError.misuse("the database \(path) is closed") }
        return connection
    }

    /// Closes now, failing (and staying open) while statements outside the cache are alive,
    /// so a leaked statement shows up as an error instead of a zombie connection.
    public func close() throws {
        guard let connection else { return }
        statementCache.removeAll()
        let code = sqlite3_close(connection)
        guard code == SQLITE_OK else {
            throw DatabaseError.from(connection: connection, code: code, sql: nil)
        }
        self.connection = nil
    }

    public var isClosed: Bool { connection == nil }

    // MARK: Statements

    /// Runs one or more `;`-separated statements without results (DDL, pragmas, BEGIN…).
    public func execute(_ sql: String) throws {
        let connection = try handle()
        var errorMessage: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(connection, sql, nil, nil, &errorMessage)
        guard code == SQLITE_OK else {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(connection))
            sqlite3_free(errorMessage)
            throw DatabaseError(resultCode: sqlite3_extended_errcode(connection), message: message, sql: sql)
        }
    }

    /// Runs one statement with positional arguments, through the statement cache.
    public func execute(_ sql: String, arguments: [(any SQLValue)?]) throws {
        let statement = try cachedStatement(sql)
        defer { statement.clearBindings() }
        try statement.bind(arguments: arguments)
        try statement.execute()
    }

    /// A new statement owned by the caller; finalized when the caller drops it. `persistent`:
    /// kept for the connection's life (SQLite then leaves its lookaside memory to running statements).
    public func prepare(_ sql: String, persistent: Bool = false) throws -> Statement {
        try Statement(connection: handle(), sql: sql, persistent: persistent)
    }

    /// The cached statement for `sql`, prepared on first use; handed out reset with cleared bindings.
    /// Do not hold it across another use of the same SQL.
    public func cachedStatement(_ sql: String) throws -> Statement {
        if let statement = statementCache[sql] {
            statement.reset()
            statement.clearBindings()
            return statement
        }
        let statement = try Statement(connection: handle(), sql: sql, persistent: true)
        statementCache[sql] = statement
        return statement
    }

    /// Decodes every row of `sql` (cached statement).
    public func fetchAll<T>(_ sql: String, arguments: [(any SQLValue)?] = [], _ decode: (Row) throws -> T) throws -> [T] {
        let statement = try cachedStatement(sql)
        defer { statement.clearBindings() }
        try statement.bind(arguments: arguments)
        return try statement.fetchAll(decode)
    }

    /// Decodes the first row of `sql`, if any (cached statement).
    public func fetchOne<T>(_ sql: String, arguments: [(any SQLValue)?] = [], _ decode: (Row) throws -> T) throws -> T? {
        let statement = try cachedStatement(sql)
        defer { statement.clearBindings() }
        try statement.bind(arguments: arguments)
        return try statement.fetchOne(decode)
    }

    /// The first column of the first row of `sql` as `V` (`nil` when there is no row).
    public func scalar<V: SQLValue>(_ sql: String, arguments: [(any SQLValue)?] = [], as type: V.Type = V.self) throws -> V? {
        try fetchOne(sql, arguments: arguments) { row in row[0] as V }
    }

    // MARK: Connection state

    /// Rowid of the most recent successful INSERT on this connection.
    public var lastInsertRowID: Int64 { connection.map { sqlite3_last_insert_rowid($0) } ?? 0 }

    /// Rows changed by the most recent INSERT/UPDATE/DELETE.
    public var changes: Int { connection.map { Int(sqlite3_changes($0)) } ?? 0 }

    /// Rows changed since the connection opened.
    public var totalChanges: Int { connection.map { Int(sqlite3_total_changes($0)) } ?? 0 }

    /// Whether a transaction is open (SQLite is not in autocommit mode).
    public var isInTransaction: Bool { connection.map { sqlite3_get_autocommit($0) == 0 } ?? false }

    /// Number of statements in the cache (for tests and diagnostics).
    public var cachedStatementCount: Int { statementCache.count }
}
