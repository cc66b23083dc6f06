import DialogCore
import Foundation

struct QuarantineSubcommand: Subcommand {
    static let name = "quarantine"
    static let abstract = "List quarantined files with their reasons, and reject files of partly stored ones."
    static let usage = "dialogctl quarantine [--json]"

    init(_ arguments: inout ArgumentCursor) throws(UsageError) { try arguments.expectEnd() }

    var request: ControlRequest { ControlRequest(command: "quarantine") }

    func render(_ q: QuarantineResult) -> String {
        guard !q.entries.isEmpty else { return "quarantine is empty" }
        var table = Table(["NAME", "KIND", "SIZE", "SINCE", "REASON"], rightAligned: [2])
        for e in q.entries {
            table.add([e.name, e.kind, Format.bytes(e.bytes), Format.date(e.modified, offset: 0),
                       Format.clip(e.reason ?? (e.kind == "rejects" ? "rejected records, one JSON line each" : "-"), 80)])
        }
        guard let omitted = q.omitted, omitted > 0 else { return table.render() }
        return table.render() + "\n… and \(omitted) more (the first \(q.entries.count) by name are listed)"
    }
}
