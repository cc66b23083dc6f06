import DialogCore
import Foundation
import Testing
@testable import DialogStore

/// `forget` keeps a blanked record's new content key as an alias of its stored key (docs/roi.md
/// "Erasure"): the rewritten original dropped again is a duplicate, also after a second forget.
@Suite("forget's key aliases")
struct KeyAliasTests {
    @Test("an alias (and an alias of an alias) is a duplicate; keys the store does not hold make none")
    func aliases() throws {
        try withTemporaryDirectory { dir in
            let store = try ConversationStore(path: dir + "/a.db")
            let record = fullRecord(1)
            #expect(try store.ingest(record, key: "sha256:old", sourceFile: "f", line: 1, ingestedAt: 0) == .stored)
            #expect(try store.ingest(record, key: "sha256:new", sourceFile: "f", line: 1, ingestedAt: 0) == .stored, "no alias yet")
            #expect(try store.addKeyAliases([.init(old: "sha256:old", new: "sha256:first", order: false),
                                             .init(old: "sha256:nothing", new: "sha256:x", order: false)]) == 1)
            #expect(try store.addKeyAliases([.init(old: "sha256:first", new: "sha256:second", order: false)]) == 1)
            #expect(try store.meta(ConversationStore.conversationKeyAliasPrefix + "sha256:second") == "sha256:old")
            let count = try store.conversationCount()
            #expect(try store.ingest(record, key: "sha256:first", sourceFile: "g", line: 1, ingestedAt: 0) == .duplicate)
            #expect(try store.ingest(record, key: "sha256:second", sourceFile: "g", line: 1, ingestedAt: 0) == .duplicate)
            #expect(try store.ingest(record, key: "sha256:x", sourceFile: "g", line: 1, ingestedAt: 0) == .stored)
            #expect(try store.conversationCount() == count + 1)
            // Orders: their own aliases.
            let order = OrderRecord(date: 200, customer: "cus-0123456789abcdef", amountCents: 100, currency: "EUR", product: "x")
            #expect(try store.transaction { try store.ingest(order, key: "sha256:o1", sourceFile: "o", line: 2, ingestedAt: 0) } == .stored)
            #expect(try store.addKeyAliases([.init(old: "sha256:o1", new: "sha256:o2", order: true)]) == 1)
            #expect(try store.transaction { try store.ingest(order, key: "sha256:o2", sourceFile: "o", line: 2, ingestedAt: 0) } == .duplicate)
            #expect(try store.transaction { try store.ingest(order, key: "sha256:first", sourceFile: "o", line: 2, ingestedAt: 0) } == .stored,
                    "a conversation's alias is not an order's")
        }
    }
}
