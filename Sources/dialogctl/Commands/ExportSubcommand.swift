import DialogCore
import Foundation

/// `export`: one row per conversation with every field and its ROI figures, as CSV that Excel
/// opens or as record-format JSON lines; fetched page by page and streamed to the file.
struct ExportSubcommand: DirectSubcommand {
    static let name = "export"
    static let abstract = "Export conversations with every field, cost and value as CSV or JSON lines."
    static let usage = "dialogctl export [--window <span> | --since <time> [--until <time>]] [filters] [--format csv|jsonl] [--delimiter , | ;] [--bom] [--records-only] [--by site] [--after <cursor> | --cursor-file <file>] [--out <file> | --outbox <dir>]"
    static let options = RoiOptions.help + "\n" + """
          --format <csv|jsonl>    csv (default): one row per conversation, RFC 4180, CRLF; jsonl: one
                                  record per line in dialogd's record format (re-ingestible).
          --delimiter <char>      CSV field separator: , (default) or ; (German Excel; decimals then
                                  use a comma too).
          --bom                   Start the CSV with a UTF-8 byte order mark (Excel on Windows).
          --records-only          jsonl without the "dialogd" object of keys and figures: re-ingesting
                                  it into the same store is then a no-op.
          --by site               One site's conversations together (sites by name).
          --after <cursor>        Only what was stored or changed (relabel, amend, recompute) after
                                  this cursor, a store revision; 0 = everything. Without --window or
                                  --since, over all dates. The new cursor is printed on standard
                                  error as "cursor N" (README "Many sites").
          --cursor-file <file>    --after with the cursor kept in this file (absent: 0); the new
                                  cursor is written to it atomically once the output is complete.
          --out <file>            Write here (atomically: a temporary name, renamed when complete);
                                  default: standard output.
          --outbox <dir>          With --after or --cursor-file: write the increment into this
                                  directory as SITE-rFROM-rTO.jsonl (or .csv), atomically (a hidden
                                  temporary name first); nothing when nothing changed.
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
    private var after: Int64?
    private var cursorFile: String?
    private var outbox: String?
    private var bySite = false

    init(_ arguments: inout ArgumentCursor) throws(UsageError) {
        var format = Format.csv, delimiter: Character = ",", bom = false, recordsOnly = false, out: String?, pageSize = 500
        var after: Int64?, cursorFile: String?, outbox: String?, bySite = false
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
            case "--after":
                let text = try arguments.value(of: name, inline: inline)
                guard let n = Int64(text), n >= 0 else { throw arguments.error("--after '\(text)' must be a cursor: a whole number from 0") }
                after = n
            case "--cursor-file", "--outbox":
                let value = try arguments.value(of: name, inline: inline)
                guard !value.isEmpty else { throw arguments.error("\(name) must not be empty") }
                if name == "--outbox" { outbox = value } else { cursorFile = value }
            case "--by":
                let value = try arguments.value(of: name, inline: inline)
                guard value.lowercased() == "site" else { throw arguments.error("--by '\(value)' must be site") }
                bySite = true
            case "--page-size":
                pageSize = try ArgumentValues.integer(try arguments.value(of: name, inline: inline), option: name, in: 1...1000, cursor: arguments)
            default: return false
            }
            return true
        }
        if format == .jsonl, bom || delimiter != "," { throw arguments.error("--bom and --delimiter apply to --format csv only") }
        if format == .csv, recordsOnly { throw arguments.error("--records-only applies to --format jsonl only") }
        if after != nil, cursorFile != nil { throw arguments.error("give either --after or --cursor-file, not both") }
        let incremental = after != nil || cursorFile != nil
        if outbox != nil, !incremental { throw arguments.error("--outbox needs --after or --cursor-file") }
        if outbox != nil, out != nil { throw arguments.error("give either --out or --outbox, not both") }
        if bySite, incremental { throw arguments.error("--by site does not go with --after or --cursor-file: increments come in revision order") }
        // An increment covers every date unless a window is asked for.
        if incremental, roi.args["window"] == nil, roi.args["since"] == nil, roi.args["until"] == nil { roi.set("window", .string("all")) }
        self.format = format; self.delimiter = delimiter; self.bom = bom; self.recordsOnly = recordsOnly
        self.out = out; self.pageSize = pageSize
        self.after = after; self.cursorFile = cursorFile; self.outbox = outbox; self.bySite = bySite
    }

    /// The cursor an incremental export starts after: `--after`, or the cursor file's (absent: 0).
    private func startCursor() throws(SessionError) -> Int64? {
        guard let cursorFile else { return after }
        guard let data = FileManager.default.contents(atPath: cursorFile) else {
            guard FileManager.default.fileExists(atPath: cursorFile) else { return 0 }
            throw SessionError(message: "cannot read the cursor file \(cursorFile)", exitCode: 1)
        }
        let text = String(decoding: data, as: UTF8.self).trimmingWhitespace()
        guard let n = Int64(text), n >= 0 else {
            throw SessionError(message: "\(cursorFile): expected a cursor (a whole number from 0), found \"\(String(text.prefix(40)))\"", exitCode: 1)
        }
        return n
    }

    func run(_ session: Session) -> Int32 {
        do throws(SessionError) {
            let start = try startCursor()
            let file = try (outbox.map { $0 + "/increment" } ?? out).map { path throws(SessionError) in try AtomicFile(path) }
            let sink: (String) throws(SessionError) -> Void = { text throws(SessionError) in
                if let file { try file.write(text) } else { Terminal.machineOutput(text) }
            }
            var args = roi.args
            args["limit"] = .integer(Int64(pageSize))
            if let start { args["after_revision"] = .integer(start) }
            if bySite { args["by"] = .string("site") }
            var columns: [String]?
            var count = 0
            var cursor = start ?? 0
            var site = "site"
            var resolvedWindow: TimeSpan?
            while true {
                let page = try session.call(ControlRequest(command: "export", args: args), as: ExportPage<JSONValue>.self)
                let rows = page.rows.compactMap(ExportFormat.fields)
                let currency = page.currency
                if let name = page.site { site = name }
                if resolvedWindow == nil { resolvedWindow = page.window }
                if start != nil {
                    for row in rows { if case .number(let n)? = row["revision"], let r = Int64(n) { cursor = max(cursor, r) } }
                }
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
                guard let nextRow = page.nextAfter else { break }
                // Later pages: the window the first one resolved to, so it cannot move meanwhile.
                if let window = page.window {
                    args["window"] = nil
                    args["since"] = .integer(window.since)
                    args["until"] = .integer(window.until)
                }
                args["after"] = .integer(nextRow)
                if let revision = page.nextAfterRevision { args["after_revision"] = .integer(revision) }
                if let afterSite = page.nextAfterSite { args["after_site"] = .string(afterSite) }
            }
            // jsonl: the orders dated in the window follow the conversations (not in increments,
            // whose cursor is a conversation revision, nor under conversation filters; CSV keeps
            // the one header of conversations a warehouse loads).
            var orders = 0
            if start == nil, format == .jsonl, let window = resolvedWindow, !roi.hasFilters {
                orders = try exportOrders(session, window: window, sink: sink)
            }
            if let file {
                if let outbox, let start {
                    // An outbox gets a file only when something changed, named by the revisions it holds.
                    guard count > 0 else {
                        Terminal.note("nothing changed after cursor \(start); nothing written to \(outbox)")
                        return try finish(cursor: cursor)
                    }
                    try file.commit(as: "\(site)-r\(start + 1)-r\(cursor).\(format.rawValue)")
                } else {
                    try file.commit()
                }
                Terminal.note("exported \(count) conversation\(count == 1 ? "" : "s")"
                              + (orders > 0 ? " and \(orders) order\(orders == 1 ? "" : "s")" : "") + " to \(file.target)")
            }
            return start == nil ? 0 : try finish(cursor: cursor)
        } catch {
            return Session.fail(error)
        }
    }

    /// The orders dated in `window`, page by page after the conversations, as `type: order`
    /// record lines the daemon re-ingests. Returns how many.
    private func exportOrders(_ session: Session, window: TimeSpan,
                              sink: (String) throws(SessionError) -> Void) throws(SessionError) -> Int {
        var args: [String: ArgumentValue] = ["orders": .string("true"), "since": .integer(window.since), "until": .integer(window.until),
                                             "limit": .integer(Int64(pageSize))]
        var count = 0
        while true {
            let page = try session.call(ControlRequest(command: "export", args: args), as: ExportPage<JSONValue>.self)
            let rows = page.rows.compactMap(ExportFormat.fields)
            try sink(rows.map(ExportFormat.orderLine).joined())
            count += rows.count
            guard let next = page.nextAfter else { return count }
            args["after"] = .integer(next)
        }
    }

    /// Says the new cursor and, with `--cursor-file`, keeps it there (after the output is complete:
    /// a crash before re-exports the same increment, which the central ignores as duplicates).
    private func finish(cursor: Int64) throws(SessionError) -> Int32 {
        if let cursorFile {
            let state = try AtomicFile(cursorFile, mode: 0o644)
            try state.write("\(cursor)\n")
            try state.commit()
        }
        Terminal.note("cursor \(cursor)")
        return 0
    }
}
