import DialogCore

/// How many stored texts `forget` blanked a mention of the customer in.
public struct ScrubbedMentions: Sendable, Equatable {
    public var conversations = 0
    public var orders = 0
    public var ingestRecords = 0
}

extension ConversationStore {
    /// The columns of free text a writer filled (the counted labels and the customer are not
    /// text: they are figures' keys, and the customer is already a pseudonym or forgotten).
    static let conversationTextColumns = ["subject", "text", "tags", "extras", "raw_department", "raw_outcome", "raw_channel"]
    static let orderTextColumns = ["department", "product", "extras"]
    static let ingestTextColumns = ["reason"]

    /// Replaces every mention of the forgotten identity in every stored text — other
    /// customers' conversations, orders, the quarantine reasons of the ingest log — by
    /// `IdentityMentions.placeholder` (docs/roi.md "Erasure"). One scan of each table, narrowed
    /// by `LIKE` (ASCII letters case-insensitive), then a whole-word match per candidate; a
    /// changed conversation gets `revision`, so the blanked text ships with `export --after`.
    /// Runs inside `forget`'s transaction.
    func scrubMentions(_ mentions: IdentityMentions, revision: Int64) throws -> ScrubbedMentions {
        var result = ScrubbedMentions()
        result.conversations = try scrub(mentions, table: "conversations", columns: Self.conversationTextColumns, revision: revision)
        result.orders = try scrub(mentions, table: "orders", columns: Self.orderTextColumns, revision: nil)
        result.ingestRecords = try scrub(mentions, table: "ingested_files", columns: Self.ingestTextColumns, revision: nil)
        for (table, column) in Self.fileNameColumns { try scrubFileNames(mentions, table: table, column: column) }
        return result
    }

    /// Where the store keeps a dropped file's name (a writer may have named it after the
    /// customer); a quarantine reason quotes it (`alice@example.com.conv: line 1: …`).
    static let fileNameColumns = [("conversations", "source_file"), ("orders", "source_file"), ("ingested_files", "name"), ("ingested_files", "reason")]

    /// Blanks the identity in stored file names, inside a word too (`alice@example.com.conv` →
    /// `[forgotten].conv`, the name the spool's copy gets: `SpoolErasure.renameNamedFiles`), so a
    /// later `forget` of another customer still finds that file by the name the store gives.
    /// Local names, not shipped: no new revision.
    private func scrubFileNames(_ mentions: IdentityMentions, table: String, column: String) throws {
        let pattern = mentions.likePattern
        let names = try database.fetchAll("SELECT DISTINCT \(column) FROM \(table) WHERE \(column) " + (pattern == nil ? "IS NOT NULL" : "LIKE ?1 ESCAPE '\\'"),
                                          arguments: pattern.map { [$0] } ?? []) { row -> String in row[0] }
        for name in names {
            guard let blanked = mentions.scrubbedFileNames(name) else { continue }
            try database.execute("UPDATE \(table) SET \(column) = ? WHERE \(column) = ?", arguments: [blanked, name])
        }
    }

    private func scrub(_ mentions: IdentityMentions, table: String, columns: [String], revision: Int64?) throws -> Int {
        let pattern = mentions.likePattern
        let condition = columns.map { pattern == nil ? "\($0) IS NOT NULL" : "\($0) LIKE ?1 ESCAPE '\\'" }.joined(separator: " OR ")
        let candidates = try database.fetchAll("SELECT id, \(columns.joined(separator: ", ")) FROM \(table) WHERE \(condition)",
                                               arguments: pattern.map { [$0] } ?? []) { row -> (Int64, [String?]) in
            (row[0], (1...columns.count).map { row[$0] as String? })
        }
        var changed = 0
        for (id, texts) in candidates {
            var scrubbed = texts.map { $0.flatMap(mentions.scrubbed) }
            // A mail's attachment names: the identity counts inside a word too (`alice@example.com.vcf`).
            if table == "conversations", let at = columns.firstIndex(of: "extras"), let json = scrubbed[at] ?? texts[at],
               var extras = try? ExtrasJSON.decode(json), let names = extras["attachments"], let blanked = mentions.scrubbedFileNames(names) {
                extras["attachments"] = blanked
                scrubbed[at] = ExtrasJSON.encode(extras)
            }
            guard scrubbed.contains(where: { $0 != nil }) else { continue }
            var assignments: [String] = [], arguments: [(any SQLValue)?] = []
            for (column, text) in zip(columns, scrubbed) {
                guard let text else { continue }
                assignments.append("\(column) = ?")
                arguments.append(text)
            }
            if let revision {
                assignments.append("revision = ?")
                arguments.append(revision)
            }
            try database.execute("UPDATE \(table) SET \(assignments.joined(separator: ", ")) WHERE id = ?", arguments: arguments + [id])
            changed += 1
        }
        return changed
    }
}
