import CAllocationCount
import DialogCore
import Foundation

/// Scenario `prepare` (issue 17), in process on one thread: what a prepare thread does per
/// record of a streamed `.jsonl` (parse + build, key, document, labels, price: `StreamReader`'s
/// prepare and `RecordPricing`), as ns and heap allocations per record. The inputs are fixed
/// (seeded, `now` pinned), so the printed digest of every output (keys, features, labels with
/// their confidence bits, prices) must not change when the code gets faster.
/// Instructions per record (load-independent): `valgrind --tool=callgrind --toggle-collect='*prepareAll*'`
/// with `DIALOGBENCH_MIX=jsonl` or `classified` (one mix per run); Ir divided by N.
enum PrepareBenchmark {
    /// 2026-11-01T00:00:00Z: dates are written relative to it and the parser's "now" is it.
    static let now: Int64 = 1_793_491_200

    static func run(_ n: Int) -> String {
        var rows = """
            | mix | records | ns/record | allocations/record | digest |
            |---|---|---|---|---|
            """
        let only = ProcessInfo.processInfo.environment["DIALOGBENCH_MIX"]
        for mix in Mix.allCases where only == nil || mix.rawValue.hasPrefix(only ?? "") {
            let (nanoseconds, allocations, digest) = measure(mix, n)
            let perRecord = dialog_bench_counts_allocations() == 1
                ? String(format: "%.1f", Double(allocations) / Double(n)) : "not counted (sanitizer build)"
            rows += "\n" + String(format: "| %@ | %d | %.0f | %@ | %@ |", mix.rawValue, n,
                                  Double(nanoseconds) / Double(n), perRecord, String(digest.prefix(16)))
        }
        return rows
    }

    enum Mix: String, CaseIterable {
        /// The records of `dialogbench jsonl`: outcome logged (so the department too), sentiment classified.
        case jsonl = "jsonl (dialogbench jsonl's records)"
        /// Subject, a longer varied text, a customer, tags and satisfaction; all three dimensions classified.
        case classified = "classified (3 dimensions, trained model)"
    }

    /// What one prepared record leaves for the loop.
    struct Prepared {
        var parsed: ParsedRecord
        var key: String
        var document: Document
        var labels: RecordLabels
        var counted: CountedRecord?
    }

    @inline(never)
    static func measure(_ mix: Mix, _ n: Int) -> (nanoseconds: UInt64, allocations: UInt64, digest: String) {
        var config = DialogConfig(layout: .checkout(root: "/nonexistent"))
        config.records.timeZone = "UTC"
        let settings = config.parseSettings(now: now)
        let reader = RecordReader(settings: settings)
        let bytes = Array(input(mix, n).utf8)
        let classifier = trained(config, mix: mix)
        let outcomeDepartments = config.valuation.outcomes.compactMapValues { $0.department }
        let customers = CustomerIdentity(mode: .pseudonymous, key: String(repeating: "ab", count: 32))
        let valuation = Valuation(config.valuation)

        let allocationsBefore = dialog_bench_allocations()
        let start = DispatchTime.now().uptimeNanoseconds
        let out = prepareAll(bytes, reader: reader, classifier: classifier, outcomeDepartments: outcomeDepartments,
                             customers: customers, valuation: valuation, count: n)
        let nanoseconds = DispatchTime.now().uptimeNanoseconds - start
        let allocations = dialog_bench_allocations() - allocationsBefore
        precondition(out.count == n, "prepare bench: \(out.count) of \(n) records parsed")
        return (nanoseconds, allocations, digest(out))
    }

    /// The measured part, alone in a function so callgrind can count just it (`--toggle-collect`).
    @inline(never)
    static func prepareAll(_ bytes: [UInt8], reader: RecordReader, classifier: Classifier, outcomeDepartments: [String: String],
                           customers: CustomerIdentity, valuation: Valuation, count n: Int) -> [Prepared] {
        var out: [Prepared] = []
        out.reserveCapacity(n)
        _ = try? reader.read(bytes, fileName: "bench.jsonl") { parsed in
            let document = Document(parsed.record)
            let labels = parsed.order == nil
                ? classifier.labels(for: parsed.record, document: document, outcomeDepartments: outcomeDepartments) : RecordLabels()
            let key = parsed.order?.key ?? RecordKey.make(for: parsed.record)
            var counted: CountedRecord? = nil
            if parsed.order == nil {
                // As RecordPricing.counted does.
                var record = parsed.record
                record.customer = customers.stored(record.customer)
                counted = CountedRecord(record, labels: labels, valuation: valuation, keepingShipped: true)
            }
            out.append(Prepared(parsed: parsed, key: key, document: document, labels: labels, counted: counted))
        }
        return out
    }

    /// SHA-256 over everything the loop gets from the prepare step.
    static func digest(_ out: [Prepared]) -> String {
        var h = SHA256.Hasher()
        func put(_ s: String?) { h.update(Array((s ?? "\u{0}nil").utf8) + [0]) }
        func put(_ d: LabelDecision?) {
            guard let d else { put(String?.none); return }
            put(d.label); put(d.source.rawValue); put(String(d.confidence.bitPattern)); put(d.tokens.joined(separator: " "))
        }
        for p in out {
            put(p.key)
            put(p.document.tokens.joined(separator: " "))
            put(p.document.features.buckets.map(String.init).joined(separator: ","))
            put(p.document.satisfaction.map(String.init))
            put(p.labels.department); put(p.labels.outcome); put(p.labels.sentiment)
            if let c = p.counted {
                put(c.record.customer); put(c.counted.department); put(c.counted.outcome); put(c.counted.sentiment)
                put("\(c.priced.department ?? "-") \(c.priced.outcome ?? "-") \(c.priced.durationSeconds) \(c.priced.costCents) \(c.priced.valueCents)")
            }
            put(p.parsed.raw); put(p.parsed.warnings.joined(separator: "\n"))
        }
        return SHA256.hexString(h.finalize())
    }

    /// The classifier as the loop would hold it: for `classified`, trained on 20,000 texts of the same kind.
    static func trained(_ config: DialogConfig, mix: Mix) -> Classifier {
        var classifier = Classifier(config.classification)
        guard mix == .classified else { return classifier }
        var g = SeededGenerator(seed: 17)
        for i in 0..<20_000 {
            let d = Document(text: text(&g), subject: subject(&g))
            classifier.learn(d, dimension: .department, label: departments[i % departments.count])
            classifier.learn(d, dimension: .outcome, label: outcomes[i % outcomes.count])
            classifier.learn(d, dimension: .sentiment, label: sentiments[i % sentiments.count])
        }
        return classifier
    }

    static let departments = ["sales", "billing", "service", "marketing", "feedback"]
    static let outcomes = ["won", "lead", "lost", "resolved", "escalated", "unresolved", "engaged", "idea", "bug", "complaint"]
    static let sentiments = ["positive", "neutral", "negative"]
    static let channels = ["email", "twitter", "phone", "chat", "xing"]
    static let words = (0..<5_000).map { "wort\($0)" } + """
        Angebot Preis Lizenzen Rechnung Erstattung Lieferung Paket Passwort Newsletter Beschwerde Bewertung Größe Straße \
        Müller Kündigung nicht kein zufrieden ärgerlich quote price licences invoice refund delivery parcel password \
        newsletter complaint review order cancel not happy broken thanks the and for with ist der die das
        """.split(separator: " ").map(String.init)

    static func text(_ g: inout SeededGenerator) -> String {
        let count = 8 + Int(g.next() % 40)
        var s = (0..<count).map { _ in words[Int(g.next() % UInt64(words.count))] }.joined(separator: " ")
        switch g.next() % 4 {
        case 0: s += " Vielen Dank, 1.200,50 € bis https://example.com/x?y=1"
        case 1: s += " thanks, see @kunde or mail anna@example.com"
        case 2: s += " 49,90 EUR zu viel, don't ask (kaputt)!"
        default: s += "."
        }
        return s
    }

    static func subject(_ g: inout SeededGenerator) -> String {
        (0..<(1 + Int(g.next() % 5))).map { _ in words[Int(g.next() % UInt64(words.count))] }.joined(separator: " ")
    }

    /// The `.jsonl` text of `n` records of `mix`, dated within the 30 days before `now`.
    static func input(_ mix: Mix, _ n: Int) -> String {
        var g = SeededGenerator(seed: 4711)
        var out = ""
        out.reserveCapacity(n * 400)
        for i in 0..<n {
            let date = "2026-10-\(String(format: "%02d", 1 + i % 30))T\(String(format: "%02d:%02d:%02d", i % 24, i % 60, (i / 60) % 60))Z"
            switch mix {
            case .jsonl:
                out += "{\"date\": \"\(date)\", \"employee\": \"employee\(i % 40)\", \"channel\": \"\(channels[i % 5])\", \"duration\": \"\(i % 55 + 5)m\", \"outcome\": \"resolved\", \"value\": \"\(i % 300).50 EUR\", \"text\": \"Conversation number \(i) about an order that did not arrive.\"}\n"
            case .classified:
                let text = Self.text(&g).replacingOccurrences(of: "\"", with: "\\\"")
                out += "{\"date\": \"\(date)\", \"employee\": \"employee\(i % 40)\", \"channel\": \"\(channels[i % 5])\", \"customer\": \"kunde\(i % 997)@example.com\", \"duration\": \"\(i % 55 + 5)m\", \"satisfaction\": \(1 + i % 5), \"tags\": [\"vip\", \"q\(i % 4)\"], \"subject\": \"\(subject(&g))\", \"text\": \"\(text)\", \"X-Ticket\": \"T-\(i)\"}\n"
            }
        }
        return out
    }
}
