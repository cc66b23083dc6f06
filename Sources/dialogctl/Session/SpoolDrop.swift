#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import CDialogSystem
import DialogCore
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
    /// On any failure the temporary file is removed. Returns the path in `new/`.
    func drop(_ bytes: [UInt8], name: String) throws(SessionError) -> String {
        let temporary = directory + "/tmp/" + name, final = directory + "/new/" + name
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o640)
        guard fd >= 0 else { throw failure("cannot create \(temporary)") }
        defer { close(fd) }
        func abandon(_ what: String) -> SessionError {
            let error = failure(what)
            unlink(temporary)
            return error
        }
        guard fchmod(fd, 0o640) == 0 else { throw abandon("chmod \(temporary)") }
        do { try writeAll(fd, bytes, path: temporary) } catch {
            unlink(temporary)
            throw error
        }
        guard fsync(fd) == 0 else { throw abandon("fsync \(temporary)") }
        guard dialogd_rename_noreplace(AT_FDCWD, temporary, AT_FDCWD, final) == 0 else {
            if errno == EEXIST { unlink(temporary); throw SessionError(message: "\(final) already exists", exitCode: 1) }
            throw abandon("cannot rename \(temporary) into new/")
        }
        guard dialogd_syncfs(fd) == 0 else { throw failure("\(final) is in new/ but syncing it to disk failed") }
        return final
    }

    private func failure(_ what: String) -> SessionError {
        let err = errno
        let hint = err == EACCES ? " (writing needs membership in the group dialogd-drop)" : ""
        return SessionError(message: "\(what): \(String(cString: strerror(err)))\(hint)", exitCode: 1)
    }
}
