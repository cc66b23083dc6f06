import Dispatch
import DialogCore

/// A spool file read — and, when small, parsed and keyed — before the transaction, on all
/// cores: reading, parsing, hashing and tokenizing are a third of the per-file work and need no store.
struct PreparedFile: Sendable {
    enum Content: Sendable {
        /// Gone before we opened it: nothing to do.
        case vanished
        /// Refused as a whole, with the reason for `NAME.reason`.
        case refused(String)
        /// Parsed completely; `keys[i]` is the idempotency key of `parsed.records[i]`,
        /// `documents[i]` its text tokenized for the classifier and `labels[i]` its labels.
        case parsed(ParsedFile, keys: [String], documents: [Document], labels: [RecordLabels])
        /// Larger than `parseAheadLimit`: the loop thread reads it and streams it into the store.
        case large
    }

    var name: String
    var bytes: Int
    var content: Content

    /// Files up to this size are parsed up front; their records are small enough to hold.
    static let parseAheadLimit = 64 * 1024

    /// Prepares `names` concurrently (results in the same order). Memory stays bounded: at
    /// most `names.count` files of at most `parseAheadLimit` bytes each are held parsed;
    /// larger ones are left for the loop thread to stream. Records are labelled with the
    /// classifier as it was when the chunk began: what the chunk's own records teach it applies
    /// from the next chunk on (classifying is ~15 % of a record's work, learning much less).
    static func prepare(_ names: [String], directory: Int32, reader: RecordReader, maxFileBytes: Int, labeler: LabelSnapshot) -> [PreparedFile] {
        let slots = UnsafeMutableBufferPointer<PreparedFile>.allocate(capacity: names.count)
        defer { slots.deallocate() }
        let output = SlotWriter(slots: slots)
        DispatchQueue.concurrentPerform(iterations: names.count) { index in
            let file = prepare(names[index], directory: directory, reader: reader, maxFileBytes: maxFileBytes, labeler: labeler)
            output.write(file, at: index)
        }
        let prepared = Array(slots)
        _ = slots.baseAddress!.deinitialize(count: names.count)
        return prepared
    }

    static func prepare(_ name: String, directory: Int32, reader: RecordReader, maxFileBytes: Int, labeler: LabelSnapshot) -> PreparedFile {
        let bytes: [UInt8]
        switch SpoolFileReader.read(name, directory: directory, maxBytes: maxFileBytes, deferAbove: parseAheadLimit) {
        case .deferred:
            return PreparedFile(name: name, bytes: 0, content: .large)
        case .vanished:
            return PreparedFile(name: name, bytes: 0, content: .vanished)
        case .refused(let reason):
            return PreparedFile(name: name, bytes: 0, content: .refused(reason))
        case .bytes(let content, _):
            bytes = content
        }
        guard RecordFormat(fileName: name) != nil else {
            return PreparedFile(name: name, bytes: bytes.count, content: .refused("has no known extension; expected .conv, .txt, .json, .jsonl or .csv"))
        }
        do {
            let parsed = try reader.read(bytes, fileName: name)
            let keys = parsed.records.map { RecordKey.make(for: $0.record) }
            let documents = parsed.records.map { Document($0.record) }
            let labels = parsed.records.indices.map { labeler.labels(for: parsed.records[$0].record, document: documents[$0]) }
            return PreparedFile(name: name, bytes: bytes.count, content: .parsed(parsed, keys: keys, documents: documents, labels: labels))
        } catch {
            return PreparedFile(name: name, bytes: bytes.count, content: .refused(error.description))
        }
    }
}

/// Lets concurrentPerform's iterations initialize distinct slots of one buffer: each index is
/// written by exactly one iteration and read only after all have finished.
private struct SlotWriter: @unchecked Sendable {
    let slots: UnsafeMutableBufferPointer<PreparedFile>
    func write(_ file: PreparedFile, at index: Int) {
        (slots.baseAddress! + index).initialize(to: file)
    }
}
