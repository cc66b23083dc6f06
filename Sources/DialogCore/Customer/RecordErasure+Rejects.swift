extension RecordErasure {
    /// What happens to one line of a quarantine `NAME.rejects.jsonl` (`{"line":…,"reason":…,"raw":…}`).
    public enum RejectsLine: Equatable, Sendable {
        case keep
        case remove
        case blank(String)
    }

    /// A refused row is no record a reader takes, so its customer is judged by its cells: a row
    /// with a cell (a JSON line's top-level string, a CSV row's field) that is the customer is
    /// the customer's and goes; a row that only mentions the identity stays blanked, unless the
    /// blanked line still names it (an escape) or is no JSON any more.
    /// `format`: the refused file's (a `.csv`'s rows are read loosely too, `looseCSVCells`).
    /// `wholeRows`: the rows starting on a line of the file, read from its copies in `cur/`
    /// (`RowsByLine`), for a row the rejects file keeps cut at 4 KiB (`cutRowLine`).
    public func decide(rejectsLine line: String, format: RecordFormat? = nil, wholeRows: ((Int) -> [String])? = nil) -> RejectsLine {
        let members: [JSONMember]? = { if case .object(let m)? = try? JSONParser.parse(Array(line.utf8)) { return m } else { return nil } }()
        let raw: String? = members.flatMap { m in if case .string(let r)? = m.first(where: { $0.key == "raw" })?.value { return r } else { return nil } }
        // The customer's row goes, also given only a pseudonym or a label: a cell that is hers, or
        // (a central's) a shipped line of a record erased since, found by site and key.
        if let raw, shippedErasure.contains(refusedLine: Array(raw.utf8)[...]) || Self.cells(raw, format: format).contains(where: isOwn) { return .remove }
        // A row cut at 4 KiB may end before her cell: the row whole, found by the line the rejects
        // line names (the cut row must begin it: a copy rewritten since has other lines there).
        if let raw, let wholeRows, let number = Self.cutRowLine(members ?? []) {
            let cut = raw.utf8.dropLast(RejectList.cutMark.utf8.count)
            if wholeRows(number).contains(where: { $0.utf8.starts(with: cut) && Self.cells($0, format: format).contains(where: isOwn) }) { return .remove }
        }
        // A raw row with no cells (a truncated JSON line) that names the customer goes whole (`namesCustomer`).
        if let raw, let loose = LooseJSONLine(raw), namesCustomer(loose, raw) { return .remove }
        guard let mentions else { return .keep }
        // The line, its fields and the raw row's cells decoded: an escaped mention counts.
        let decoded = (members ?? []).compactMap { if case .string(let s) = $0.value { return s } else { return nil } } + (raw.map { Self.cells($0, format: format) } ?? [])
        guard mentions.isMentioned(in: line) || decoded.contains(where: mentions.isMentioned(in:)) else { return .keep }
        guard raw != nil else { return .remove }
        guard let blanked = mentions.scrubbed(line), !mentions.isMentioned(in: blanked),
              (try? JSONParser.parse(Array(blanked.utf8))) != nil else { return .remove }
        return .blank(blanked)
    }

    /// The line a rejects line names when its `raw` row was cut at `RejectList.rawLimit`, else nil.
    public static func cutRowLine(rejectsLine line: String) -> Int? {
        guard line.hasByteSuffix(RejectList.cutMark + "\"}"), case .object(let members)? = try? JSONParser.parse(Array(line.utf8)) else { return nil }
        return cutRowLine(members)
    }

    private static func cutRowLine(_ members: [JSONMember]) -> Int? {
        guard case .string(let raw)? = members.first(where: { $0.key == "raw" })?.value, raw.hasByteSuffix(RejectList.cutMark),
              raw.utf8.count > RejectList.rawLimit, case .number(let n)? = members.first(where: { $0.key == "line" })?.value else { return nil }
        return Int(n)
    }

    /// Whether a refused row (as a rejects file keeps it, `raw`) of a `format` file is the customer's: one of its cells is.
    public func isOwn(refusedRow raw: String, format: RecordFormat? = nil) -> Bool {
        Self.cells(raw, format: format).contains(where: isOwn)
    }

    /// The values of a refused row or file: a JSON object's top-level strings; for
    /// a JSON-looking line that does not parse, its tokens (`LooseJSONLine`); else the fields of
    /// its first CSV row (delimiter detected as the CSV reader does) and what follows the first
    /// `:` of each line (a `.conv` or mail header). More cells than fields is the safe side:
    /// a cell that is the customer removes the piece. A `.csv` row is read loosely too (`looseCSVCells`).
    static func cells(_ raw: String, format: RecordFormat? = nil) -> [String] {
        let bytes = Array(raw.utf8)
        if case .object(let members)? = try? JSONParser.parse(bytes) {
            return members.compactMap { if case .string(let s) = $0.value { return s } else { return nil } }
        }
        // A JSON line that does not parse: its literals and bare tokens, read as far as they go.
        if let loose = LooseJSONLine(raw) { return loose.cells }
        var cells = bytes.withUnsafeBufferPointer { b -> [String] in
            var csv = CSVParser(b)
            csv.detectDelimiter()
            return ((try? csv.nextRow()) ?? nil)?.fields.map(\.text) ?? []
        }
        if format == .csv { cells += looseCSVCells(bytes) }
        for line in raw.unicodeScalars.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            cells.append(String(String.UnicodeScalarView(line[line.index(after: colon)...])))
        }
        return cells
    }

    /// A CSV row no reader takes has no fields to trust, as a JSON line that is none
    /// (`LooseJSONLine`): each of its lines is read as a row under every separator the CSV reader
    /// knows (`,` `;` tab), a quote left open closed at the line's end. So a row of hers written
    /// with another separator (`a;alice@…;text` in a `,` file) or cut off in a quoted field still
    /// has a cell that is her, and goes (docs/roi.md "Erasure").
    static func looseCSVCells(_ bytes: [UInt8]) -> [String] {
        var cells: [String] = []
        for line in bytes.split(whereSeparator: { $0 == 0x0A || $0 == 0x0D }) {
            var row = Array(line)
            if row.reduce(0, { $0 + ($1 == UInt8(ascii: "\"") ? 1 : 0) }) % 2 == 1 { row.append(UInt8(ascii: "\"")) }
            for delimiter in [UInt8(ascii: ","), UInt8(ascii: ";"), 0x09] where row.contains(delimiter) {
                row.withUnsafeBufferPointer { b in
                    var csv = CSVParser(b)
                    csv.delimiter = delimiter
                    cells += ((try? csv.nextRow()) ?? nil)?.fields.map(\.text) ?? []
                }
            }
        }
        return cells
    }
}
