import DialogCore
import Foundation
import Testing

/// Attack 5 (issue 12): orders of one customer spread over years, then conversations spread over
/// the same years. Each conversation queues the orders of its lookback for attribution; a batch of
/// them used to attribute them all in its commit, where `batch_max_ms` no longer counts (all 20,000
/// orders × 100 touches in one commit: status and other droppers waited 10–30 s, VmHWM 81 MiB).
/// Now the orders a batch queued count against its budget: past `maxQueuedAttributions` it commits.
/// Through the real daemon, spool, SQLite file and dialogctl.
@Suite("attribution: a batch's queued orders are bounded")
struct AttributionBatchBoundTests {
    static let day = 86_400
    /// `ConversationStore.maxQueuedAttributions`: a batch stops taking files once its files queued this many.
    static let bound = 1000

    static func json(_ daemon: DaemonProcess, _ arguments: String...) throws -> [String: Any] {
        let run = try runDialogctl(["--socket", daemon.socketPath, "--json"] + arguments)
        #expect(run.status == 0, "\(run.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    }

    static func int(_ value: Any?) -> Int64? { (value as? NSNumber)?.int64Value }

    /// "N order(s) attributed" of every batch line in the daemon's log (a large file's: its largest
    /// slice's); a line without it attributed none.
    static func attributedPerBatch(_ log: String) -> [Int] {
        log.split(separator: "\n").filter { $0.contains("batch: ") }.map { line in
            guard let range = line.range(of: " order(s) attributed") else { return 0 }
            return Int(line[..<range.lowerBound].split(separator: " ").last ?? "") ?? -1
        }
    }

    @Test("conversations over years of spread orders: no batch attributes more than the bound; all stored, figures add up, VmHWM < 64 MiB")
    func spreadOrders() throws {
        let dir = TestDirectory("attribution-batch-bound")
        // batch_max_ms at its most: only the attribution bound splits the conversations' batch.
        let daemon = try DaemonProcess(directory: dir, settings: ["attribution.lookback": "90d", "attribution.max_touches": "100",
                                                                  "spool.batch_max_ms": "60000"]).start()
        defer { daemon.stop() }
        // 3,000 orders of one customer 8 h apart over 1,000 days: 270 in any lookback (max_orders 1000 refuses none).
        let orders = 3000, span = 1000 * Self.day
        let start = -span - 10 * Self.day
        let lines = (0..<orders).map { k in
            #"{"type":"order","id":"ord-\#(k)","date":"\#(isoDate(start + k * span / orders))","customer":"victim@example.com","amount":"10.00"}"#
        }
        daemon.drop("erp.jsonl", lines.joined(separator: "\n") + "\n")
        #expect(daemon.drained(120))
        #expect(waitUntil(30) { Self.int((try? Self.json(daemon, "status"))?["orders_stored"]) == Int64(orders) })
        // 200 conversations of that customer, 5 days apart over the same years, one-line .conv files dropped at once.
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        let conversations = 200
        for i in 0..<conversations {
            let date = formatter.string(from: Date().addingTimeInterval(TimeInterval(start + i * span / conversations + 3600)))
            dir.write("spool/tmp/v-\(i).conv", Array("Date: \(date)\nEmployee: anna\nChannel: chat\nCustomer: victim@example.com\nId: v-\(i)\n\nFrage \(i)\n".utf8))
        }
        for i in 0..<conversations { rename(dir.sub("spool/tmp/v-\(i).conv"), dir.sub("spool/new/v-\(i).conv")) }
        #expect(daemon.drained(300))
        #expect(waitUntil(30) { Self.int((try? Self.json(daemon, "status"))?["conversations"]) == Int64(conversations) })
        let status = try Self.json(daemon, "status")
        #expect(Self.int(status["orders_stored"]) == Int64(orders) && Self.int(status["conversations"]) == Int64(conversations), "\(status)")
        // No batch attributed more than the bound and what one file added (its lookback's new days: ~15 orders here).
        let perBatch = Self.attributedPerBatch(daemon.log)
        let batchLines = daemon.log.split(separator: "\n").filter { $0.contains("batch: ") }.joined(separator: "\n")
        #expect(!perBatch.isEmpty && perBatch.allSatisfy { $0 >= 0 && $0 <= Self.bound + 30 }, "\(perBatch)\n\(batchLines)")
        #expect(perBatch.reduce(0, +) >= orders, "\(perBatch)")
        // The conversations' lookbacks cover all 3,000 orders: they cannot share fewer than three commits.
        let smallBatches = daemon.log.split(separator: "\n").filter { $0.contains("batch: ") && $0.contains(" file(s), ") }
        #expect(smallBatches.count >= 3, "\(batchLines)")
        // The figures add up: every order's cents are attributed or unattributed, once.
        let roi = try Self.json(daemon, "roi", "--window", "all", "--by", "department")
        let total = roi["total"] as? [String: Any] ?? [:]
        let attributed = (roi["rows"] as? [[String: Any]] ?? []).reduce(Int64(0)) { $0 + (Self.int($1["attributed_cents"]) ?? 0) }
        #expect(Self.int(total["orders_cents"]) == Int64(orders) * 10_00, "\(total)")
        #expect(attributed + (Self.int(total["unattributed_cents"]) ?? -1) == Int64(orders) * 10_00 && attributed > 0, "\(total) \(attributed)")
        let peak = peakResidentKiB(daemon.pid) ?? Int.max
        print("AttributionBatchBoundTests.spreadOrders: batches attributed \(perBatch); dialogd peak RSS (VmHWM) \(peak) KiB")
        #expect(peak < residentLimitKiB, "VmHWM \(peak) KiB")
    }
}
