/// A spool file cut into the pieces `forget` decides on one by one (`RecordErasure`): a
/// `.jsonl` into lines, a `.csv` into rows (by the CSV parser, so a quoted field over several
/// lines stays in its row) under a head kept as it is, a `.json` array into its elements (each
/// with the `,` before it); any other file is one piece.
struct RecordSegments {
    /// Bytes before the first piece (a CSV's `sep=` line and header row), kept as they are.
    var head: [UInt8] = []
    var segments: [ArraySlice<UInt8>] = []
    var tail: [UInt8] = []
    /// A `.json` array: pieces are elements, read alone as `[element]`.
    private var jsonArray = false

    /// Cut on the text as the reader decodes it (UTF-8, line ends as written: a Windows-1252
    /// `.conv` or `.json` object is one piece of UTF-8); a file it cannot decode, and mail (which
    /// carries its own charsets: transcoded, its headers would lie), is one piece as it is.
    init(_ bytes: [UInt8], format: RecordFormat) {
        let splits = format == .jsonl || format == .csv || (format == .json && RecordFormat.isJSONArray(Array(bytes.prefix(4096))))
        guard format != .eml, format != .mbox, let text = try? TextDecoding.decode(bytes, foldingLineEnds: false).bytes else {
            segments = [bytes[...]]
            return
        }
        guard splits else {
            segments = [text[...]]
            return
        }
        if format == .json {
            cutArray(text)
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

    /// The elements of a top-level JSON array, by the scan that cuts large arrays
    /// (`JSONArrayBoundaries`): head `[`, each piece its leading `,` and the element, tail `]` on.
    /// A text the scan does not end at a `]` is one piece (the reader judges it whole).
    private mutating func cutArray(_ text: [UInt8]) {
        guard let open = text.firstIndex(of: UInt8(ascii: "[")) else { segments = [text[...]]; return }
        var scan = JSONArrayBoundaries.Scan()
        _ = scan.advance(text[open])
        var start = open + 1
        var pieces: [ArraySlice<UInt8>] = []
        for i in (open + 1)..<text.count where scan.advance(text[i]) {
            if text[i] == UInt8(ascii: "]") {
                pieces.append(text[start..<i])
                head = Array(text[...open])
                tail = Array(text[i...])
                segments = pieces
                jsonArray = true
                return
            }
            pieces.append(text[start..<i])
            start = i
        }
        segments = [text[...]]
    }

    /// A piece as a file the reader takes: a CSV row under the head, an array element as `[element]`.
    func parseable(_ piece: [UInt8]) -> [UInt8] {
        if jsonArray { return [UInt8(ascii: "[")] + Self.withoutLeadingComma(piece[...]) + [UInt8(ascii: "]")] }
        return head.isEmpty ? piece : head + piece
    }

    /// The file again from the pieces kept: an array's first kept element loses its `,`.
    func joined(_ kept: [[UInt8]]) -> [UInt8] {
        var out = head
        for (index, piece) in kept.enumerated() {
            out += jsonArray && index == 0 ? Array(Self.withoutLeadingComma(piece[...])) : piece
        }
        return out + tail
    }

    private static func withoutLeadingComma(_ piece: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        guard let first = piece.firstIndex(where: { !TextDecoding.isSpace($0) }), piece[first] == UInt8(ascii: ",") else { return piece }
        return piece[(first + 1)...]
    }
}
