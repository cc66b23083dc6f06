/// The idempotency key of a record: its `id` when given, else a SHA-256 of its normalized content.
///
/// STUB — the store helper implements SHA-256 and the canonical form.
public enum RecordKey {
    public static func make(for record: ConversationRecord) -> String {
        if let id = record.id { return "id:" + id }
        return "sha256:" + String(record.date) + record.employee
    }
}
