import DialogCore
import DialogStore

/// Records of a customer `forget` erased, dropped again (docs/roi.md "Erasure": the suppression
/// list): never stored with her identity or texts. The erased record again is a duplicate; a
/// new one is stored as `forget` leaves records — a `forget` label, no subject, text or extra
/// fields — so the figures count it and nothing of her is kept. The file is scrubbed once moved.
extension IngestBatch {
    func insertErased(_ record: ConversationRecord, labels: RecordLabels, _ parsedRecord: ParsedRecord, key: String,
                      keepLearned: Bool, file: String, now: Int64, into result: inout FileResult) throws {
        result.forgottenRecords += 1
        let stored = try store.forgottenLabel(ofConversation: record, key: key)
        // Her erased record, whatever the file says now (also an amend: it would bring her texts back).
        if stored != nil, record.shipped == nil {
            result.duplicates += 1
            return
        }
        // A shipped revision keeps the label its stored copy has; a new record gets the file's label for her.
        let erased = Self.erased(record, label: stored ?? result.erasedLabel(for: record.customer ?? ""))
        let counted = CountedRecord(erased, labels: labels, valuation: store.valuation, keepingShipped: !store.recomputesShippedFigures)
        // Her words teach the model nothing: it learns the erased record's (empty) text.
        let document = Document(erased)
        let outcome = try labeler.ingest(counted, document: document, key: key, sourceFile: file, line: parsedRecord.line, ingestedAt: now, into: store)
        try tally(outcome, of: erased, key: key, parsedRecord, document: document, keepLearned: keepLearned, into: &result)
    }

    /// A conversation as `forget` leaves it: `label` for the customer, no subject, text or extras.
    static func erased(_ record: ConversationRecord, label: String) -> ConversationRecord {
        var erased = record
        erased.customer = label
        erased.subject = nil
        erased.text = nil
        erased.extras = [:]
        return erased
    }

    /// An order as `forget` leaves it: `label` for the customer, its extras gone but a credit
    /// note's `credits` (the order it takes back: attribution reads it).
    static func erased(_ order: OrderRecord, label: String) -> OrderRecord {
        var erased = order
        erased.customer = label
        erased.extras = order.extras[OrderRecord.creditsKey].map { [OrderRecord.creditsKey: $0] } ?? [:]
        return erased
    }
}
