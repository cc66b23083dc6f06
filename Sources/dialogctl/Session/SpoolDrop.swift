#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DialogCore
import DialogSystem
import Foundation

/// Where `log` drops records: the spool of `--spool`, else of `--config`, else of the
/// installed config, else the daemon's default for where it runs (as dialogctl finds the socket).
struct SpoolDrop {
    let directory: String
    /// The daemon's configuration when it could be read (droppers may not read it).
    let config: DialogConfig?

    static func locate(spool: String?, configPath: String?) throws(SessionError) -> SpoolDrop {
        var config: DialogConfig?
        for path in [configPath, configPath == nil ? "/etc/dialogd/dialogd.conf" : nil].compactMap({ $0 }) {
            guard let data = FileManager.default.contents(atPath: path) else {
                if path == configPath { throw SessionError(message: "cannot read the configuration \(path)", exitCode: 64) }
                continue
            }
            do { config = try DialogConfig.parse(String(decoding: data, as: UTF8.self), layout: .system) } catch {
                throw SessionError(message: "\(path): \(error)", exitCode: 64)
            }
        }
        if let spool { return SpoolDrop(directory: spool, config: config) }
        if let config { return SpoolDrop(directory: config.spool.dir, config: config) }
        let installed = DialogConfig(layout: .system).spool.dir
        if FileManager.default.fileExists(atPath: installed) { return SpoolDrop(directory: installed, config: nil) }
        return SpoolDrop(directory: DialogConfig(layout: .checkout(root: FileManager.default.currentDirectoryPath)).spool.dir, config: nil)
    }

    /// Writes `bytes` as `tmp/NAME` (mode 0640 whatever the umask, so the daemon can read it
    /// through the drop group), syncs it, renames it into `new/NAME` without ever replacing a
    /// file there (docs/spool.md), and makes the rename durable. Droppers may not open `new/` to
    /// fsync it (mode 3730), so the file system is synced through the file's own descriptor.
    /// On any failure before the rename the temporary file is removed. Returns the path in `new/`.
    func drop(_ bytes: [UInt8], name: String) throws(SessionError) -> String {
        let final = directory + "/new/" + name
        var staged: StagedFile?
        do {
            let file = try StagedFile(in: .workingDirectory, temporary: .exclusive(directory + "/tmp/" + name), permissions: .exactly(0o640))
            staged = file
            try file.write(bytes)
            try file.commit(as: final, in: .workingDirectory, replacing: false, durability: .fileSystem)
        } catch {
            let hint = error.errno == EACCES ? " (writing needs membership in the group dialogd-drop)" : ""
            if staged?.isInPlace == true {
                throw SessionError(message: "\(final) is in new/ but syncing it to disk failed: \(error.reason)\(hint)", exitCode: 1)
            }
            if error.call == "renameat2", error.errno == EEXIST { throw SessionError(message: "\(final) already exists", exitCode: 1) }
            throw SessionError(error, hint: hint)
        }
        return final
    }
}
