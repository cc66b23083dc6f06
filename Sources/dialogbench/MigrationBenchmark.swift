import DialogStore
import Foundation

/// How long the key-probe migration (v10, a rebuild of `conversations`) takes on a big store:
/// N rows (default 1,000,000) shaped like `files`' records, written under the schema before it,
/// then the store opened as dialogd opens it at start.
enum MigrationBenchmark {
    static func run(_ n: Int) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dialogbench-migrate-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/old.db"
        let before = Schema.migrator.latestVersion - 1
        let old = try Database(path: path)
        try old.execute("PRAGMA journal_mode = WAL")
        try Migrator(Array(Schema.migrator.migrations.prefix(Int(before)))).migrate(old)
        try old.execute("INSERT INTO meta (key, value) VALUES ('home_site', 'local')")
        // Rows like a .conv file of `dialogbench files`: a content key, 40 employees, 5 channels, a short text.
        try old.execute("""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(n))
            INSERT INTO conversations (key, date, utc_offset, employee, channel, outcome, duration_s, value_cents, currency,
                text, source_file, source_line, ingested_at, department_final, outcome_final, duration_s_effective, cost_cents,
                value_cents_effective, sentiment_final, site, revision)
            SELECT 'sha256:' || lower(hex(randomblob(32))), 1700000000 - (i % 400) * 86400 - (i % 86400), 3600,
                'employee' || (i % 40), 'email', 'resolved', (i % 55 + 5) * 60, (i % 300) * 100 + 50, 'EUR',
                'Conversation number ' || i || ' about an order that did not arrive in time.', 'f' || i || '.conv', 1,
                1700000000, NULL, 'resolved', (i % 55 + 5) * 60, 1234, (i % 300) * 100 + 50, 'neutral', 'local', 1 + i / 1000
            FROM n
            """)
        try old.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        try old.close()
        let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
        let started = Date()
        let store = try ConversationStore(path: path)
        let seconds = Date().timeIntervalSince(started)
        let rows = try store.conversationCount()
        try store.close()
        // The start of a store already migrated: its quick_check, which the first open ran too.
        let again = Date()
        try ConversationStore(path: path).close()
        let reopen = Date().timeIntervalSince(again)
        return "| migration | conversations | store | first start (migrating) | a later start |\n|---|---|---|---|---|\n"
            + String(format: "| v%d → v%d | %d | %.0f MiB | %.1f s | %.1f s |", before, Schema.migrator.latestVersion,
                     rows, Double(bytes) / 1_048_576, seconds, reopen)
    }
}
