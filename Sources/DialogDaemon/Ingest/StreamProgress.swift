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
        device = identity.device
        inode = identity.inode
        size = file.size
        modifiedSeconds = modified.seconds
        modifiedNanoseconds = modified.nanoseconds
        changedSeconds = modified.changedSeconds
        changedNanoseconds = modified.changedNanoseconds
    }

    static func key(_ name: String) -> String { "stream-progress:" + name }

    /// The saved row of `name` when it describes `file` as it is now; nil otherwise.
    static func load(_ name: String, matching file: SpoolFile, from store: ConversationStore) throws -> StreamProgress? {
        guard var progress = StreamProgress(file), let text = try store.meta(key(name)) else { return nil }
        let fields = text.split(separator: " ", omittingEmptySubsequences: false).map { Int64($0) }
        guard fields.count >= 8, !fields.contains(nil) else { return nil }
        let values = fields.map { $0 ?? 0 }
        guard values[0] == Int64(bitPattern: progress.device), values[1] == Int64(bitPattern: progress.inode),
              values[2] == Int64(progress.size), values[3] == progress.modifiedSeconds, values[4] == progress.modifiedNanoseconds,
              values[5] == progress.changedSeconds, values[6] == progress.changedNanoseconds,
              values[7] >= 0, values[7] <= Int64(Int32.max), let counts = RecordCounts(encoded: values[8...])
        else { return nil }
        progress.records = Int(values[7])
        progress.counts = counts
        return progress
    }

    /// Writes the row in the transaction that commits the records it counts.
    func save(_ name: String, into store: ConversationStore) throws {
        let fields: [Int64] = [Int64(bitPattern: device), Int64(bitPattern: inode), Int64(size), modifiedSeconds, modifiedNanoseconds, changedSeconds, changedNanoseconds]
            + [Int64(records)] + counts.encoded
        try store.setMeta(Self.key(name), fields.map(String.init).joined(separator: " "))
    }

    /// Removes the row, in the transaction that writes the file's `ingested_files` line.
    static func remove(_ name: String, from store: ConversationStore) throws {
        try store.removeMeta(key(name))
    }
}
