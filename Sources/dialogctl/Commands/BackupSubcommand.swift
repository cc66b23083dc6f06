import DialogCore
import Foundation

struct BackupSubcommand: Subcommand {
    static let name = "backup"
    static let abstract = "Copy the live database to a new file while ingestion goes on (admin)."
    static let usage = "dialogctl backup <path> [--json]"
    static let options = """
          <path>                  Where the copy goes; must not exist. The daemon writes it, so
                                  its user needs write access to the directory.
        """

    private let path: String

    init(_ arguments: inout ArgumentCursor) throws(UsageError) {
        let given = try arguments.single("path")
        path = given.hasPrefix("/") ? given : FileManager.default.currentDirectoryPath + "/" + given
        if FileManager.default.fileExists(atPath: path) { throw arguments.error("\(path) exists; choose a new file") }
    }

    var request: ControlRequest { ControlRequest(command: "backup", args: ["path": .string(path)]) }
    var replyTimeoutSeconds: Int { 3600 }

    func render(_ b: BackupResult) -> String {
        return "backup written to \(b.path): \(b.pages) pages, \(Format.bytes(b.bytes)) in \(b.milliseconds) ms"
    }
}
