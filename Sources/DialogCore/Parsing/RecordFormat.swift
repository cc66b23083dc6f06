/// The file formats of docs/spool.md, chosen by extension — once, by `RecordReader.format(of:)`.
public enum RecordFormat: String, Sendable, CaseIterable {
    case conv, json, jsonl, csv, eml, mbox

    /// `.conv`/`.txt` → conv, `.json`, `.jsonl`/`.ndjson`, `.csv`, `.eml`, `.mbox`; case-insensitive; else `nil`.
    /// The last dot byte: a mark beside it does not hide it (`String+Bytes`).
    public init?(fileName: String) {
        guard let dot = fileName.lastIndex(ofByte: UInt8(ascii: ".")), dot != fileName.startIndex else { return nil }
        switch fileName[fileName.utf8.index(after: dot)...].lowercased() {
        case "conv", "txt": self = .conv
        case "json": self = .json
        case "jsonl", "ndjson": self = .jsonl
        case "csv": self = .csv
        case "eml": self = .eml
        case "mbox", "mbx": self = .mbox
        default: return nil
        }
    }

    /// Whether rejects are per record (`NAME.rejects.jsonl`) rather than per file.
    public var isMultiRecord: Bool { self != .conv && self != .eml }

    /// Read record by record (a line, a row, a message) in bounded blocks, so each record is
    /// limited (`spool.max_record_bytes`) rather than the file (`spool.max_file_bytes`).
    public var isStreamed: Bool { self == .jsonl || self == .csv || self == .mbox }

    /// Whether a `.json` whose text begins with `head` is an array (its first byte after a BOM
    /// and whitespace is `[`): a large one is read element by element like a `.jsonl`
    /// (`RecordReader.streamedRecords(.json, …)`); an object is read whole.
    public static func isJSONArray(_ head: [UInt8]) -> Bool {
        var i = head.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while i < head.count, TextDecoding.isSpace(head[i]) { i += 1 }
        return i < head.count && head[i] == UInt8(ascii: "[")
    }
}
