import CSQLite

/// SQLite's "transient" destructor: SQLite copies the bytes before the bind call returns.
/// It does not import from the C macro; binding Swift strings with STATIC would be a use-after-free.
let sqliteTransient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

/// A Swift type that can be bound to a statement parameter and read from a result column.
///
/// Non-optional readers of a NULL column get SQLite's conversion (0, "", []); read an
/// `Optional` to tell NULL apart.
public protocol SQLValue {
    /// Binds `self` at 1-based parameter `index`; returns the SQLite result code.
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32
    /// Reads 0-based column `index` of the current row.
    static func read(from statement: OpaquePointer, at index: Int32) -> Self
}

extension Int64: SQLValue {
    public func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        sqlite3_bind_int64(statement, index, self)
    }
    public static func read(from statement: OpaquePointer, at index: Int32) -> Int64 {
        sqlite3_column_int64(statement, index)
    }
}

extension Int: SQLValue {
    public func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        sqlite3_bind_int64(statement, index, Int64(self))
    }
    public static func read(from statement: OpaquePointer, at index: Int32) -> Int {
        Int(sqlite3_column_int64(statement, index))
    }
}

extension Int32: SQLValue {
    public func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        sqlite3_bind_int64(statement, index, Int64(self))
    }
    /// Values outside Int32 are clamped rather than trapping on a corrupt or foreign row.
    public static func read(from statement: OpaquePointer, at index: Int32) -> Int32 {
        Int32(clamping: sqlite3_column_int64(statement, index))
    }
}

extension Bool: SQLValue {
    public func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        sqlite3_bind_int64(statement, index, self ? 1 : 0)
    }
    public static func read(from statement: OpaquePointer, at index: Int32) -> Bool {
        sqlite3_column_int64(statement, index) != 0
    }
}

extension Double: SQLValue {
    public func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        sqlite3_bind_double(statement, index, self)
    }
    public static func read(from statement: OpaquePointer, at index: Int32) -> Double {
        sqlite3_column_double(statement, index)
    }
}

extension String: SQLValue {
    /// Binds the exact UTF-8 bytes (embedded NULs included) with SQLITE_TRANSIENT.
    public func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        var copy = self
        return copy.withUTF8 { utf8 in
            // A nil pointer would bind NULL: give the empty string a real (empty) buffer.
            guard let base = utf8.baseAddress, utf8.count > 0 else {
                return sqlite3_bind_text(statement, index, "", 0, sqliteTransient)
            }
            return base.withMemoryRebound(to: CChar.self, capacity: utf8.count) { chars in
                sqlite3_bind_text64(statement, index, chars, sqlite3_uint64(utf8.count), sqliteTransient, UInt8(SQLITE_UTF8))
            }
        }
    }
    /// Reads by byte count, not up to the first NUL, so embedded NULs survive.
    public static func read(from statement: OpaquePointer, at index: Int32) -> String {
        guard let text = sqlite3_column_text(statement, index) else { return "" }
        let count = Int(sqlite3_column_bytes(statement, index))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }
}

extension Array: SQLValue where Element == UInt8 {
    /// Binds a BLOB; an empty array is an empty BLOB, not NULL.
    public func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress, bytes.count > 0 else {
                return sqlite3_bind_zeroblob(statement, index, 0)
            }
            return sqlite3_bind_blob64(statement, index, base, sqlite3_uint64(bytes.count), sqliteTransient)
        }
    }
    public static func read(from statement: OpaquePointer, at index: Int32) -> [UInt8] {
        guard let blob = sqlite3_column_blob(statement, index) else { return [] }
        let count = Int(sqlite3_column_bytes(statement, index))
        return Array(UnsafeRawBufferPointer(start: blob, count: count))
    }
}

extension Optional: SQLValue where Wrapped: SQLValue {
    /// `nil` binds NULL.
    public func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        switch self {
        case .none: return sqlite3_bind_null(statement, index)
        case .some(let value): return value.bind(to: statement, at: index)
        }
    }
    /// NULL reads as `nil`.
    public static func read(from statement: OpaquePointer, at index: Int32) -> Wrapped? {
        if sqlite3_column_type(statement, index) == SQLITE_NULL { return nil }
        return Wrapped.read(from: statement, at: index)
    }
}
