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
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        write(record) { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// The form fed straight into `hasher`, never held whole (`RecordKey`, issue 17: the array
    /// and its growth were a third of keying a record).
    public static func hash(_ record: ConversationRecord, into hasher: inout SHA256.Hasher) {
        write(record) { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
    }

    /// Writes the form in pieces to `sink`: small fields gathered in a buffer on the stack, a
    /// long text handed on from its own storage.
    private static func write(_ record: ConversationRecord, to sink: (UnsafeBufferPointer<UInt8>) -> Void) {
        withoutActuallyEscaping(sink) { sink in withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Writer.capacity) { buffer in
            var writer = Writer(buffer: buffer, sink: sink)
            writer.raw(versionTag)
            writer.field("id", record.id)
            writer.field("date", integer: Int64(record.date))
            writer.field("utc_offset", integer: Int64(record.utcOffsetSeconds))
            writer.field("employee", record.employee)
            // Labels as the parser wrote them before the vocabulary (issue 18), so stored keys stay
            // valid: the written text normalized, not the label it maps to.
            writer.field("channel", record.unmatchedChannel.map(FieldValues.lowercase) ?? record.channel)
            writer.field("customer", record.customer)
            writer.field("department", record.rawDepartment.map(FieldValues.label) ?? record.department)
            writer.field("outcome", record.rawOutcome.map(FieldValues.label) ?? record.outcome)
            writer.field("duration", integer: record.durationSeconds)
            writer.field("value", integer: record.valueCents)
            writer.field("currency", record.currency)
            writer.field("satisfaction", integer: record.satisfaction.map { Int64($0) })
            writer.field("sentiment", record.sentiment)
            writer.field("response_time", integer: record.responseTimeSeconds)
            writer.field("subject", record.subject)
            writer.field("text", record.text)
            writer.field("tags", integer: Int64(record.tags.count))
            for tag in record.tags { writer.field("tag", tag) }
            // Extras are kept under their written names but hashed under the folded one (`X-Cmd` →
            // `x_cmd`), as they were stored before names were kept verbatim: a file dropped again
            // after that change keeps its key and stays a duplicate.
            writer.field("extras", integer: Int64(record.extras.count))
            if !record.extras.isEmpty {
                let extras = record.extras.map { (key: Field.normalize($0.key), value: $0.value) }.sorted {
                    $0.key == $1.key ? $0.value.utf8.lexicographicallyPrecedes($1.value.utf8) : $0.key.utf8.lexicographicallyPrecedes($1.key.utf8)
                }
                for (key, value) in extras {
                    writer.field("extra_key", key)
                    writer.field("extra_value", value)
                }
            }
            writer.flush()
        } }
    }

    /// Appends length-prefixed fields to a fixed buffer, handing it to the sink when full: each
    /// text's UTF-8 copied whole and its length written as digits in place (issue 17: byte-by-byte
    /// appends and a String per length were two fifths of keying a record).
    private struct Writer {
        static let capacity = 512
        let buffer: UnsafeMutableBufferPointer<UInt8>
        let sink: (UnsafeBufferPointer<UInt8>) -> Void
        var used = 0

        init(buffer: UnsafeMutableBufferPointer<UInt8>, sink: @escaping (UnsafeBufferPointer<UInt8>) -> Void) {
            self.buffer = buffer
            self.sink = sink
        }

        mutating func flush() {
            if used > 0 { sink(UnsafeBufferPointer(rebasing: buffer[0..<used])) }
            used = 0
        }

        @inline(__always)
        mutating func byte(_ b: UInt8) {
            if used == buffer.count { flush() }
            buffer[used] = b
            used += 1
        }

        /// Copies `bytes` into the buffer, or hands a long run on as it is.
        mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
            if bytes.count > buffer.count - used {
                flush()
                if bytes.count > buffer.count / 2 { sink(bytes); return }
            }
            guard let from = bytes.baseAddress, bytes.count > 0 else { return }
            (buffer.baseAddress! + used).initialize(from: from, count: bytes.count)
            used += bytes.count
        }

        mutating func raw(_ text: String) {
            var text = text
            text.withUTF8 { append($0) }
        }

        mutating func raw(_ text: StaticString) {
            text.withUTF8Buffer { append($0) }
        }

        /// `n` (≥ 0) in decimal, as `String(n)` writes it.
        mutating func decimal(_ n: UInt64) {
            // Digits right to left on the stack (20 fit any UInt64), then appended in order.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { d in
                var rest = n
                var at = 20
                repeat {
                    at -= 1
                    d[at] = UInt8(truncatingIfNeeded: 0x30 + rest % 10)
                    rest /= 10
                } while rest > 0
                append(UnsafeBufferPointer(rebasing: d[at...]))
            }
        }

        mutating func field(_ name: StaticString, _ value: String?) {
            raw(name)
            if var value {
                value.withUTF8 { utf8 in
                    byte(UInt8(ascii: "="))
                    decimal(UInt64(utf8.count))
                    byte(UInt8(ascii: ":"))
                    append(utf8)
                }
            } else {
                byte(UInt8(ascii: "-"))
            }
            byte(0x0a)
        }

        /// A number field as `field(name, String(n))` writes it: its decimal text, length first.
        mutating func field(_ name: StaticString, integer n: Int64?) {
            guard let n else { field(name, nil); return }
            raw(name)
            byte(UInt8(ascii: "="))
            var digits = 1
            var rest = n.magnitude
            while rest >= 10 { rest /= 10; digits += 1 }
            decimal(UInt64(n < 0 ? digits + 1 : digits))
            byte(UInt8(ascii: ":"))
            if n < 0 { byte(UInt8(ascii: "-")) }
            decimal(n.magnitude)
            byte(0x0a)
        }
    }
}
