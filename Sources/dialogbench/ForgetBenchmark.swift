import DialogCore
import DialogStore
import Foundation

/// Issue 14's erasure, in process: N conversations with 1 KiB texts of N/5 customers, and N/5
/// orders, ingested into stores with `secure_delete` on (the daemon's setting) and
/// off, alternating, best of two (the cost of zeroing freed bytes at ingest); then `forget` of one customer with
/// the search of every stored text for mentions of the address.
enum ForgetBenchmark {
    static let filler = String(repeating: "Rückfrage zum Angebot, bitte Termin bestätigen. ", count: 21)

    static func run(_ n: Int) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dialogbench-forget-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let now = Int64(Date().timeIntervalSince1970)
        let customers = max(2, n / 5)
        var g = SystemRandomNumberGenerator()
        var conversations = RoiBenchmark.records(n, end: now)
        let identity = CustomerIdentity(mode: .pseudonymous, key: String(repeating: "ab", count: 32))
        for i in conversations.indices {
            let customer = Int.random(in: 0..<customers, using: &g)
            conversations[i].customer = identity.stored("c\(customer)@example.com")
            // Every 100th text names some customer's address; every 1,000th the one forgotten below.
            let named = i % 1000 == 0 ? "c1@example.com" : i % 100 == 0 ? "c\(Int.random(in: 2..<customers, using: &g))@example.com" : ""
            conversations[i].text = String(Self.filler.prefix(1000)) + " " + named
            conversations[i].subject = "Angebot \(i)"
        }
        let span: Int64 = 400 * 86_400, m = max(1, n / 5)
        let orders = (0..<m).map { i in
            OrderRecord(id: "o\(i)", date: now - span + Int64(i) * span / Int64(m),
                        customer: identity.stored("c\(Int.random(in: 0..<customers, using: &g))@example.com") ?? "",
                        amountCents: Int64.random(in: -5_000...500_000, using: &g), currency: "EUR")
        }
        var ingest: [Bool: (conversations: Double, orders: Double)] = [:]
        var kept: ConversationStore?
        // Alternating, best of two each: the machine's fsync latency varies more than the setting costs.
        for (round, secure) in [false, true, false, true].enumerated() {
            let store = try ConversationStore(path: dir + "/forget-\(round).db")
            if !secure { try store.database.execute("PRAGMA secure_delete = OFF") }
            try store.adopt(Valuation())
            let c = try RoiBenchmark.time {
                for start in stride(from: 0, to: n, by: 1000) {
                    try store.transaction { () throws in
                        for i in start..<min(n, start + 1000) {
                            _ = try store.insert(CountedRecord(conversations[i], labels: nil, valuation: store.valuation), key: "id:b\(i)", sourceFile: "bench", line: 1, ingestedAt: 0)
                        }
                    }
                }
            }
            let o = try RoiBenchmark.time {
                for start in stride(from: 0, to: m, by: 1000) {
                    try store.transaction { () throws in
                        for i in start..<min(m, start + 1000) {
                            _ = try store.ingest(orders[i], key: orders[i].key, sourceFile: "bench.orders.csv", line: i + 2, ingestedAt: 0)
                        }
                    }
                }
            }
            let best = ingest[secure] ?? (0, 0)
            ingest[secure] = (max(best.conversations, Double(n) / c), max(best.orders, Double(m) / o))
            if round == 3 { kept = store }
        }
        guard let store = kept, let mentions = IdentityMentions("c1@example.com"), let form = identity.stored("c1@example.com") else {
            return "forget benchmark: no store"
        }
        var forgotten = ForgottenCustomer()
        let forgetSeconds = try RoiBenchmark.time { forgotten = try store.forget(customerForms: [form], mentions: mentions) }
        let bytes = ((try? FileManager.default.attributesOfItem(atPath: store.path))?[.size] as? Int) ?? 0
        return String(format: """
            | conversations (1 KiB text each), customers, orders | %d, %d, %d |
            |---|---|
            | ingest conversations, secure_delete off / on (1,000 per transaction) | %.0f /s / %.0f /s |
            | ingest orders, secure_delete off / on | %.0f /s / %.0f /s |
            | forget one customer with the mention search of every text (%d MB store) | %.0f ms (%d own conversations, %d other conversations blanked) |
            """, n, customers, m, ingest[false]?.conversations ?? 0, ingest[true]?.conversations ?? 0,
            ingest[false]?.orders ?? 0, ingest[true]?.orders ?? 0, bytes >> 20, forgetSeconds * 1000,
            forgotten.conversations, forgotten.mentions.conversations)
    }
}
