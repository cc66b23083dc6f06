#if canImport(Glibc)
@preconcurrency import Glibc
#endif
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

    /// Writes `bytes` as `tmp/NAME`, syncs it, renames it into `new/NAME` (DESIGN §2) and syncs
    /// `new/`; on any failure the temporary file is removed. Returns the path in `new/`.
    func drop(_ bytes: [UInt8], name: String) throws(SessionError) -> String {
        let temporary = directory + "/tmp/" + name, final = directory + "/new/" + name
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o640)
        guard fd >= 0 else { throw failure("cannot create \(temporary)") }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                let error = failure("writing \(temporary)")
                close(fd); unlink(temporary)
                throw error
            }
            offset += n
        }
        guard fsync(fd) == 0 else { let error = failure("fsync \(temporary)"); close(fd); unlink(temporary); throw error }
        close(fd)
        guard access(final, F_OK) != 0 else { unlink(temporary); throw SessionError(message: "\(final) already exists", exitCode: 1) }
        guard rename(temporary, final) == 0 else { let error = failure("cannot rename \(temporary) into new/"); unlink(temporary); throw error }
        let dfd = open(directory + "/new", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 { fsync(dfd); close(dfd) }
        return final
    }

    private func failure(_ what: String) -> SessionError {
        let err = errno
        let hint = err == EACCES ? " (writing needs membership in the group dialogd-drop)" : ""
        return SessionError(message: "\(what): \(String(cString: strerror(err)))\(hint)", exitCode: 1)
    }
}
