import DialogCore

/// What `IngestBatch.insert` does to a conversation before the store sees it — the customer as
/// stored (`[privacy] customers`), its final labels applied and priced — as a value, so the
/// prepare step of a large streamed file does it on another core (issue 17).
struct RecordPricing: Sendable {
    var customers: CustomerIdentity?
    var valuation: Valuation
    var keepingShipped: Bool

    func counted(_ record: ConversationRecord, labels: RecordLabels) -> CountedRecord {
        var record = record
        if let customers { record.customer = customers.stored(record.customer) }
        return CountedRecord(record, labels: labels, valuation: valuation, keepingShipped: keepingShipped)
    }
}
