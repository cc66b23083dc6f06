#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DialogSystem

/// Opens one file in `new/` by the rules of docs/spool.md: no symlinks, no FIFOs or devices, one
/// hard link only — a hostile file is refused before a byte of it is read. What the file is
/// not to blame for (too many open files, no memory) is `busy`: it stays in `new/` for a retry.
public enum SpoolFileReader {
    public enum Opened: Sendable {
        case file(SpoolFile)
        /// Gone before we opened it (a writer took it back): nothing to do.
        case vanished
        /// Not acceptable; the text says why, for `NAME.reason`.
        case refused(String)
        /// A passing shortage of the system, not the file's fault: try again later.
        case busy(String)
    }

    /// Errors of the moment, never of the file (EMFILE, ENFILE, ENOMEM, EAGAIN, ENOBUFS).
    /// An interrupted call never gets here: `syscall` and `retryingInterrupted` try it again.
    public static func isTransient(_ err: Int32) -> Bool {
        err == EMFILE || err == ENFILE || err == ENOMEM || err == EAGAIN || err == EWOULDBLOCK || err == ENOBUFS
    }

    /// Opens `name` relative to the directory descriptor `directory` (the spool's `new/`).
    /// Thread-safe: it touches nothing but that descriptor and the file.
    public static func open(_ name: String, directory: Int32) -> Opened {
        let fd: Int32
        do {
            fd = try syscall("open") { openat(directory, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY) }
        } catch {
            switch error.errno {
            case ENOENT: return .vanished
            case ELOOP: return .refused("is a symbolic link; dialogd never follows links in the spool — copy the file itself into tmp/ and rename it into new/")
            case EACCES: return .refused("cannot be read by the dialogd user (permission denied); make it group-readable by the dialogd group")
            case _ where isTransient(error.errno): return .busy("cannot be opened now: " + error.description)
            default: return .refused("cannot be opened: " + error.description)
            }
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let err = errno
            closeDescriptor(fd)
            let text = SystemError(call: "fstat", errno: err).description
            return isTransient(err) ? .busy("cannot be examined now: " + text) : .refused("cannot be examined: " + text)
        }
        let type = st.st_mode & S_IFMT
        guard type == S_IFREG else {
            closeDescriptor(fd)
            return .refused("is \(describe(type)), not a regular file; only regular files are accepted")
        }
        guard st.st_nlink == 1 else {
            closeDescriptor(fd)
            return .refused("has \(st.st_nlink) hard links; only files with exactly one link are accepted, so no one can change a file after it is taken")
        }
        return .file(SpoolFile(fd: fd, size: Int(st.st_size), owner: st.st_uid,
                               identity: SpoolFile.Identity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))))
    }

    static func describe(_ type: mode_t) -> String {
        switch type {
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        case S_IFLNK: return "a symbolic link"
        default: return "a special file"
        }
    }
}

/// A spool file opened and checked by `SpoolFileReader.open`; closed when the last user lets go.
/// Holding the descriptor means the loop later reads the very file the prepare step examined.
public final class SpoolFile: Sendable {
    public let fd: Int32
    /// Its size when opened.
    public let size: Int
    /// The uid that owns it: a record without an employee is that account's (the roster's `account`).
    public let owner: UInt32
    /// Which file it is, whatever name it has now (`SpoolDirectory.identity(of:in:)`).
    public let identity: Identity?

    public struct Identity: Sendable, Equatable {
        public var device: UInt64
        public var inode: UInt64
    }

    init(fd: Int32, size: Int, owner: UInt32 = 0, identity: Identity? = nil) {
        self.fd = fd
        self.size = size
        self.owner = owner
        self.identity = identity
    }

    deinit { closeDescriptor(fd) }

    public enum Content: Sendable {
        case bytes([UInt8])
        case refused(String)
        case busy(String)
    }

    /// Reads the whole file, refusing it once it holds more than `limit` bytes (`limitName` is the
    /// setting that says so); one byte past the limit is read, so a file that grows is caught too.
    public func readAll(limit: Int, limitName: String) -> Content {
        guard size <= limit else {
            return .refused("is \(size) bytes; the limit is \(limit) bytes (\(limitName))")
        }
        var bytes = [UInt8](repeating: 0, count: size + 1)
        var count = 0
        while count < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(into: UnsafeMutableRawBufferPointer(rebasing: $0[count...])) }
            if n < 0 {
                let text = SystemError(call: "read", errno: errno).description
                return SpoolFileReader.isTransient(errno) ? .busy("cannot be read now: " + text) : .refused("cannot be read: " + text)
            }
            if n == 0 { break }
            count += n
            if count > limit {
                return .refused("grew past the limit of \(limit) bytes (\(limitName)) while being read")
            }
            if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: min(4096, limit + 1 - count))) }
        }
        bytes.removeSubrange(count...)
        return .bytes(bytes)
    }

    /// Back to the first byte, for reading the file again from its start.
    public func rewind() -> Bool { lseek(fd, 0, SEEK_SET) == 0 }

    /// One `read(2)` into `buffer`, tried again when interrupted: bytes read, 0 at the end,
    /// -1 with `errno` set (the caller sorts a passing shortage from a bad file).
    public func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard buffer.count > 0 else { return 0 }
        return retryingInterrupted { Glibc.read(fd, buffer.baseAddress, buffer.count) }
    }
}
