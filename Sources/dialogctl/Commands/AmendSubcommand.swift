import DialogCore
import Foundation

/// `amend`: drops a corrected conversation that replaces the stored record with its id — the
/// file as written, with `Amends:` (or `"amends"`) set to its own id (docs/spool.md "ids,
/// conflicts, amends"). The result is checked with the daemon's own parser before anything is written.
struct AmendSubcommand: DirectSubcommand {
    static let name = "amend"
    static let abstract = "Drop a corrected conversation file that replaces the stored record with its id."
    static let usage = "dialogctl amend <file> [--spool <dir>]"
    static let options = """
          <file>                  One conversation as .conv, .txt or .json (an object), carrying the id
                                  of the stored record it corrects. In .jsonl and .csv files, give each
                                  record an "amends" field instead.
          --spool <dir>           The spool (default: spool.dir of --config or /etc/dialogd/dialogd.conf).
        """

    private var path = ""
    private var spool: String?

    init(_ arguments: inout ArgumentCursor) throws(UsageError) {
        var file: String?
        while let token = arguments.next() {
            switch token {
            case .positional(let value):
                guard file == nil else { throw arguments.unexpected(token) }
                file = value
            case .option("--spool", let inline):
                spool = try arguments.value(of: "--spool", inline: inline)
            default:
                throw arguments.unexpected(token)
            }
        }
        guard let file else { throw arguments.error("a file is required") }
        path = file
    }

    func run(_ session: Session) -> Int32 {
        do throws(SessionError) {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw SessionError(message: "cannot read \(path)", exitCode: 64)
            }
            let drop = try SpoolDrop.locate(spool: spool, configPath: session.configPath)
            let settings = (drop.config ?? DialogConfig(layout: .system)).parseSettings(now: Int64(Date().timeIntervalSince1970))
            let base = (path as NSString).lastPathComponent
            let (bytes, id) = try Self.amending(Array(data), fileName: base, reader: RecordReader(settings: settings))
            let name = "amend-\(LogSubcommand.suffix())-" + base.drop { $0 == "." }
            let dropped = try drop.drop(bytes, name: name)
            print(session.json ? "{\"file\":\(JSONValue.quote(dropped)),\"amends\":\(JSONValue.quote(id))}" : "amend dropped: \(dropped) (replaces the stored record with id \(id))")
            return 0
        } catch {
            return Session.fail(error)
        }
    }

    /// The file's bytes with the amend header added (unchanged when it has one), and the id it
    /// amends. Refused, with nothing written, when the file is not one valid conversation with an id.
    static func amending(_ bytes: [UInt8], fileName: String, reader: RecordReader) throws(SessionError) -> ([UInt8], String) {
        func refuse(_ why: String) -> SessionError { SessionError(message: "refused, nothing written: \(fileName): \(why)", exitCode: 64) }
        let format = RecordFormat(fileName: fileName)
        guard format == .conv || format == .json else {
            throw refuse("amend takes one conversation as .conv, .txt or .json; in .jsonl and .csv give each record an \"amends\" field")
        }
        let record = try single(bytes, fileName: fileName, reader: reader, refuse)
        guard let id = record.id else {
            throw refuse("it has no id; an amend replaces the stored record with the same id, so add \"Id: …\" (the stored record's id)")
        }
        if record.amends != nil { return (bytes, id) }
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let start = bytes.starts(with: bom) ? 3 : 0
        var amended = bytes
        if format == .conv {
            // A header line first; the file's own line ending, so a CRLF file stays CRLF.
            let crlf = bytes.firstIndex(of: 0x0A).map { $0 > 0 && bytes[$0 - 1] == 0x0D } ?? false
            amended.insert(contentsOf: Array("Amends: \(id)\(crlf ? "\r\n" : "\n")".utf8), at: start)
        } else {
            guard let brace = bytes[start...].firstIndex(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }),
                  bytes[brace] == UInt8(ascii: "{") else {
                throw refuse("expected one JSON object; for several records give each an \"amends\" field")
            }
            amended.insert(contentsOf: Array("\"amends\": \(JSONValue.quote(id)), ".utf8), at: brace + 1)
        }
        // What the daemon will read: the same record, now amending its id.
        let check = try single(amended, fileName: fileName, reader: reader, refuse)
        guard check.amends == id, RecordContent.isSame(check, record) else {
            throw refuse("could not add \"Amends: \(id)\" without changing the record; add it by hand")
        }
        return (amended, id)
    }

    private static func single(_ bytes: [UInt8], fileName: String, reader: RecordReader,
                               _ refuse: (String) -> SessionError) throws(SessionError) -> ConversationRecord {
        let parsed: ParsedFile
        do { parsed = try reader.read(bytes, fileName: fileName) } catch { throw refuse(error.description) }
        guard parsed.records.count == 1, parsed.rejects.isEmpty, let record = parsed.records.first?.record else {
            throw refuse("expected one conversation, found \(parsed.records.count + parsed.rejects.count); for several records give each an \"amends\" field")
        }
        return record
    }
}
