import Foundation
import DialogCore
@testable import DialogStore

/// A fresh directory per test (Swift Testing runs tests in parallel), removed afterwards.
func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("dialogstore-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url.path)
}

/// A record with every field set.
func fullRecord(_ n: Int = 0) -> ConversationRecord {
    ConversationRecord(
        id: nil, date: 1_795_000_000 + Int64(n), utcOffsetSeconds: 3600, employee: "anna.schmidt",
        channel: "xing", customer: "@kunde\(n)", department: "sales", outcome: "lead",
        durationSeconds: 1500, valueCents: 120_000, currency: "EUR", satisfaction: 4,
        sentiment: "positive", responseTimeSeconds: 7200, subject: "Angebot \(n)",
        text: "Kunde fragt nach einem Angebot für 40 Lizenzen; Pilot im Januar vereinbart.",
        tags: ["campaign-x", "b2b"], extras: ["crm": "48213", "region": "süd"])
}

/// The error of type `E` that `body` throws, else `nil`. Used instead of `#expect(throws:)`
/// when the checked code contains closures: Swift 6.3 gave a closure inside a macro
/// expansion the same symbol as a later closure of the test, so the wrong one ran.
func thrownError<E: Error>(_ type: E.Type, _ body: () throws -> Void) -> E? {
    do {
        try body()
        return nil
    } catch let error as E {
        return error
    } catch {
        return nil
    }
}

extension ConversationStore {
    /// Stores `record` as the daemon's pipeline does (`RecordLabeler.ingest`): counted with the
    /// store's valuation, `labels` nil meaning what it logged.
    func insert(_ record: ConversationRecord, labels: RecordLabels? = nil, key: String, sourceFile: String, line: Int, ingestedAt: Int64) throws -> Bool {
        try insert(CountedRecord(record, labels: labels, valuation: valuation), key: key, sourceFile: sourceFile, line: line, ingestedAt: ingestedAt)
    }

    func ingest(_ record: ConversationRecord, labels: RecordLabels? = nil, key: String, sourceFile: String, line: Int, ingestedAt: Int64) throws -> IngestOutcome {
        try ingest(CountedRecord(record, labels: labels, valuation: valuation), key: key, sourceFile: sourceFile, line: line, ingestedAt: ingestedAt)
    }

    /// As `RecordLabeler.recompute`: every row priced again with the adopted valuation.
    @discardableResult
    func recompute() throws -> Int { try recompute(Repricing(valuation)) }
}
