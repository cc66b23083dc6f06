/// A spool file cut into the pieces `forget` decides on one by one (`RecordErasure`): a
/// `.jsonl` into lines, a `.csv` into rows (by the CSV parser, so a quoted field over several
/// lines stays in its row) under a head kept as it is; any other file is one piece.
struct RecordSegments {
    /// Bytes before the first piece (a CSV's `sep=` line and header row), kept as they are.
    var head: [UInt8] = []
    var segments: [ArraySlice<UInt8>] = []
    var tail: [UInt8] = []

    /// Cut on the text as the reader decodes it (UTF-8, line ends as written); a file it cannot
    /// decode, and mail (which carries its own charsets), is one piece as it is.
    init(_ bytes: [UInt8], format: RecordFormat) {
        guard format == .jsonl || format == .csv, let text = try? TextDecoding.decode(bytes, foldingLineEnds: false).bytes else {
            segments = [bytes[...]]
            return
        }
        if format == .jsonl {
            var start = 0
            while start < text.count {
                let end = text[start...].firstIndex(of: 0x0A).map { $0 + 1 } ?? text.count
                segments.append(text[start..<end])
                start = end
            }
            return
        }
        text.withUnsafeBufferPointer { b in
            var csv = CSVParser(b)
            csv.detectDelimiter()
            var start = 0
            do throws(RecordRejection) {
                while let row = try csv.nextRow() {
                    if head.isEmpty && !CSVParser.isBlank(row) {
                        head = Array(text[0..<csv.i])
                    } else if !head.isEmpty {
                        segments.append(text[start..<csv.i])
                    }
                    start = csv.i
                }
            } catch {
                // An unclosed quote: the rest is one piece (the reader refuses it alone too).
                segments.append(text[start...])
                start = text.count
            }
            if head.isEmpty { head = []; segments = [text[...]] }
        }
    }

    /// A piece as a file the reader takes: a CSV row under the head.
    func parseable(_ piece: [UInt8]) -> [UInt8] {
        head.isEmpty ? piece : head + piece
    }
}
