import DialogCore
import Foundation
import Testing
@testable import DialogStore

/// Attributed revenue kept in the aggregates (issues 14 and 17, migration v8): whatever the
/// order of arrival, amends, relabels, recompute, forget and sites, `roi` reads from the
/// aggregates exactly what the stored shares give under the touches' current labels.
@Suite("attributed revenue in the aggregates")
struct AttributedAggregateTests {
    static let customers = (0..<9).map { "c\($0)@example.com" }

    static func order(_ g: inout SeededGenerator, n: Int) -> OrderRecord {
        let center = RoiFixtures.hotSpots[Int.random(in: 0..<RoiFixtures.hotSpots.count, using: &g)]
        return OrderRecord(id: "o\(n)", date: center + Int64.random(in: -3 * 86_400...5 * 86_400, using: &g),
                           customer: customers[Int.random(in: 0..<customers.count, using: &g)],
                           amountCents: Int64.random(in: -20_000...900_001, using: &g), currency: "EUR")
    }

    static func conversation(_ g: inout SeededGenerator, n: Int) -> ConversationRecord {
        var r = RoiFixtures.randomSiteRecord(&g, n: n)
        r.customer = Int.random(in: 0..<5, using: &g) == 0 ? nil : customers[Int.random(in: 0..<customers.count, using: &g)]
        return r
    }

    /// Every aggregate row with a figure, and every order-totals row, in key order.
    static func aggregateDump(_ store: ConversationStore) throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        for table in AggregateTable.all {
            let nonzero = RoiSumColumn.names.map { "\($0) != 0" }.joined(separator: " OR ")
            out[table.name] = try SchemaFreezeTests.dump(store.database, "SELECT \(table.columns.joined(separator: ", ")) FROM \(table.name) WHERE \(nonzero) ORDER BY "
                + table.primaryKey.joined(separator: ", "))
        }
        for table in OrderTotals.tables {
            out[table.name] = try SchemaFreezeTests.dump(store.database, "SELECT * FROM \(table.name) WHERE orders != 0 ORDER BY 1")
        }
        return out
    }

    /// Shares brute force, "order/conversation" → cents: every order's touches read afresh from
    /// all stored conversations, capped (`Attribution.touchRange`), split, zero cents left out —
    /// what the store's incremental attribution must have kept, whatever came in what order.
    static func bruteForceShares(_ store: ConversationStore) throws -> [String: Int64] {
        let conversations = try store.database.fetchAll("SELECT id, date, key, customer FROM conversations WHERE customer IS NOT NULL") { row in
            (id: row[0] as Int64, date: row[1] as Int64, key: row[2] as String, customer: row[3] as String)
        }.sorted { ($0.date, $0.key) < ($1.date, $1.key) }
        let orders = try store.database.fetchAll("SELECT id, date, customer, amount_cents, external_id, json_extract(extras, '$.credits') FROM orders") { row in
            (id: row[0] as Int64, date: row[1] as Int64, customer: row[2] as String, amount: row[3] as Int64, number: row[4] as String?, credits: row[5] as String?)
        }
        // Orders (and credit notes without a link): the model's shares. A credit note naming an order
        // not stored or another customer's takes none: it is unattributed (docs/roi.md "Credit notes").
        var want = orderShares(store, conversations, orders.filter { $0.credits == nil })
        // A credit note that names its order: that order's shares, in its proportions (docs/roi.md "Credit notes").
        for note in orders where note.credits != nil {
            guard let credited = orders.first(where: { $0.number == note.credits && $0.customer == note.customer && $0.id != note.id }) else { continue }
            let given = conversations.compactMap { c in want["\(credited.id)/\(c.id)"].map { (id: c.id, cents: $0) } }
            for (touch, share) in zip(given, Attribution.shares(amountCents: note.amount, proportionalTo: given.map(\.cents))) where share != 0 {
                want["\(note.id)/\(touch.id)"] = share
            }
        }
        return want
    }

    /// The model's shares of `orders`, each split over its own touches.
    static func orderShares(_ store: ConversationStore, _ conversations: [(id: Int64, date: Int64, key: String, customer: String)],
                            _ orders: [(id: Int64, date: Int64, customer: String, amount: Int64, number: String?, credits: String?)]) -> [String: Int64] {
        let config = store.attribution
        var want: [String: Int64] = [:]
        for order in orders {
            let inLookback = conversations.filter { $0.customer == order.customer && $0.date >= order.date - config.lookbackSeconds && $0.date <= order.date }
            let touches = Array(inLookback[Attribution.touchRange(count: inLookback.count, maxTouches: config.maxTouches)])
            let shares = Attribution.shares(amountCents: order.amount, touchDates: touches.map(\.date), orderDate: order.date, model: config.model)
            for (touch, share) in zip(touches, shares) where share != 0 { want["\(order.id)/\(touch.id)"] = share }
        }
        return want
    }

    static func storedShares(_ store: ConversationStore) throws -> [String: Int64] {
        let rows = try store.database.fetchAll("SELECT order_id, conversation_id, share_cents FROM order_shares") { row in
            ("\(row[0] as Int64)/\(row[1] as Int64)", row[2] as Int64)
        }
        return Dictionary(rows, uniquingKeysWith: +)
    }

    /// Attributed cents of orders dated in `span` by the touches' current `column` (`nil`: the total), from the shares.
    static func sharesBy(_ store: ConversationStore, _ column: String?, _ span: TimeSpan, site: String? = nil) throws -> [String: Int64] {
        let key = column.map { "coalesce(c.\($0), '')" } ?? "''"
        var sql = "SELECT \(key), sum(s.share_cents) FROM order_shares s JOIN conversations c ON c.id = s.conversation_id WHERE s.order_date >= ? AND s.order_date < ?"
        var arguments: [(any SQLValue)?] = [span.since, span.until]
        if let site { sql += " AND c.site = ?"; arguments.append(site) }
        let rows = try store.database.fetchAll(sql + " GROUP BY 1", arguments: arguments) { row in (row[0] as String, row[1] as Int64) }
        return Dictionary(rows, uniquingKeysWith: +).filter { $0.value != 0 }
    }

    /// Checks every figure `roi` gives for attributed revenue and orders against the stored
    /// shares and orders, and the by-department identity to the cent.
    static func check(_ store: ConversationStore, _ g: inout SeededGenerator, _ context: String) throws {
        let reader = try store.roiReader(timeZone: RoiFixtures.berlin, employeeFigures: .named)
        let spot = RoiFixtures.hotSpots[Int.random(in: 0..<RoiFixtures.hotSpots.count, using: &g)]
        let queries = [RoiQuery(window: .all), RoiQuery(window: .d365), RoiQuery(window: .d30), RoiQuery(window: .d7),
                       RoiQuery(since: spot - Int64.random(in: 0...4 * 86_400, using: &g), until: spot + Int64.random(in: 0...4 * 86_400, using: &g))]
        let columns: [RoiQuery.Grouping: String] = [.department: "department_final", .outcome: "outcome_final", .channel: "channel",
                                                    .employee: "employee", .site: "site"]
        for base in queries {
            let now = RoiFixtures.hotSpots.max()! + Int64.random(in: 0...86_400, using: &g)
            for (grouping, column) in columns {
                var query = base
                query.groupBy = grouping
                let report = try reader.roi(query, now: now)
                var want = try sharesBy(store, column, report.window)
                let total = want.values.reduce(0, +)
                want = Dictionary(want.map { (reader.displayKey($0.key, grouping), $0.value) }, uniquingKeysWith: +)
                let have = Dictionary(report.rows.map { ($0.key, $0.figures.attributedCents ?? -1) }, uniquingKeysWith: +).filter { $0.value != 0 }
                #expect(have == want, "\(context): \(query) at \(now)")
                #expect(report.total.attributedCents == total, "\(context): \(query)")
                let orders = try store.database.fetchOne("""
                    SELECT count(*), coalesce(sum(amount_cents), 0),
                        coalesce(sum(CASE WHEN EXISTS (SELECT 1 FROM order_shares s WHERE s.order_id = o.id) THEN 0 ELSE amount_cents END), 0)
                    FROM orders o WHERE date >= ? AND date < ?
                    """, arguments: [report.window.since, report.window.until]) { row in (row[0] as Int64, row[1] as Int64, row[2] as Int64) }
                #expect(report.total.orders == orders?.0 && report.total.ordersCents == orders?.1 && report.total.unattributedCents == orders?.2,
                        "\(context): \(query)")
                if grouping == .department {
                    let rows = report.rows.reduce(0) { $0 + ($1.figures.attributedCents ?? 0) }
                    #expect(rows + (report.total.unattributedCents ?? -1) == report.total.ordersCents, "\(context): \(query)")
                }
            }
            // A site filter: the revenue credited to that site's conversations; orders have no site.
            for site in ["local", "north", "south"] {
                var query = base
                query.site = site
                query.groupBy = .department
                let report = try reader.roi(query, now: now)
                #expect(report.total.attributedCents == (try sharesBy(store, nil, report.window, site: site)).values.reduce(0, +), "\(context): \(site)")
                #expect(report.total.orders == nil && report.total.ordersCents == nil && report.total.unattributedCents == nil)
            }
        }
    }

    @Test("orders and conversations in any order, amends of both, shipped updates, relabels, forget, a model change: the aggregates equal the shares and a rebuild",
          arguments: [1, 2, 3] as [UInt64])
    func keptExactly(seed: UInt64) throws {
        try withTemporaryDirectory { dir in
            var g = SeededGenerator(seed: seed)
            let store = try ConversationStore(path: dir + "/a.db")
            try store.adopt(Valuation())
            // One seed writes the buffer early and often, as a large streamed file does.
            if seed == 3 { (store.maxBufferedBuckets, store.maxOpenBufferedBuckets) = (5, 3) }
            store.attribution = AttributionConfig(modelName: ["linear", "time_decay", "position"][Int(seed % 3)], halfLifeSeconds: 3 * 86_400,
                                                  lookbackSeconds: 5 * 86_400, maxTouches: [4, 2, 3][Int(seed % 3)])
            enum Step { case conversation(ConversationRecord), order(OrderRecord) }
            let placed = (0..<120).map { Self.order(&g, n: $0) }
            // Credit notes naming one of them (same customer, unless an amend moves the order away), booked up to 20 days after.
            let credits = (0..<30).map { k -> OrderRecord in
                let base = placed[Int.random(in: 0..<placed.count, using: &g)]
                return OrderRecord(id: "g\(k)", date: base.date + Int64.random(in: -2 * 86_400...20 * 86_400, using: &g), customer: base.customer,
                                   amountCents: -Int64.random(in: 0...max(1, abs(base.amountCents)), using: &g), currency: "EUR",
                                   extras: [OrderRecord.creditsKey: base.id ?? ""])
            }
            var steps = (0..<300).map { Step.conversation(Self.conversation(&g, n: $0)) } + (placed + credits).map { Step.order($0) }
            steps.shuffle(using: &g)
            var stored: [ConversationRecord] = []
            var orders: [OrderRecord] = []
            var amendedOrders = 0
            var at = 0
            while at < steps.count {
                let batch = steps[at..<min(steps.count, at + Int.random(in: 1...40, using: &g))]
                at += batch.count
                func run() throws {
                    for step in batch {
                        switch step {
                        case .conversation(let r):
                            if case .stored = try store.ingest(r, key: RecordKey.make(for: r), sourceFile: "f", line: 1, ingestedAt: 0) { stored.append(r) }
                        case .order(let o):
                            if try store.ingest(o, key: o.key, sourceFile: "o.orders.csv", line: 2, ingestedAt: 0) == .stored { orders.append(o) }
                        }
                    }
                    // Amend a stored order (docs/spool.md "Orders"): another amount, date or customer.
                    if !orders.isEmpty, Bool.random(using: &g) {
                        let n = Int.random(in: 0..<orders.count, using: &g)
                        var o = orders[n]
                        o.amountCents += Int64.random(in: -50_000...50_000, using: &g)
                        if Bool.random(using: &g) { o.date += Int64.random(in: -2 * 86_400...2 * 86_400, using: &g) }
                        if Bool.random(using: &g) { o.customer = Self.customers[Int.random(in: 0..<Self.customers.count, using: &g)] }
                        o.amends = o.id
                        if case .amended = try store.ingest(o, key: o.key, sourceFile: "o2.orders.csv", line: 2, ingestedAt: 0) {
                            orders[n] = o
                            amendedOrders += 1
                        }
                    }
                    // Amend a stored record of this site, or ship a newer copy of another's: other labels, date or customer.
                    guard !stored.isEmpty, Bool.random(using: &g) else { return }
                    var r = stored[Int.random(in: 0..<stored.count, using: &g)]
                    r.department = ["sales", "service", nil, "legal"][Int.random(in: 0..<4, using: &g)]
                    r.date += Int64.random(in: -86_400...86_400, using: &g)
                    if Bool.random(using: &g) { r.customer = Self.customers[Int.random(in: 0..<Self.customers.count, using: &g)] }
                    if let shipped = r.shipped { r.shipped?.revision = shipped.revision + 1 } else { r.amends = r.id }
                    _ = try store.ingest(r, key: RecordKey.make(for: r), sourceFile: "f", line: 1, ingestedAt: 0)
                }
                // Most batches in one transaction, some in a transaction kept open (a streamed file).
                if Int.random(in: 0..<4, using: &g) == 0 {
                    try store.beginOpenTransaction()
                    try run()
                    try store.commitOpenTransaction()
                } else {
                    try store.transaction { try run() }
                }
                // A relabel (review) moves a touch's share.
                let id = try store.database.scalar("SELECT conversation_id FROM order_shares ORDER BY order_id DESC, conversation_id LIMIT 1", as: Int64.self)
                if let id, let conversation = try store.conversation(rowID: id), let before = try store.countedForReview(conversation) {
                    let label = ["lost", "won", "resolved"][Int.random(in: 0..<3, using: &g)]
                    try store.transaction {
                        let after = store.valuation.relabeled(before.record, counted: before.priced, to: [.outcome: label, .department: "marketing"])
                        try store.storeReview(rowID: id, changes: [.outcome: label, .department: "marketing"], from: before, to: after)
                    }
                }
            }
            #expect(try store.database.scalar("SELECT count(*) FROM order_shares", as: Int.self) ?? 0 > 50)
            #expect(amendedOrders > 5, "\(amendedOrders) orders amended")
            let creditShares = try store.database.scalar("SELECT count(*) FROM order_shares s JOIN orders o ON o.id = s.order_id WHERE json_extract(o.extras, '$.credits') IS NOT NULL", as: Int.self) ?? 0
            #expect(creditShares > 5, "\(creditShares) shares of credit notes that name their order")
            try Self.check(store, &g, "ingested")
            let bruteForce = try Self.bruteForceShares(store)
            #expect(try Self.storedShares(store) == bruteForce, "incremental attribution = every order attributed afresh")
            #expect(try store.database.scalar("SELECT count(*) FROM order_shares WHERE share_cents = 0", as: Int.self) == 0, "a zero-cent share is no row")
            let kept = try Self.aggregateDump(store)
            try store.transaction { try store.rebuildAggregates() }
            #expect(try Self.aggregateDump(store) == kept, "kept at ingest = rebuilt from conversations and shares")

            _ = try store.forget(customerForms: [Self.customers[0], Self.customers[1]])
            #expect(try Self.aggregateDump(store) == kept, "forget keeps every figure")
            try Self.check(store, &g, "forgotten")

            store.attribution = AttributionConfig(modelName: "last_touch", lookbackSeconds: 2 * 86_400)
            try store.recompute()
            try Self.check(store, &g, "recomputed")
            #expect(try Self.storedShares(store) == (try Self.bruteForceShares(store)), "recompute = every order attributed afresh")
            let recomputed = try Self.aggregateDump(store)
            #expect(recomputed != kept, "another model moves revenue")
            try store.transaction { _ = try store.reattributeAll() }
            #expect(try Self.aggregateDump(store) == recomputed, "reattributeAll keeps the aggregates in step")
        }
    }

    @Test("a streamed file's orders and conversations, stored in a transaction kept open, are attributed when it commits")
    func openTransactionAttributes() throws {
        try withTemporaryDirectory { dir in
            let store = try ConversationStore(path: dir + "/a.db")
            try store.adopt(Valuation())
            var r = ConversationRecord(id: "1", date: 1_795_000_000, employee: "anna", channel: "email", department: "sales")
            r.customer = "kim@example.com"
            let order = OrderRecord(id: "A", date: 1_795_003_600, customer: "kim@example.com", amountCents: 12_345, currency: "EUR")
            try store.beginOpenTransaction()
            _ = try store.ingest(r, key: RecordKey.make(for: r), sourceFile: "f.jsonl", line: 1, ingestedAt: 0)
            _ = try store.ingest(order, key: order.key, sourceFile: "o.orders.jsonl", line: 2, ingestedAt: 0)
            try store.commitOpenTransaction()
            #expect(try store.database.scalar("SELECT sum(share_cents) FROM order_shares", as: Int64.self) == 12_345)
            let report = try store.roiReader(timeZone: .gmt, employeeFigures: .named)
                .roi(RoiQuery(window: .all, groupBy: .department), now: 1_795_010_000)
            #expect(report.rows.map { "\($0.key) \($0.figures.attributedCents ?? -1)" } == ["sales 12345"])
            #expect(report.total.unattributedCents == 0 && report.total.ordersCents == 12_345 && report.total.orders == 1)
        }
    }

    @Test("migration v8 fills attributed revenue and order totals of a v7 store from its shares: the figures a fresh ingest keeps")
    func migrationBackfills() throws {
        try withTemporaryDirectory { dir in
            var g = SeededGenerator(seed: 8)
            // The fresh store: today's code, every figure kept at ingest.
            let fresh = try ConversationStore(path: dir + "/fresh.db")
            try fresh.adopt(Valuation())
            try fresh.transaction {
                for n in 0..<200 {
                    let r = Self.conversation(&g, n: n)
                    _ = try fresh.ingest(r, key: RecordKey.make(for: r), sourceFile: "f", line: 1, ingestedAt: 0)
                    if n % 3 == 0 {
                        let o = Self.order(&g, n: n)
                        _ = try fresh.ingest(o, key: o.key, sourceFile: "o.orders.csv", line: 2, ingestedAt: 0)
                    }
                }
            }
            // The same rows in a v7 store, as v7 kept them: its aggregates had conversations' figures only.
            let v7 = try Database(path: dir + "/v7.db")
            try Migrator(Array(Schema.migrator.migrations.prefix(Int(Schema.ordersVersion)))).migrate(v7)
            try v7.execute("ATTACH DATABASE '\(dir)/fresh.db' AS fresh")
            for table in ["meta", "conversations", "orders", "order_shares"] {
                try v7.execute("DELETE FROM main.\(table)")
                try v7.execute("INSERT INTO main.\(table) SELECT * FROM fresh.\(table)")
            }
            // The weekly tables came later (v9), filled from the daily rows.
            for table in AggregateTable.all where table.time != "week" {
                let columns = table.columns.filter { $0 != "attributed_cents" }.joined(separator: ", ")
                try v7.execute("INSERT INTO main.\(table.name) SELECT \(columns) FROM fresh.\(table.name) WHERE conversations != 0")
            }
            try v7.execute("DETACH DATABASE fresh")
            try v7.close()
            let migrated = try ConversationStore(path: dir + "/v7.db")
            #expect(try Migrator.currentVersion(of: migrated.database) == Schema.migrator.latestVersion)
            let want = try Self.aggregateDump(fresh)
            let credited = try fresh.database.scalar("SELECT count(*) FROM roi_hourly WHERE attributed_cents != 0", as: Int.self) ?? 0
            #expect((want["roi_orders_daily"]?.count ?? 0) > 5 && credited > 20)
            #expect(try Self.aggregateDump(migrated) == want)
            try Self.check(migrated, &g, "migrated")
        }
    }

    @Test("the window `all` covers orders dated outside every conversation's hour, none stored at all included")
    func allCoversOrders() throws {
        try withTemporaryDirectory { dir in
            let store = try ConversationStore(path: dir + "/a.db")
            try store.adopt(Valuation())
            let reader = try store.roiReader(timeZone: .gmt, employeeFigures: .named)
            let early = OrderRecord(id: "E", date: 1_700_000_000, customer: "nobody@example.com", amountCents: 1_000, currency: "EUR")
            _ = try store.transaction { try store.ingest(early, key: early.key, sourceFile: "o.orders.csv", line: 2, ingestedAt: 0) }
            var total = try reader.roi(RoiQuery(window: .all), now: 1_800_000_000).total
            #expect(total.orders == 1 && total.ordersCents == 1_000 && total.unattributedCents == 1_000, "\(total)")
            let r = ConversationRecord(id: "1", date: 1_750_000_000, employee: "anna", channel: "email", department: "sales")
            let late = OrderRecord(id: "L", date: 1_790_000_000, customer: "nobody@example.com", amountCents: 250, currency: "EUR")
            try store.transaction {
                _ = try store.ingest(r, key: RecordKey.make(for: r), sourceFile: "f", line: 1, ingestedAt: 0)
                _ = try store.ingest(late, key: late.key, sourceFile: "o.orders.csv", line: 3, ingestedAt: 0)
            }
            total = try reader.roi(RoiQuery(window: .all), now: 1_800_000_000).total
            #expect(total.orders == 2 && total.ordersCents == 1_250 && total.unattributedCents == 1_250 && total.conversations == 1, "\(total)")
        }
    }

    @Test("a store from before pseudonyms: once customers become pseudonyms, differently written addresses are one customer and their orders are attributed")
    func pseudonymsJoinSpellings() throws {
        try withTemporaryDirectory { dir in
            let store = try ConversationStore(path: dir + "/a.db")
            try store.adopt(Valuation())
            var r = ConversationRecord(id: "1", date: 1_795_000_000, employee: "anna", channel: "email", department: "sales")
            r.customer = "Kim.Lee@Example.com"
            let order = OrderRecord(id: "A", date: 1_795_003_600, customer: " kim.lee@example.COM", amountCents: 5_000, currency: "EUR")
            try store.transaction {
                _ = try store.ingest(r, key: RecordKey.make(for: r), sourceFile: "f", line: 1, ingestedAt: 0)
                _ = try store.ingest(order, key: order.key, sourceFile: "o.orders.csv", line: 2, ingestedAt: 0)
            }
            let reader = try store.roiReader(timeZone: .gmt, employeeFigures: .named)
            #expect(try reader.roi(RoiQuery(window: .all), now: 1_795_010_000).total.unattributedCents == 5_000, "as written: two customers")
            #expect(try store.applyCustomerNames(CustomerIdentity(mode: .pseudonymous, key: try store.pseudonymKey())) == 2)
            let total = try reader.roi(RoiQuery(window: .all, groupBy: .department), now: 1_795_010_000)
            #expect(total.rows.map { "\($0.key) \($0.figures.attributedCents ?? -1)" } == ["sales 5000"])
            #expect(total.total.unattributedCents == 0 && total.total.ordersCents == 5_000, "\(total.total)")
        }
    }
}
