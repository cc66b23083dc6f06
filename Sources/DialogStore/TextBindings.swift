import CSQLite
#if canImport(Glibc)
import Glibc
#endif

/// SQLite's "static" destructor: SQLite keeps the pointer and copies nothing; the bytes must
/// stay valid until the parameter is bound again or cleared (`Statement.run(_:_:)` clears them).
let sqliteStatic = unsafeBitCast(OpaquePointer(bitPattern: 0), to: sqlite3_destructor_type.self)

/// The text parameters of one run of a statement, their bytes gathered in one buffer that is
/// reused from run to run and bound without SQLite copying them (`Statement.run`). Binding a
/// Swift string with SQLITE_TRANSIENT costs SQLite a malloc, a copy and a free per text: on the
/// loop's insert path (17 texts a record) that was a tenth of its instructions (issue 17).
public struct TextBindings {
    /// Each text followed by a NUL. Starts with one byte, so the buffer always has a real
    /// (non-nil) address.
    private var bytes: [UInt8] = [0]
    /// Parameter, start in `bytes`, byte count; a count of -1 binds NULL.
    private var spans: [(index: Int32, start: Int, count: Int)] = []

    public init() {}

    /// Gathers `text` for the 1-based parameter `index`; nil binds NULL. Exact UTF-8 bytes,
    /// embedded NULs included (as `String`'s `SQLValue.bind`).
    public mutating func append(_ text: String?, at index: Int) {
        guard let text else {
            spans.append((Int32(index), 0, -1))
            return
        }
        let start = bytes.count
        bytes.append(contentsOf: text.utf8)
        spans.append((Int32(index), start, bytes.count - start))
        // NUL-terminated, so SQLite need not copy a text to terminate it (`withBound`).
        bytes.append(0)
    }

    var isEmpty: Bool { spans.isEmpty }

    /// Forgets the texts, keeping the buffers' capacity for the next run.
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(0)
        spans.removeAll(keepingCapacity: true)
    }

    /// Binds every gathered text with SQLITE_STATIC and runs `body` while the bytes are pinned;
    /// every binding is cleared before they are released, so SQLite never holds a pointer into
    /// memory that may change (the discipline GRDB keeps for its statement arguments).
    func withBound<T>(to statement: Statement, _ body: () throws -> T) throws -> T {
        try bytes.withUnsafeBufferPointer { buffer in
            defer {
                statement.reset()
                statement.clearBindings()
            }
            guard let base = buffer.baseAddress else { throw DatabaseError.misuse("text bindings without a buffer", sql: statement.sql) }
            for span in spans {
                let code: Int32
                if span.count < 0 {
                    code = sqlite3_bind_null(statement.handle, span.index)
                } else {
                    code = (base + span.start).withMemoryRebound(to: CChar.self, capacity: span.count + 1) { chars in
                        // Without a NUL inside, the length -1 tells SQLite the text is terminated
                        // (functions such as `substr` on the key probe need that, and would copy
                        // it otherwise); with one, the exact length keeps the bytes after it.
                        if span.count <= Int(Int32.max), memchr(chars, 0, span.count) == nil {
                            return sqlite3_bind_text(statement.handle, span.index, chars, -1, sqliteStatic)
                        }
                        return sqlite3_bind_text64(statement.handle, span.index, chars, sqlite3_uint64(span.count), sqliteStatic, UInt8(SQLITE_UTF8))
                    }
                }
                try statement.check(code)
            }
            return try body()
        }
    }
}

extension Statement {
    /// Runs the statement to completion with `texts` bound beside its other bindings, then resets
    /// it and clears every binding; `texts` is emptied for the next run.
    public func run(_ texts: inout TextBindings) throws {
        defer { texts.removeAll() }
        try texts.withBound(to: self) { while try step() {} }
    }

    /// `fetchOne` with `texts` bound as `run` binds them; the row is decoded while they are.
    public func fetchOne<T>(_ texts: inout TextBindings, _ decode: (Row) throws -> T) throws -> T? {
        defer { texts.removeAll() }
        return try texts.withBound(to: self) { try step() ? try decode(row) : nil }
    }
}
