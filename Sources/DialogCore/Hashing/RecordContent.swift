/// What "the same content" means for two records with one id (docs/spool.md "ids, conflicts,
/// amends"): equal canonical forms (`RecordCanonicalForm`), byte for byte. That is every field
/// as dialogd normalizes and stores it, so the format, field order, header spelling and
/// whitespace do not matter; `amends`, the source file and the labels and prices dialogd
/// derives are not content.
public enum RecordContent {
    public static func isSame(_ a: ConversationRecord, _ b: ConversationRecord) -> Bool {
        RecordCanonicalForm.bytes(of: a) == RecordCanonicalForm.bytes(of: b)
    }

    /// The fields in which `a` and `b` differ, as a writer names them, in record order.
    /// Text is compared by UTF-8 bytes like the canonical form (not as Swift Characters, which
    /// would call composed and decomposed accents equal).
    public static func differences(_ a: ConversationRecord, _ b: ConversationRecord) -> [String] {
        func same(_ x: String?, _ y: String?) -> Bool {
            switch (x, y) {
            case (nil, nil): true
            case let (x?, y?): x.utf8.elementsEqual(y.utf8)
            default: false
            }
        }
        var out: [String] = []
        if !same(a.id, b.id) { out.append("id") }
        if a.date != b.date || a.utcOffsetSeconds != b.utcOffsetSeconds { out.append("date") }
        if !same(a.employee, b.employee) { out.append("employee") }
        if !same(a.channel, b.channel) { out.append("channel") }
        if !same(a.customer, b.customer) { out.append("customer") }
        if !same(a.department, b.department) { out.append("department") }
        if !same(a.outcome, b.outcome) { out.append("outcome") }
        if a.durationSeconds != b.durationSeconds { out.append("duration") }
        if a.valueCents != b.valueCents || !same(a.currency, b.currency) { out.append("value") }
        if a.satisfaction != b.satisfaction { out.append("satisfaction") }
        if !same(a.sentiment, b.sentiment) { out.append("sentiment") }
        if a.responseTimeSeconds != b.responseTimeSeconds { out.append("response_time") }
        if !same(a.subject, b.subject) { out.append("subject") }
        if !same(a.text, b.text) { out.append("text") }
        if a.tags.count != b.tags.count || zip(a.tags, b.tags).contains(where: { !same($0, $1) }) { out.append("tags") }
        if a.extras.count != b.extras.count || a.extras.contains(where: { key, value in !same(b.extras[key], value) }) {
            out.append("other fields")
        }
        // The canonical form decides; this list only explains it.
        if out.isEmpty, !isSame(a, b) { out.append("content") }
        return out
    }
}
