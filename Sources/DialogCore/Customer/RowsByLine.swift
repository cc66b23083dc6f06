/// The pieces of a spool file that start on given lines (rows, lines, array elements, as
/// `forget` cuts them: `RecordSegments`; 1-based, line ends counted as the CSV reader counts
/// them): a rejects file names a refused row by that line, and keeps only its first 4 KiB.
public struct RowsByLine: Sendable {
    /// The pieces kept, as the reader decodes them, by the line each starts on.
    public private(set) var rows: [Int: String] = [:]

    /// Keeps the pieces of `bytes` that start on one of `lines` (the file is not kept).
    public init(_ bytes: [UInt8], format: RecordFormat, lines: Set<Int>) {
        guard let last = lines.max() else { return }
        let file = RecordSegments(bytes, format: format)
        var at = 1 + Self.lineEnds(file.head[...])
        for segment in file.segments {
            // An array element's leading `,` and spaces are before the line it starts on.
            let start = segment.firstIndex { !TextDecoding.isSpace($0) && $0 != UInt8(ascii: ",") } ?? segment.endIndex
            let first = at + Self.lineEnds(segment[..<start])
            if first > last { break }
            if lines.contains(first) { rows[first] = String(decoding: segment[start...], as: UTF8.self) }
            at += Self.lineEnds(segment)
        }
    }

    /// LF, CRLF and a lone CR, each one line end (`CSVParser`).
    private static func lineEnds(_ bytes: ArraySlice<UInt8>) -> Int {
        var count = 0
        for i in bytes.indices where bytes[i] == 0x0A || (bytes[i] == 0x0D && (i + 1 == bytes.endIndex || bytes[i + 1] != 0x0A)) { count += 1 }
        return count
    }
}
