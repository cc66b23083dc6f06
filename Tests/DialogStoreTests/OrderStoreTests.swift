import DialogCore
import Foundation
import Testing
@testable import DialogStore

/// The orders table (migration v7, issue 14) on a real SQLite file.
@Suite("orders in the store")
struct OrderStoreTests {
    @Test("a v5 store migrates to the orders table with its conversations intact; customers pseudonymized in both tables")
    func migrationFromVersion5() throws {
        try withTemporaryDirectory { dir in
            do {
                let v5 = try Database(path: dir + "/old.db")
                try Migrator(Array(Schema.migrator.migrations.prefix(5))).migrate(v5)
                try v5.execute("""
                    INSERT INTO conversations (key, date, utc_offset, employee, channel, customer, source_file, source_line, ingested_at)
                    VALUES ('id:1', 100, 0, 'anna', 'email', 'Kunde@Example.com', 'f', 1, 0)
                    """)
                try v5.close()
            }
            let store = try ConversationStore(path: dir + "/old.db")
            #expect(try Migrator.currentVersion(of: store.database) == Schema.migrator.latestVersion)
            #expect(try store.conversationCount() == 1)
            let order = OrderRecord(id: "A-1", date: 200, customer: "kunde@example.com", amountCents: -4_990, currency: "EUR", product: "Lizenz")
            #expect(try store.transaction { try store.ingest(order, key: order.key, sourceFile: "o.csv", line: 2, ingestedAt: 0) } == .stored)
            #expect(try store.transaction { try store.ingest(order, key: order.key, sourceFile: "o.csv", line: 2, ingestedAt: 0) } == .duplicate)
            var changed = order
            changed.amountCents = 1
            #expect(try store.transaction { try store.ingest(changed, key: changed.key, sourceFile: "o.csv", line: 2, ingestedAt: 0) } == .conflict(["amount"]))
            let identity = CustomerIdentity(mode: .pseudonymous, key: try store.pseudonymKey())
            #expect(try store.applyCustomerNames(identity) == 2)
            #expect(try store.applyCustomerNames(identity) == 0, "done once")
            let stored = try #require(try store.order(key: "id:A-1"))
            #expect(stored.order.customer == identity.stored("KUNDE@example.com") && stored.order.amountCents == -4_990 && stored.line == 2)
            #expect(try store.conversation(key: "id:1")?.record.customer == stored.order.customer)
        }
    }
}
