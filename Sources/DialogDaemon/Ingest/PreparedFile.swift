import DialogCore

/// A spool file opened, judged and — when small — parsed, keyed and labelled before the
/// transaction, on all cores: reading, parsing, hashing and tokenizing are a third of the
/// per-file work and need no store. Every file takes this one path, whatever its size: its
/// format is decided once (`RecordReader.format(of:)`) and every refusal is made here.
struct PreparedFile: Sendable {
    enum Content: Sendable {
        /// Gone before we opened it: nothing to do.
        case vanished
        /// Refused as a whole, with the reason for `NAME.reason`.
        case refused(String)
        /// A passing shortage (EMFILE, ENOMEM, …): the file stays in `new/` and is tried again later.
        case busy(String)
        /// Parsed completely; `keys[i]` is the idempotency key of `parsed.records[i]`,
        /// `documents[i]` its text tokenized for the classifier and `counted[i]` the conversation
        /// labelled, its customer as stored, counted and priced (`RecordPricing`); nil for an order.
        case parsed(ParsedFile, keys: [String], documents: [Document], counted: [CountedRecord?])
        /// Larger than `parseAheadLimit`: the loop thread reads it from this descriptor and
        /// inserts its records as they are built; `streamed`: record by record over several
        /// loop turns (`.jsonl`, `.csv`, `.mbox` and a `.json` array), else in one go.
        case large(SpoolFile, RecordFormat, streamed: Bool)
    }

    var name: String
    var bytes: Int
    var content: Content
    /// The opened file's device and inode: the file is moved out of `new/` only while that name
    /// still holds it (a writer may rename another file over it meanwhile).
    var identity: SpoolFile.Identity? = nil

    /// Files up to this size are parsed up front; their records are small enough to hold.
    static let parseAheadLimit = 64 * 1024

    /// Prepares `names` concurrently (results in the same order) on threads of our own, never
    /// libdispatch's pool (`ParallelThreads`: it traps on EMFILE). Memory stays bounded: at
    /// most `names.count` files of at most `parseAheadLimit` bytes each are held parsed;
    /// larger ones are left for the loop thread to stream. Records are labelled with the
    /// classifier as it was when the chunk began: what the chunk's own records teach it applies
    /// from the next chunk on (classifying is ~15 % of a record's work, learning much less).
    static func prepare(_ names: [String], directory: Int32, reader: RecordReader, maxFileBytes: Int, labeler: LabelSnapshot,
                        pricing: RecordPricing) -> [PreparedFile] {
        ParallelThreads.map(names.count) { index in
            prepare(names[index], directory: directory, reader: reader, maxFileBytes: maxFileBytes, labeler: labeler, pricing: pricing)
        }
    }

    static func prepare(_ name: String, directory: Int32, reader: RecordReader, maxFileBytes: Int, labeler: LabelSnapshot,
                        pricing: RecordPricing) -> PreparedFile {
        let file: SpoolFile
        switch SpoolFileReader.open(name, directory: directory) {
        case .vanished: return PreparedFile(name: name, bytes: 0, content: .vanished)
        case .refused(let reason): return PreparedFile(name: name, bytes: 0, content: .refused(reason))
        case .busy(let why): return PreparedFile(name: name, bytes: 0, content: .busy(why))
        case .file(let opened): file = opened
        }
        var prepared = prepare(name, opened: file, reader: reader, maxFileBytes: maxFileBytes, labeler: labeler, pricing: pricing)
        prepared.identity = file.identity
        return prepared
    }

    private static func prepare(_ name: String, opened file: SpoolFile, reader: RecordReader, maxFileBytes: Int, labeler: LabelSnapshot,
                                pricing: RecordPricing) -> PreparedFile {
        let reader = reader.reading(name)
        let format: RecordFormat
        do { format = try reader.format(of: name) } catch {
            return PreparedFile(name: name, bytes: file.size, content: .refused(error.description))
        }
        if !format.isStreamed, file.size > maxFileBytes {
            return PreparedFile(name: name, bytes: file.size, content: .refused(SpoolRecords.tooLarge(file.size, limit: maxFileBytes)))
        }
        guard file.size <= parseAheadLimit else {
            let streamed = format.isStreamed || format == .json && RecordFormat.isJSONArray(file.head(4096))
            return PreparedFile(name: name, bytes: file.size, content: .large(file, format, streamed: streamed))
        }
        var records: [ParsedRecord] = []
        switch SpoolRecords.read(file, format: format, reader: reader, maxFileBytes: maxFileBytes, each: { records.append($0) }) {
        case .refused(let reason):
            return PreparedFile(name: name, bytes: file.size, content: .refused(reason))
        case .busy(let why):
            return PreparedFile(name: name, bytes: file.size, content: .busy(why))
        case .parsed(var parsed, let bytes):
            parsed.records = records
            let keys = records.map { $0.order?.key ?? RecordKey.make(for: $0.record) }
            let documents = records.map { Document($0.record) }
            // Orders are not classified (docs/spool.md "Orders"); a conversation is priced here, off the loop.
            let counted = records.indices.map { i -> CountedRecord? in
                guard records[i].order == nil else { return nil }
                return pricing.counted(records[i].record, labels: labeler.labels(for: records[i].record, document: documents[i]))
            }
            return PreparedFile(name: name, bytes: bytes, content: .parsed(parsed, keys: keys, documents: documents, counted: counted))
        }
    }
}

