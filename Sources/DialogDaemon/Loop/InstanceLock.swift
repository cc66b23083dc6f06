#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DialogSystem

/// One daemon per store and per spool: an exclusive `flock(2)` on a lock file, held for the
/// daemon's life (the kernel drops it when the process ends, however it ends). Two daemons on
/// one spool would both quarantine a file and count it twice.
final class InstanceLock {
    let path: String
    private let fd: Int32

    /// Another process holds the lock.
    struct Held: Error, CustomStringConvertible {
        var path: String
        var holder: Int32?
        var description: String {
            let who = holder.map { "pid \($0)" } ?? "another process"
            return "another dialogd (\(who)) already holds the lock \(path); one daemon per store and spool"
        }
    }

    /// Takes the lock on `path` (created if missing) and writes our pid into it.
    /// The lock is held on a read-only descriptor: a descriptor open for writing would keep
    /// the spool's file system from being remounted read-only (EBUSY), which an admin (or
    /// the kernel after an I/O error) must be able to do. The pid goes in through a second,
    /// short-lived descriptor.
    init(path: String) throws {
        self.path = path
        fd = try syscall("open", path) { open(path, O_RDONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644) }
        do {
            try syscall("flock", path) { flock(fd, LOCK_EX | LOCK_NB) }
        } catch {
            let holder = error.errno == EWOULDBLOCK ? Self.pid(in: fd) : nil
            closeDescriptor(fd)
            if error.errno == EWOULDBLOCK { throw Held(path: path, holder: holder) }
            throw error
        }
        // Only informative (the holder's pid in the "already holds" message): a failure is ignored.
        let writer = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOFOLLOW)
        if writer >= 0 {
            try? writeAll(writer, Array("\(getpid())\n".utf8), subject: path)
            closeDescriptor(writer)
        }
    }

    deinit { closeDescriptor(fd) }

    /// The pid the holder wrote, if it got that far.
    private static func pid(in fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        return Int32(String(decoding: buffer[0..<n].filter { $0 >= 0x30 && $0 <= 0x39 }, as: UTF8.self))
    }
}
