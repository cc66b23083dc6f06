@testable import DialogDaemon
import DialogCore
import DialogStore
import DialogSystem
import Foundation
import Testing

/// Issue 17: a batch prepares its next chunk on another core while the loop stores the current
/// one, and learns what a chunk taught only once no snapshot of the model is out. On a real
/// spool directory, a real SQLite store and the daemon's own labeler.
@Suite("Pipelined ingest")
struct PipelinedIngestTests {
    struct Parts {
        let spool: SpoolDirectory
        let store: ConversationStore
        let labeler: RecordLabeler
        let batch: IngestBatch
    }

    func parts(_ dir: TestDirectory) throws -> Parts {
        var config = DialogConfig(layout: .checkout(root: dir.path))
        config.spool.dir = dir.sub("spool")
        let spool = try SpoolDirectory(path: dir.sub("spool"))
        dir.makeDirectory("lib")
        let store = try ConversationStore(path: dir.sub("lib/dialogd.db"))
        let log = Logger(level: .error)
        let labeler = try RecordLabeler(store: store, config: config, log: log)
        let batch = IngestBatch(spool: spool, store: store, reader: RecordReader(settings: config.parseSettings(now: DialogSystem.Clock.wallSeconds())),
                                maxFileBytes: config.spool.maxFileBytes, keepArchive: true, log: log, labeler: labeler)
        return Parts(spool: spool, store: store, labeler: labeler, batch: batch)
    }

    func conv(_ i: Int) -> String {
        "Date: \(isoDate(-3600 - i))\nEmployee: anna\nChannel: email\nDepartment: \(i % 2 == 0 ? "sales" : "service")\n\n"
            + "Conversation \(i) about \(i % 2 == 0 ? "an offer and its price" : "a broken delivery")\n"
    }

    func learnedDocuments(_ labeler: RecordLabeler) -> Double {
        labeler.classifier.models[.department]?.bayes.documentCount ?? 0
    }

    @Test("a batch of several chunks stores every file once and the model learns every stored record exactly once")
    func severalChunks() throws {
        let dir = TestDirectory("pipelined")
        let p = try parts(dir)
        let count = IngestBatch.chunkSize * 3 + 5
        for i in 0..<count { dir.write("spool/new/f\(i).conv", conv(i)) }
        let names = (0..<count).map { "f\($0).conv" }
        let stored = try p.batch.store(names[...], now: DialogSystem.Clock.wallSeconds(), deadline: DialogSystem.Clock.monotonicMilliseconds() + 600_000)
        #expect(stored.taken == count)
        #expect(stored.results.count == count && stored.results.allSatisfy { $0.stored == 1 })
        #expect(try p.store.conversationCount() == count)
        #expect(learnedDocuments(p.labeler) == Double(count), "learned once per stored record, none left deferred")
        #expect(!p.labeler.defersLearning)
        // The same files again: duplicates, nothing learned twice.
        let again = try p.batch.store(names[...], now: DialogSystem.Clock.wallSeconds(), deadline: DialogSystem.Clock.monotonicMilliseconds() + 600_000)
        #expect(again.results.allSatisfy { $0.duplicates == 1 && $0.stored == 0 })
        #expect(learnedDocuments(p.labeler) == Double(count))
    }

    @Test("a large streamed file is handed on: the files behind it go on in the same batch (issue 12)")
    func largeFileIsHandedOn() throws {
        let dir = TestDirectory("pipelined-large")
        let p = try parts(dir)
        var lines = ""
        var i = 0
        while lines.utf8.count <= PreparedFile.parseAheadLimit {
            lines += "{\"date\":\"\(isoDate(-7200 - i))\",\"employee\":\"bob\",\"text\":\"streamed record \(i)\"}\n"
            i += 1
        }
        let before = IngestBatch.chunkSize + 3
        for n in 0..<before { dir.write("spool/new/a\(n).conv", conv(n)) }
        dir.write("spool/new/big.jsonl", lines)
        let after = IngestBatch.chunkSize * 2
        for n in 0..<after { dir.write("spool/new/z\(n).conv", conv(1000 + n)) }
        let names = (0..<before).map { "a\($0).conv" } + ["big.jsonl"] + (0..<after).map { "z\($0).conv" }
        let stored = try p.batch.store(names[...], now: DialogSystem.Clock.wallSeconds(), deadline: DialogSystem.Clock.monotonicMilliseconds() + 600_000)
        #expect(stored.large.map(\.name) == ["big.jsonl"])
        #expect(stored.largeWaiting.isEmpty)
        #expect(stored.taken == names.count, "the names after the large file are taken in this batch")
        #expect(stored.results.count == before + after)
        #expect(try p.store.conversationCount() == before + after)
        #expect(learnedDocuments(p.labeler) == Double(before + after))
    }

    @Test("a large streamed file's steps are prepared by two threads: each record keeps its own key, document, labels and price, in file order")
    func streamedHalvesKeepTheirRecords() throws {
        let dir = TestDirectory("pipelined-halves")
        let p = try parts(dir)
        var lines = ""
        var written = 0
        while lines.utf8.count <= PreparedFile.parseAheadLimit {
            let department = written % 3 == 0 ? "\"department\":\"sales\"," : ""
            lines += "{\"date\":\"\(isoDate(-7200 - written))\",\"employee\":\"e\(written % 7)\",\(department)\"value\":\"\(written % 50).25 EUR\","
                + "\"text\":\"record \(written) about \(written % 2 == 0 ? "an offer and its price" : "a broken delivery, not happy")\"}\n"
            written += 1
        }
        dir.write("spool/new/big.jsonl", lines)
        let stored = try p.batch.store(["big.jsonl"], now: DialogSystem.Clock.wallSeconds(), deadline: DialogSystem.Clock.monotonicMilliseconds() + 600_000)
        let large = try #require(stored.large.first)
        let reader = StreamReader(SpoolRecordStream(large.file, format: large.format, reader: p.batch.reader.reading(large.name)))
        let labels = p.labeler.snapshot, pricing = p.batch.pricing
        var read = 0, split = 0
        while true {
            let slice = try #require(reader.next(labels, pricing: pricing).wait())
            #expect(slice.keys.count == slice.records.count && slice.documents.count == slice.records.count)
            #expect(slice.labels.count == slice.records.count && slice.counted.count == slice.records.count)
            if slice.records.count >= StreamReader.splitRecords { split += 1 }
            for (i, parsed) in slice.records.enumerated() {
                #expect(parsed.record.text?.hasPrefix("record \(read) ") == true, "file order")
                let document = Document(parsed.record)
                let labelled = labels.labels(for: parsed.record, document: document)
                #expect(slice.keys[i] == RecordKey.make(for: parsed.record), "record \(read)")
                #expect(slice.documents[i] == document, "record \(read)")
                #expect(slice.labels[i] == labelled, "record \(read)")
                #expect(slice.counted[i] == pricing.counted(parsed.record, labels: labelled), "record \(read)")
                read += 1
            }
            guard case .more = slice.outcome else { break }
        }
        #expect(read == written)
        #expect(split > 1, "steps of several records were split between two threads")
    }

    @Test("deferred learning is learned in order before any other change to the model")
    func deferredLearning() throws {
        let dir = TestDirectory("pipelined-defer")
        let p = try parts(dir)
        let reader = RecordReader(settings: DialogConfig(layout: .system).parseSettings(now: DialogSystem.Clock.wallSeconds()))
        func ingest(_ i: Int) throws -> (ConversationRecord, Document) {
            let record = try #require(try reader.read(Array(conv(i).utf8), fileName: "f\(i).conv").records.first).record
            let document = Document(record)
            try p.store.transaction {
                _ = try p.labeler.ingest(record, labels: RecordLabels(), document: document, key: RecordKey.make(for: record),
                                         sourceFile: "f\(i).conv", line: 1, ingestedAt: DialogSystem.Clock.wallSeconds(), into: p.store)
            }
            return (record, document)
        }
        p.labeler.defersLearning = true
        let (record, document) = try ingest(2)
        #expect(learnedDocuments(p.labeler) == 0, "noted, not learned, while a snapshot may be out")
        // Taking a record back first learns what was deferred: the two cancel out, nothing goes negative.
        p.labeler.unlearn(record, document: document)
        #expect(learnedDocuments(p.labeler) == 0)
        _ = try ingest(4)
        #expect(learnedDocuments(p.labeler) == 0)
        p.labeler.defersLearning = false
        #expect(learnedDocuments(p.labeler) == 1, "ending the deferral learns what was noted")
    }

    /// Writes `text` to tmp/ as `owner` (chown needs root: otherwise ours) and renames it over `name` in new/.
    func replace(_ dir: TestDirectory, _ name: String, owner: UInt32, _ text: String) {
        dir.write("spool/tmp/\(name)", text)
        if getuid() == 0 { chown(dir.sub("spool/tmp/\(name)"), owner, 0) }
        rename(dir.sub("spool/tmp/\(name)"), dir.sub("spool/new/\(name)"))
    }

    @Test("a name replaced between its queueing and its reading is stored as the file the prepare step opens: the queue's look (owner, size) only orders (issue 17)")
    func replacedAfterQueueing() throws {
        let dir = TestDirectory("pipelined-replaced")
        let p = try parts(dir)
        var bigLines = ""
        var i = 0
        while bigLines.utf8.count <= PreparedFile.parseAheadLimit {
            bigLines += "{\"date\":\"\(isoDate(-7200 - i))\",\"employee\":\"bob\",\"text\":\"streamed record \(i)\"}\n"
            i += 1
        }
        let small = "{\"date\":\"\(isoDate(-9000))\",\"employee\":\"bob\",\"text\":\"one small record\"}\n"
        // Queued as they are now: grows.conv and grows.jsonl small, shrinks.jsonl large.
        replace(dir, "grows.conv", owner: 1001, conv(1))
        replace(dir, "grows.jsonl", owner: 1001, small)
        replace(dir, "shrinks.jsonl", owner: 1002, bigLines)
        var pending = PendingFiles(look: { [spool = p.spool] in spool.look(at: $0, in: .new) })
        pending.add(contentsOf: ["grows.conv", "grows.jsonl", "shrinks.jsonl"])
        // Then each is replaced, by another dropper, with a file of another size.
        let grown = conv(2) + String(repeating: "and a much longer text about the broken delivery ", count: 40) + "\n"
        replace(dir, "grows.conv", owner: 2001, grown)
        replace(dir, "grows.jsonl", owner: 2001, bigLines)
        replace(dir, "shrinks.jsonl", owner: 2002, small)
        let taken = pending.take(10)
        // Turns by the owners as queued (without root all three are ours: arrival order).
        let order = getuid() == 0 ? ["grows.conv", "shrinks.jsonl", "grows.jsonl"] : ["grows.conv", "grows.jsonl", "shrinks.jsonl"]
        #expect(taken.map(\.name) == order)
        let queuedSizes = ["grows.conv": conv(1).utf8.count, "grows.jsonl": small.utf8.count, "shrinks.jsonl": bigLines.utf8.count]
        #expect(taken.map(\.size) == order.map { queuedSizes[$0] }, "the queue keeps what it saw")

        let stored = try p.batch.store(taken[...], now: DialogSystem.Clock.wallSeconds(), deadline: DialogSystem.Clock.monotonicMilliseconds() + 600_000)
        #expect(stored.taken == 3)
        // The grown .jsonl is streamed as the large file it is now; its size is the one opened.
        #expect(stored.large.map(\.name) == ["grows.jsonl"])
        #expect(stored.large.first?.file.size == bigLines.utf8.count)
        // The others are stored as they are now, with their sizes now.
        let results = Dictionary(uniqueKeysWithValues: stored.results.map { ($0.name, $0) })
        #expect(results["grows.conv"]?.bytes == grown.utf8.count && results["grows.conv"]?.stored == 1)
        #expect(results["shrinks.jsonl"]?.bytes == small.utf8.count && results["shrinks.jsonl"]?.stored == 1)
        let texts = try p.store.conversations(matching: .init()).compactMap(\.stored.record.text).sorted()
        #expect(texts.count == 2)
        #expect(texts.contains { $0.hasPrefix("Conversation 2 about") && $0.contains("much longer text") })
        #expect(texts.contains("one small record"))
    }

    /// anna's record (id 7, sales) stored and learned; the row then says `stored` (as an older
    /// store or a crowded reload left it); bert's amend of it with `amending` is ingested and undone
    /// in one savepoint. `ready` sees the parts before the amend, `check` the amend's outcome before the undo.
    func undoneAmend(_ label: String, stored: String, amending: String, text: String, ready: (Parts) throws -> Void = { _ in },
                     check: (Parts, ReplacedRecord) -> Void = { _, _ in }) throws -> Parts {
        let dir = TestDirectory(label)
        let p = try parts(dir)
        let now = DialogSystem.Clock.wallSeconds()
        dir.write("spool/new/anna.conv", "Id: 7\nDate: \(isoDate(-3600))\nEmployee: anna\nDepartment: sales\nOutcome: won\n\nRahmenvertrag unterschrieben.\n")
        _ = try p.batch.store(["anna.conv"][...], now: now, deadline: DialogSystem.Clock.monotonicMilliseconds() + 600_000)
        try p.store.database.execute("UPDATE conversations SET department = ? WHERE key = 'id:7'", arguments: [stored])
        try ready(p)
        let reader = RecordReader(settings: DialogConfig(layout: .checkout(root: dir.path)).parseSettings(now: now))
        let amend = "Id: 7\nAmends: 7\nDate: \(isoDate(-3600))\nEmployee: bert\nDepartment: \(amending)\n\n\(text)\n"
        let record = try #require(try reader.read(Array(amend.utf8), fileName: "bert.conv").records.first).record
        let document = Document(record)
        try p.store.savepoint {
            let outcome = try p.labeler.ingest(record, labels: p.labeler.labels(for: record, document: document), document: document,
                                               key: RecordKey.make(for: record), sourceFile: "bert.conv", line: 1, ingestedAt: now, into: p.store)
            guard case .amended(let replaced) = outcome else { Issue.record("not an amend: \(outcome)"); return }
            check(p, replaced)
            p.labeler.undoAmended(replaced, by: record, document: document)
        }
        return p
    }

    @Test("an amend of a row holding a drifted label, undone, takes back only what it took: no column for the drifted label")
    func undoneAmendOfDriftedRow() throws {
        // As a store from before the vocabulary holds it.
        let p = try undoneAmend("undo-drifted", stored: "vertrieb", amending: "service", text: "Drucker läuft wieder.", check: { _, replaced in
            #expect(replaced.learned[.department] == "vertrieb")
        })
        #expect(!p.labeler.classifier.holds("vertrieb", .department))
        #expect(learnedDocuments(p.labeler) == 1, "anna's record, as before the amend")
    }

    @Test("an amend whose record makes the column the old row's label had none of, undone: the old row is not learned under it")
    func undoneAmendMakingTheColumn() throws {
        // The row says marketing, which the model never learned (a column a crowded reload dropped).
        var before: LabelModel?
        let p = try undoneAmend("undo-made-column", stored: "marketing", amending: "marketing", text: "Newsletter geplant.", ready: { p in
            before = try #require(p.labeler.classifier.models[.department])
            #expect(!p.labeler.classifier.holds("marketing", .department))
        }, check: { p, replaced in
            #expect(replaced.learned[.department] == "marketing" && p.labeler.classifier.holds("marketing", .department))
        })
        #expect(learnedDocuments(p.labeler) == 1, "anna's record, as before the amend")
        let after = try #require(p.labeler.classifier.models[.department])
        #expect(after.bayes.keeping(["sales"]) == before?.bayes.keeping(["sales"]))
    }
}
