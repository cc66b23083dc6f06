#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation

/// A file written under a temporary name next to its target and renamed over it only when
/// complete and synced, so a reader never sees half a report or export.
final class AtomicFile {
    private(set) var target: String
    let temporary: String
    private var fd: Int32
    private var failure: String?

    /// Creates `.NAME.XXXXXX` in the target's directory with `mode`.
    init(_ target: String, mode: mode_t = 0o640) throws(SessionError) {
        self.target = target
        let directory = (target as NSString).deletingLastPathComponent
        let base = (target as NSString).lastPathComponent
        var template = Array(((directory.isEmpty ? "." : directory) + "/." + base + ".XXXXXX").utf8CString)
        fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw SessionError(message: "cannot create a file next to \(target): \(String(cString: strerror(errno)))", exitCode: 1) }
        temporary = String(cString: template.withUnsafeBufferPointer { $0.baseAddress! })
        fchmod(fd, mode)
    }

    deinit {
        if fd >= 0 { close(fd); unlink(temporary) }
    }

    func write(_ bytes: [UInt8]) throws(SessionError) { try writeAll(fd, bytes, path: temporary) }

    func write(_ text: String) throws(SessionError) { try write(Array(text.utf8)) }

    /// fsync, rename over the target (`name`, when given, in the same directory: an outbox names
    /// an increment by the revisions it holds, known only at the end), fsync the directory.
    func commit(as name: String? = nil) throws(SessionError) {
        if let name { target = ((target as NSString).deletingLastPathComponent as NSString).appendingPathComponent(name) }
        guard fsync(fd) == 0 else { throw SessionError(message: "fsync \(temporary): \(String(cString: strerror(errno)))", exitCode: 1) }
        close(fd)
        fd = -1
        guard rename(temporary, target) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw SessionError(message: "cannot rename \(temporary) to \(target): \(reason)", exitCode: 1)
        }
        let directory = (target as NSString).deletingLastPathComponent
        let dfd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 { fsync(dfd); close(dfd) }
    }
}
