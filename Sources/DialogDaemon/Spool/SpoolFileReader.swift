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
                               identity: SpoolFile.Identity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino)),
                               modified: SpoolFile.Modified(st)))
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
/// Its content is what it held when taken: `size` bytes (`SpoolFileCursor` reads no further).
public final class SpoolFile: Sendable {
    public let fd: Int32
    /// Its size when opened (taken); reads stop here.
    public let size: Int
    /// The uid that owns it: a record without an employee is that account's (the roster's `account`).
    public let owner: UInt32
    /// Which file it is, whatever name it has now (`SpoolDirectory.identity(of:in:)`).
    public let identity: Identity?
    /// Its modification and status-change times when opened: a write after that is a change
    /// under the reader. The owner can set the mtime back (`futimens`), never the ctime.
    public let modified: Modified?

    public struct Identity: Sendable, Equatable {
        public var device: UInt64
        public var inode: UInt64
    }

    public struct Modified: Sendable, Equatable {
        public var seconds: Int64
        public var nanoseconds: Int64
        public var changedSeconds: Int64
        public var changedNanoseconds: Int64
        public var links: UInt64
        init(_ st: stat) {
            seconds = Int64(st.st_mtim.tv_sec)
            nanoseconds = Int64(st.st_mtim.tv_nsec)
            changedSeconds = Int64(st.st_ctim.tv_sec)
            changedNanoseconds = Int64(st.st_ctim.tv_nsec)
            links = UInt64(st.st_nlink)
        }

        /// Written to since `taken`: its mtime moved, or its ctime moved while its link count did
        /// not. A name dropped over it in `new/` unlinks it (ctime and link count move) without
        /// touching its bytes, and it is still stored.
        func written(since taken: Modified) -> Bool {
            (seconds, nanoseconds) != (taken.seconds, taken.nanoseconds)
                || ((changedSeconds, changedNanoseconds) != (taken.changedSeconds, taken.changedNanoseconds) && links == taken.links)
        }
    }

    init(fd: Int32, size: Int, owner: UInt32 = 0, identity: Identity? = nil, modified: Modified? = nil) {
        self.fd = fd
        self.size = size
        self.owner = owner
        self.identity = identity
        self.modified = modified
    }

    deinit { closeDescriptor(fd) }

    public enum Content: Sendable {
        case bytes([UInt8])
        case refused(String)
        case busy(String)
    }

    /// Reads the whole file as it was taken, refusing it when that is more than `limit` bytes
    /// (`limitName` is the setting that says so) or when it changed while being read.
    public func readAll(limit: Int, limitName: String) -> Content {
        guard size <= limit else {
            return .refused("is \(size) bytes; the limit is \(limit) bytes (\(limitName))")
        }
        var bytes = [UInt8](repeating: 0, count: max(size, 1))
        var cursor = SpoolFileCursor(self)
        while true {
            let at = cursor.offset
            let n = bytes.withUnsafeMutableBytes { cursor.fill(UnsafeMutableRawBufferPointer(rebasing: $0[at...])) }
            if n < 0 { return cursor.problem.map { $0.busy ? .busy($0.text) : .refused($0.text) } ?? .refused("cannot be read") }
            if n == 0 { break }
        }
        bytes.removeSubrange(cursor.offset...)
        return .bytes(bytes)
    }

    /// Up to `count` bytes from the file's start (`pread(2)`: the read position stays), to judge
    /// what a file holds before it is read (a `.json` array or object); empty on an error.
    public func head(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: max(0, min(count, size)))
        let n = bytes.withUnsafeMutableBytes { b in retryingInterrupted { pread(fd, b.baseAddress, b.count, 0) } }
        return n > 0 ? Array(bytes[..<n]) : []
    }

    /// One `read(2)` into `buffer`, tried again when interrupted: bytes read, 0 at the end,
    /// -1 with `errno` set. Spool content is read through `SpoolFileCursor`, which stops at `size`.
    public func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard buffer.count > 0 else { return 0 }
        return retryingInterrupted { Glibc.read(fd, buffer.baseAddress, buffer.count) }
    }

    /// Why the file is no longer what was taken, `offset` bytes into it (`ended`: the reads
    /// ended there): it ended before `size` (cut short), or its size or modification time
    /// moved (appended to, truncated, written to, even with the mtime set back); nil while it is as taken.
    func change(readTo offset: Int, ended: Bool) -> String? {
        var st = stat()
        let now = fstat(fd, &st) == 0 ? Int(st.st_size) : nil
        let what: String?
        if ended, offset < size {
            what = "it ended after \(offset) of its \(size) bytes"
        } else if let now, now != size {
            what = "it was \(size) bytes when taken and is \(now) bytes now"
        } else if now != nil, let modified, Modified(st).written(since: modified) {
            what = "it was written to (\(size) bytes when taken)"
        } else {
            what = nil
        }
        return what.map {
            "changed while being read: \($0) — write a file in tmp/ and rename it into new/ once it is complete"
        }
    }
}

/// Reads one spool file from its start up to the size it had when taken, never further: bytes
/// a writer appends later are not this file's content, and a file that keeps growing cannot
/// keep the reader (and every file behind it) busy. Before and after each read (the look after
/// the read that reaches that size is the one at the end) it checks that the file is still as
/// taken (an `fstat`); if not, the read fails with
/// `changed` at once and the file is refused (quarantined): no byte written after it was taken
/// reaches a record (a large streamed file keeps the records of its slices committed before).
/// `fill` fits `StreamedRead`'s `fill`.
struct SpoolFileCursor {
    let file: SpoolFile
    /// Bytes read so far.
    private(set) var offset = 0
    /// Why `fill` returned -1.
    private(set) var failure: Failure?
    /// The look after the last read found the file as taken at its size: the look at the end
    /// would repeat it with nothing read between (one `fstat` a small file, issue 17).
    private var checkedAtSize = false

    enum Failure {
        /// `read(2)` failed with this errno.
        case read(Int32)
        /// The file changed under the reader (`SpoolFile.change(readTo:ended:)`).
        case changed(String)
    }

    init(_ file: SpoolFile) { self.file = file }

    /// Reads up to `buffer.count` bytes, never past the taken size: bytes read, 0 at the end,
    /// -1 on a failure (`failure`, `problem` say which).
    mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) -> Int {
        let atSize = offset >= file.size
        if atSize, checkedAtSize { return 0 }
        // The first read follows the open's own fstat; every later one looks again.
        if offset > 0 || atSize, let change = file.change(readTo: offset, ended: atSize) {
            failure = .changed(change)
            return -1
        }
        guard !atSize, buffer.count > 0 else { return 0 }
        let n = file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<min(buffer.count, file.size - offset)]))
        if n < 0 {
            failure = .read(errno)
            return -1
        }
        if n == 0, let change = file.change(readTo: offset, ended: true) {
            failure = .changed(change)
            return -1
        }
        // Looked at again after the read: a write during it moved the ctime, so bytes that
        // pass are the file as taken, and a large file may commit their records before its end.
        if let change = file.change(readTo: offset + n, ended: false) {
            failure = .changed(change)
            return -1
        }
        offset += n
        checkedAtSize = offset >= file.size
        return n
    }

    /// The failure as the spool treats it: a passing shortage (`busy`, the file stays in `new/`)
    /// or a refusal, with the text for the log or `NAME.reason`.
    var problem: (busy: Bool, text: String)? {
        switch failure {
        case nil: return nil
        case .changed(let reason): return (false, reason)
        case .read(let err):
            let text = SystemError(call: "read", errno: err).description
            return SpoolFileReader.isTransient(err) ? (true, "cannot be read now: " + text) : (false, "cannot be read: " + text)
        }
    }
}
