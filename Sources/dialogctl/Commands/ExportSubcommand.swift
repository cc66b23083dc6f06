import DialogCore
import Foundation

/// `export`: one row per conversation with every field and its ROI figures, as CSV that Excel
/// opens or as record-format JSON lines; fetched page by page and streamed to the file.
struct ExportSubcommand: DirectSubcommand {
    static let name = "export"
    static let abstract = "Export conversations with every field, cost and value as CSV or JSON lines."
    static let usage = "dialogctl export [--window <span> | --since <time> [--until <time>]] [filters] [--format csv|jsonl] [--delimiter , | ;] [--bom] [--records-only] [--out <file>]"
    static let options = RoiOptions.help + "\n" + """
          --format <csv|jsonl>    csv (default): one row per conversation, RFC 4180, CRLF; jsonl: one
                                  record per line in dialogd's record format (re-ingestible).
          --delimiter <char>      CSV field separator: , (default) or ; (German Excel; decimals then
                                  use a comma too).
          --bom                   Start the CSV with a UTF-8 byte order mark (Excel on Windows).
          --records-only          jsonl without the "dialogd" object of keys and figures: re-ingesting
                                  it into the same store is then a no-op.
          --out <file>            Write here (atomically: a temporary name, renamed when complete);
                                  default: standard output.
          --page-size <n>         Conversations per request, 1–1000. (default: 500)
        """

    enum Format: String { case csv, jsonl }

    private var roi: RoiOptions
    private var format = Format.csv
    private var delimiter: Character = ","
    private var bom = false
    private var recordsOnly = false
    private var out: String?
    private var pageSize = 500

    init(_ arguments: inout ArgumentCursor) throws(UsageError) {
        var format = Format.csv, delimiter: Character = ",", bom = false, recordsOnly = false, out: String?, pageSize = 500
        roi = try RoiOptions.parse(&arguments) { name, inline, arguments throws(UsageError) in
            switch name {
            case "--format":
                let value = try arguments.value(of: name, inline: inline)
                guard let parsed = Format(rawValue: value.lowercased()) else { throw arguments.error("--format '\(value)' must be csv or jsonl") }
                format = parsed
            case "--delimiter":
                let value = try arguments.value(of: name, inline: inline)
                guard value == "," || value == ";" else { throw arguments.error("--delimiter '\(value)' must be , or ;") }
                delimiter = Character(value)
            case "--bom": try arguments.flag(name, inline: inline); bom = true
            case "--records-only": try arguments.flag(name, inline: inline); recordsOnly = true
            case "--out":
                let value = try arguments.value(of: name, inline: inline)
                guard !value.isEmpty else { throw arguments.error("--out must not be empty") }
                out = value == "-" ? nil : value
            case "--page-size":
                pageSize = try ArgumentValues.integer(try arguments.value(of: name, inline: inline), option: name, in: 1...1000, cursor: arguments)
            default: return false
            }
            return true
        }
        if format == .jsonl, bom || delimiter != "," { throw arguments.error("--bom and --delimiter apply to --format csv only") }
        if format == .csv, recordsOnly { throw arguments.error("--records-only applies to --format jsonl only") }
        self.format = format; self.delimiter = delimiter; self.bom = bom; self.recordsOnly = recordsOnly
        self.out = out; self.pageSize = pageSize
    }

    func run(_ session: Session) -> Int32 {
        do throws(SessionError) {
            let file = try out.map { path throws(SessionError) in try AtomicFile(path) }
            let sink: (String) throws(SessionError) -> Void = { text throws(SessionError) in
                if let file { try file.write(text) } else { Terminal.machineOutput(text) }
            }
            var args = roi.args
            args["limit"] = .integer(Int64(pageSize))
            var columns: [String]?
            var count = 0
            while true {
                let page = try session.call(ControlRequest(command: "export", args: args), as: ExportPage<JSONValue>.self)
                let rows = page.rows.compactMap(ExportFormat.fields)
                let currency = page.currency
                var text = ""
                switch format {
                case .csv:
                    if columns == nil {
                        let header = ExportFormat.columns(sample: rows)
                        columns = header
                        if bom { if let file { try file.write(Escape.csvByteOrderMark) } else { FileHandle.standardOutput.write(Data(Escape.csvByteOrderMark)) } }
                        try sink(Escape.csvRecord(header, delimiter: delimiter.asciiValue ?? UInt8(ascii: ",")))
                    }
                    for row in rows { text += ExportFormat.csv(row, columns: columns ?? [], delimiter: delimiter) }
                case .jsonl:
                    for row in rows { text += ExportFormat.jsonLine(row, currency: currency, recordsOnly: recordsOnly) }
                }
                try sink(text)
                count += rows.count
                guard let cursor = page.nextAfter else { break }
                // Later pages: the window the first one resolved to, so it cannot move meanwhile.
                if let window = page.window {
                    args["window"] = nil
                    args["since"] = .integer(window.since)
                    args["until"] = .integer(window.until)
                }
                args["after"] = .integer(cursor)
            }
            if let file {
                try file.commit()
                Terminal.note("exported \(count) conversation\(count == 1 ? "" : "s") to \(file.target)")
            }
            return 0
        } catch {
            return Session.fail(error)
        }
    }
}
