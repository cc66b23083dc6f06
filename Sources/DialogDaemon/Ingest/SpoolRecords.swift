#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DialogCore
import DialogSystem

/// Reads the records of one opened spool file, for the prepare step and the loop alike: a
/// streamed format (`.jsonl`, `.csv`) record by record straight from the descriptor, whatever
/// its size; a whole-document format (`.conv`, `.json`) read whole, up to `spool.max_file_bytes`.
/// Either way only the bytes the file held when taken are read (`SpoolFileCursor`).
enum SpoolRecords {
    enum Outcome {
        /// Parsed; `bytes` is how much was read.
        case parsed(ParsedFile, bytes: Int)
        case refused(String)
        /// A passing read error (ENOMEM, …): try the file again later.
        case busy(String)
    }

    static func tooLarge(_ size: Int, limit: Int) -> String {
        "is \(size) bytes; the limit is \(limit) bytes for .conv and .json files (spool.max_file_bytes)"
    }

    /// Records go to `each` as they are built; after a refusal the caller discards what it got.
    static func read(_ file: SpoolFile, format: RecordFormat, reader: RecordReader, maxFileBytes: Int,
                     each: (ParsedRecord) -> Void) -> Outcome {
        let reader = reader.forFile(ownedBy: file.owner)  // issue 15: the owner's roster employee
        guard format.isStreamed else {
            // The file's bytes are gone before `each` stores a record: a 4 MiB `.conv` is not held
            // twice (bytes and text) while SQLite copies its text (issue 12, repeated large files).
            var records: [ParsedRecord] = []
            let outcome = readWhole(file, format: format, reader: reader, maxFileBytes: maxFileBytes) { records.append($0) }
            guard case .parsed = outcome else { return outcome }
            // Handed on one by one and let go of: a stored record's text is not kept to the end.
            records.reverse()
            while let record = records.popLast() { each(record) }
            return outcome
        }
        var cursor = SpoolFileCursor(file)
        do {
            let parsed = try reader.readStreamed(format, sizeHint: file.size, fill: { cursor.fill($0) }, each: each)
            return .parsed(parsed, bytes: cursor.offset)
        } catch {
            if let problem = cursor.problem { return problem.busy ? .busy(problem.text) : .refused(problem.text) }
            return .refused(error.description)
        }
    }

    /// A whole-document file (`.conv`, `.json`, `.eml`) read and parsed; its bytes are freed on return.
    private static func readWhole(_ file: SpoolFile, format: RecordFormat, reader: RecordReader, maxFileBytes: Int,
                                  each: (ParsedRecord) -> Void) -> Outcome {
        switch file.readAll(limit: maxFileBytes, limitName: "spool.max_file_bytes") {
        case .refused(let reason): return .refused(reason)
        case .busy(let why): return .busy(why)
        case .bytes(let bytes):
            do { return .parsed(try reader.read(bytes, format: format, each: each), bytes: bytes.count) } catch {
                return .refused(error.description)
            }
        }
    }
}

/// A streamed spool file (`.jsonl`, `.csv`, `.mbox`, a large `.json` array) read a step at a time from its descriptor, so the
/// loop serves clients between steps; outcomes as `SpoolRecords.read` gives them.
struct SpoolRecordStream {
    private var cursor: SpoolFileCursor
    private var records: StreamedRecords
    var file: SpoolFile { cursor.file }
    var bytes: Int { cursor.offset }

    enum Step: Sendable {
        /// More remains; call again.
        case more
        case parsed(ParsedFile, bytes: Int)
        case refused(String)
        case busy(String)
    }

    /// Bytes read per step: a few hundred records, ten-odd milliseconds to store.
    static let stepBytes = 32 * 1024

    init(_ file: SpoolFile, format: RecordFormat, reader: RecordReader) {
        cursor = SpoolFileCursor(file)
        records = reader.forFile(ownedBy: file.owner).streamedRecords(format, sizeHint: file.size, stepBytes: Self.stepBytes)  // issue 15: the owner's roster employee
    }

    /// One read; the records it completes go to `each` (discarded by the caller after a refusal).
    mutating func step(each: (ParsedRecord) -> Void) -> Step {
        do {
            let atEnd = try records.step(fill: { cursor.fill($0) }, each: each)
            guard atEnd else { return .more }
            return .parsed(try records.finish(), bytes: cursor.offset)
        } catch {
            if let problem = cursor.problem { return problem.busy ? .busy(problem.text) : .refused(problem.text) }
            return .refused(error.description)
        }
    }
}
