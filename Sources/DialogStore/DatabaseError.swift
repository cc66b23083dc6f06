import CSQLite

/// The one error the store throws: an SQLite result code (extended), SQLite's message and
/// the SQL that failed, so a log line alone tells an administrator what went wrong.
public struct DatabaseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Extended result code, e.g. 2067 (SQLITE_CONSTRAINT_UNIQUE); see `primaryResultCode`.
    public let resultCode: Int32
    public let message: String
    /// The statement that failed, when one did.
    public let sql: String?

    public init(resultCode: Int32, message: String, sql: String? = nil) {
        self.resultCode = resultCode
        self.message = message
        self.sql = sql
    }

    /// The primary code (low byte), e.g. SQLITE_CONSTRAINT for every constraint variant.
    public var primaryResultCode: Int32 { resultCode & 0xff }

    /// SQLite's English name for the code ("database disk image is malformed", …).
    public var codeDescription: String { String(cString: sqlite3_errstr(resultCode)) }

    public var description: String {
        var text = "SQLite error \(resultCode) (\(codeDescription)): \(message)"
        if let sql { text += " — in: \(sql)" }
        return text
    }

    /// The current error of a connection, with the result code SQLite returned.
    static func from(connection: OpaquePointer?, code: Int32, sql: String?) -> DatabaseError {
        let message: String
        if let connection, let cMessage = sqlite3_errmsg(connection) {
            message = String(cString: cMessage)
        } else {
            message = String(cString: sqlite3_errstr(code))
        }
        return DatabaseError(resultCode: code, message: message, sql: sql)
    }

    /// Misuse of the wrapper itself (closed database, nested transaction, unknown parameter).
    static func misuse(_ message: String, sql: String? = nil) -> DatabaseError {
        DatabaseError(resultCode: SQLITE_MISUSE, message: message, sql: sql)
    }
}
