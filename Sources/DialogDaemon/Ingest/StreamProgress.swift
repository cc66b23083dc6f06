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
    var stored = 0
    var duplicates = 0
    var orders = 0
    var orderDuplicates = 0
    var amended = 0
    var updated = 0
    var outdated = 0
    var conflicting = 0
    var unknownAmends = 0
    var ordersAmended = 0

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
        let fields = text.split(separator: " ").compactMap { Int64($0) }
        guard fields.count == 18, fields[0] == Int64(bitPattern: progress.device), fields[1] == Int64(bitPattern: progress.inode),
              fields[2] == Int64(progress.size), fields[3] == progress.modifiedSeconds, fields[4] == progress.modifiedNanoseconds,
              fields[5] == progress.changedSeconds, fields[6] == progress.changedNanoseconds
        else { return nil }
        let counts = fields[7...].map { Int($0) }
        (progress.records, progress.stored, progress.duplicates, progress.orders, progress.orderDuplicates) = (counts[0], counts[1], counts[2], counts[3], counts[4])
        (progress.amended, progress.updated, progress.outdated, progress.conflicting, progress.unknownAmends) = (counts[5], counts[6], counts[7], counts[8], counts[9])
        progress.ordersAmended = counts[10]
        return progress
    }

    /// Writes the row in the transaction that commits the records it counts.
    func save(_ name: String, into store: ConversationStore) throws {
        let fields: [Int64] = [Int64(bitPattern: device), Int64(bitPattern: inode), Int64(size), modifiedSeconds, modifiedNanoseconds, changedSeconds, changedNanoseconds]
            + [records, stored, duplicates, orders, orderDuplicates, amended, updated, outdated, conflicting, unknownAmends, ordersAmended].map { Int64($0) }
        try store.setMeta(Self.key(name), fields.map(String.init).joined(separator: " "))
    }

    /// Removes the row, in the transaction that writes the file's `ingested_files` line.
    static func remove(_ name: String, from store: ConversationStore) throws {
        try store.removeMeta(key(name))
    }
}
