#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DialogCore
import DialogSystem

/// Reads the records of one opened spool file, for the prepare step and the loop alike: a
/// streamed format (`.jsonl`, `.csv`) record by record straight from the descriptor, whatever
/// its size; a whole-document format (`.conv`, `.json`) read whole, up to `spool.max_file_bytes`.
enum SpoolRecords {
    enum Outcome {
        /// Parsed; `bytes` is how much was read.
        case parsed(ParsedFile, bytes: Int)
        case refused(String)
        /// A passing read error (ENOMEM, …): try the file again later.
        case busy(String)
        /// More than `stopAbove` bytes: the file grew after it was opened.
        case grew
    }

    static func tooLarge(_ size: Int, limit: Int) -> String {
        "is \(size) bytes; the limit is \(limit) bytes for .conv and .json files (spool.max_file_bytes)"
    }

    /// Records go to `each` as they are built; after a refusal the caller discards what it got.
    static func read(_ file: SpoolFile, format: RecordFormat, reader: RecordReader, maxFileBytes: Int, stopAbove: Int = .max,
                     each: (ParsedRecord) -> Void) -> Outcome {
        let reader = reader.forFile(ownedBy: file.owner)  // issue 15: the owner's roster employee
        guard format.isStreamed else {
            switch file.readAll(limit: min(maxFileBytes, stopAbove), limitName: "spool.max_file_bytes") {
            case .refused(let reason): return stopAbove < maxFileBytes && reason.hasPrefix("grew") ? .grew : .refused(reason)
            case .busy(let why): return .busy(why)
            case .bytes(let bytes):
                do { return .parsed(try reader.read(bytes, format: format, each: each), bytes: bytes.count) } catch {
                    return .refused(error.description)
                }
            }
        }
        var total = 0
        var readError: Int32 = 0
        var grew = false
        do {
            let parsed = try reader.readStreamed(format, sizeHint: file.size, fill: { buffer in
                let room = stopAbove == .max ? buffer.count : min(buffer.count, stopAbove - total + 1)
                let n = file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<room]))
                if n < 0 { readError = errno; return -1 }
                total += n
                if total > stopAbove { grew = true; return -1 }
                return n
            }, each: each)
            return .parsed(parsed, bytes: total)
        } catch {
            if grew { return .grew }
            if readError != 0 {
                let text = SystemError(call: "read", errno: readError).description
                return SpoolFileReader.isTransient(readError) ? .busy("cannot be read now: " + text) : .refused("cannot be read: " + text)
            }
            return .refused(error.description)
        }
    }
}

/// A streamed spool file (`.jsonl`, `.csv`) read a step at a time from its descriptor, so the
/// loop serves clients between steps; outcomes as `SpoolRecords.read` gives them.
struct SpoolRecordStream {
    let file: SpoolFile
    private var records: StreamedRecords
    private(set) var bytes = 0

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
        self.file = file
        records = reader.forFile(ownedBy: file.owner).streamedRecords(format, sizeHint: file.size, stepBytes: Self.stepBytes)  // issue 15: the owner's roster employee
    }

    /// One read; the records it completes go to `each` (discarded by the caller after a refusal).
    mutating func step(each: (ParsedRecord) -> Void) -> Step {
        var readError: Int32 = 0
        var total = bytes
        defer { bytes = total }
        let file = self.file
        do {
            let atEnd = try records.step(fill: { buffer in
                let n = file.read(into: buffer)
                if n < 0 { readError = errno; return -1 }
                total += n
                return n
            }, each: each)
            guard atEnd else { return .more }
            return .parsed(try records.finish(), bytes: total)
        } catch {
            if readError != 0 {
                let text = SystemError(call: "read", errno: readError).description
                return SpoolFileReader.isTransient(readError) ? .busy("cannot be read now: " + text) : .refused("cannot be read: " + text)
            }
            return .refused(error.description)
        }
    }
}
