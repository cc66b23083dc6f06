/// A deterministic byte serialization of every field of a (normalized) record, the input
/// of its content hash.
///
/// Layout, version-tagged so a future change is explicit rather than silent:
/// `dialogd-record-v1\n` then, in a fixed field order, one entry per field:
/// `name` `=` byte-length `:` bytes `\n` for a value, `name` `-` `\n` for nil.
/// Lengths make field boundaries unambiguous, so no value can imitate another field.
/// Lists carry their count first; extras are sorted by the UTF-8 bytes of their folded keys.
/// `id` is included too, though a record with an id is keyed by it instead.
public enum RecordCanonicalForm {
    public static let versionTag = "dialogd-record-v1\n"

    public static func bytes(of record: ConversationRecord) -> [UInt8] {
        var writer = Writer()
        writer.raw(versionTag)
        writer.field("id", record.id)
        writer.field("date", String(record.date))
        writer.field("utc_offset", String(record.utcOffsetSeconds))
        writer.field("employee", record.employee)
        // Labels as the parser wrote them before the vocabulary (issue 18), so stored keys stay
        // valid: the written text normalized, not the label it maps to.
        writer.field("channel", record.unmatchedChannel.map(FieldValues.lowercase) ?? record.channel)
        writer.field("customer", record.customer)
        writer.field("department", record.rawDepartment.map(FieldValues.label) ?? record.department)
        writer.field("outcome", record.rawOutcome.map(FieldValues.label) ?? record.outcome)
        writer.field("duration", record.durationSeconds.map { String($0) })
        writer.field("value", record.valueCents.map { String($0) })
        writer.field("currency", record.currency)
        writer.field("satisfaction", record.satisfaction.map { String($0) })
        writer.field("sentiment", record.sentiment)
        writer.field("response_time", record.responseTimeSeconds.map { String($0) })
        writer.field("subject", record.subject)
        writer.field("text", record.text)
        writer.field("tags", String(record.tags.count))
        for tag in record.tags { writer.field("tag", tag) }
        // Extras are kept under their written names but hashed under the folded one (`X-Cmd` →
        // `x_cmd`), as they were stored before names were kept verbatim: a file dropped again
        // after that change keeps its key and stays a duplicate.
        let extras = record.extras.map { (key: Field.normalize($0.key), value: $0.value) }.sorted {
            $0.key == $1.key ? $0.value.utf8.lexicographicallyPrecedes($1.value.utf8) : $0.key.utf8.lexicographicallyPrecedes($1.key.utf8)
        }
        writer.field("extras", String(extras.count))
        for (key, value) in extras {
            writer.field("extra_key", key)
            writer.field("extra_value", value)
        }
        return writer.bytes
    }

    /// Appends length-prefixed fields to a growing byte buffer: each text's UTF-8 copied whole
    /// and its length written as digits in place (issue 17: byte-by-byte appends and a String
    /// per length were two fifths of keying a record).
    private struct Writer {
        var bytes: [UInt8] = []

        init() { bytes.reserveCapacity(512) }

        mutating func raw(_ text: String) {
            var text = text
            text.withUTF8 { bytes.append(contentsOf: $0) }
        }

        /// `n` (≥ 0) in decimal, as `String(n)` writes it.
        mutating func decimal(_ n: Int) {
            if n >= 10 { decimal(n / 10) }
            bytes.append(UInt8(truncatingIfNeeded: 0x30 + n % 10))
        }

        mutating func field(_ name: String, _ value: String?) {
            raw(name)
            if var value {
                value.withUTF8 { utf8 in
                    bytes.append(UInt8(ascii: "="))
                    decimal(utf8.count)
                    bytes.append(UInt8(ascii: ":"))
                    bytes.append(contentsOf: utf8)
                }
            } else {
                bytes.append(UInt8(ascii: "-"))
            }
            bytes.append(0x0a)
        }
    }
}
