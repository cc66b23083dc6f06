/// The idempotency key of a record (docs/spool.md): `id:` + its `id` when the writer gave one,
/// else `sha256:` + the hex SHA-256 of its canonical form, so re-ingesting a file is a no-op.
public enum RecordKey {
    public static func make(for record: ConversationRecord) -> String {
        if let id = record.id { return "id:" + id }
        var hasher = SHA256.Hasher()
        RecordCanonicalForm.hash(record, into: &hasher)
        return hasher.finalize { SHA256.hexString($0, prefix: "sha256:") }
    }
}
