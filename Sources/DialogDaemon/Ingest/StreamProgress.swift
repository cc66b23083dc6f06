import DialogStore

/// How far a large streamed file got in earlier runs: committed with each of its slices (a
/// `meta` row, `stream-progress:NAME`), removed with its `ingested_files` line. A restart that
/// finds the same file (device, inode, size, mtime, ctime) goes on counting from here, so a record
/// committed before a crash is counted once — read again, it is a duplicate nobody counts. The
/// ctime is kept because the owner can set the mtime back after a rewrite, never the ctime.
struct StreamProgress: Equatable {
    var device: UInt64
    var inode: UInt64
    var size: Int
    var modifiedSeconds: Int64
    var modifiedNanoseconds: Int64
    var changedSeconds: Int64
    var changedNanoseconds: Int64
    /// Records taken from the file (in the order the reader gives them) and committed.
    var records = 0
    /// What became of them (the file's result so far).
    var counts = RecordCounts()

    /// The row for `file` as it is now, nothing counted yet; nil when it has no identity (tests' own files).
    init?(_ file: SpoolFile) {
        guard let identity = file.identity, let modified = file.modified else { return nil }
        self.init(identity, size: file.size, modified: modified)
    }

    init(_ identity: SpoolFile.Identity, size: Int, modified: SpoolFile.Modified) {
        device = identity.device
        inode = identity.inode
        self.size = size
        modifiedSeconds = modified.seconds
        modifiedNanoseconds = modified.nanoseconds
        changedSeconds = modified.changedSeconds
        changedNanoseconds = modified.changedNanoseconds
    }

    /// The file's identity as the row's first seven fields hold it.
    var identityFields: [Int64] {
        [Int64(bitPattern: device), Int64(bitPattern: inode), Int64(size), modifiedSeconds, modifiedNanoseconds, changedSeconds, changedNanoseconds]
    }

    /// A row's fields; nil when one is not an integer.
    static func fields(_ text: String) -> [Int64]? {
        let fields = text.split(separator: " ", omittingEmptySubsequences: false).map { Int64($0) }
        guard !fields.contains(nil) else { return nil }
        return fields.map { $0 ?? 0 }
    }

    static func key(_ name: String) -> String { "stream-progress:" + name }

    /// The saved row of `name` when it describes `file` as it is now; nil otherwise.
    static func load(_ name: String, matching file: SpoolFile, from store: ConversationStore) throws -> StreamProgress? {
        guard var progress = StreamProgress(file), let text = try store.meta(key(name)) else { return nil }
        guard let values = fields(text), values.count >= 8, Array(values[0..<7]) == progress.identityFields, values[7] >= 0, values[7] <= Int64(Int32.max), let counts = RecordCounts(encoded: values[8...])
        else { return nil }
        progress.records = Int(values[7])
        progress.counts = counts
        return progress
    }

    /// Writes the row in the transaction that commits the records it counts.
    func save(_ name: String, into store: ConversationStore) throws {
        let fields = identityFields + [Int64(records)] + counts.encoded
        try store.setMeta(Self.key(name), fields.map(String.init).joined(separator: " "))
    }

    /// Removes the row, in the transaction that writes the file's `ingested_files` line.
    static func remove(_ name: String, from store: ConversationStore) throws {
        try store.removeMeta(key(name))
    }

    /// Removes the rows no file in `new/` can resume from (docs/spool.md "Large streamed files"):
    /// its file is gone (taken back or moved after a crash) or another file holds the name. A row
    /// is read only with the file it describes, so such a row would stay for good. Returns their names.
    static func removeStale(from store: ConversationStore, spool: SpoolDirectory) throws -> [String] {
        var removed: [String] = []
        for (key, value) in try store.metaRows(prefix: key("")) {
            // By bytes: a name may begin with a combining mark, which `dropFirst` would count with ":".
            guard let name = key.droppingBytePrefix(Self.key("")) else { continue }
            if let now = spool.state(of: name, in: .new), let fields = value.flatMap(fields), fields.count >= 7,
               Array(fields[0..<7]) == StreamProgress(now.identity, size: now.size, modified: now.modified).identityFields { continue }
            try store.removeMeta(key)
            removed.append(name)
        }
        return removed
    }
}
