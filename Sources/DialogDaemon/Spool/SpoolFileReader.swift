#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Reads one file from `new/` by the rules of DESIGN §2: no symlinks, no FIFOs or devices,
/// one hard link only, bounded size — a hostile file is refused before a byte of it is parsed.
public enum SpoolFileReader {
    public enum Outcome: Sendable {
        /// The file's content, read in full.
        case bytes([UInt8], modified: Int64)
        /// Gone before we opened it (a writer took it back): nothing to do.
        case vanished
        /// Not acceptable; the text says why, for `NAME.reason`.
        case refused(String)
        /// Acceptable but larger than `deferAbove`: not read now.
        case deferred
    }

    /// Reads `name` relative to the directory descriptor `directory` (the spool's `new/`).
    /// Thread-safe: it touches nothing but that descriptor and the file.
    public static func read(_ name: String, directory: Int32, maxBytes: Int, deferAbove: Int = .max) -> Outcome {
        let fd = openat(directory, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        if fd < 0 {
            switch errno {
            case ENOENT: return .vanished
            case ELOOP: return .refused("is a symbolic link; dialogd never follows links in the spool — copy the file itself into tmp/ and rename it into new/")
            case EACCES: return .refused("cannot be read by the dialogd user (permission denied); make it group-readable by the dialogd group")
            default: return .refused("cannot be opened: " + SystemError(call: "open", errno: errno).description)
            }
        }
        defer { closeDescriptor(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            return .refused("cannot be examined: " + SystemError(call: "fstat", errno: errno).description)
        }
        let type = st.st_mode & S_IFMT
        guard type == S_IFREG else {
            return .refused("is \(describe(type)), not a regular file; only regular files are accepted")
        }
        guard st.st_nlink == 1 else {
            return .refused("has \(st.st_nlink) hard links; only files with exactly one link are accepted, so no one can change a file after it is taken")
        }
        guard st.st_size <= maxBytes else {
            return .refused("is \(st.st_size) bytes; the limit is \(maxBytes) bytes (spool.max_file_bytes)")
        }
        if st.st_size > deferAbove { return .deferred }
        // Read up to one byte past the limit so a file that grows while we read is caught too.
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size) + 1)
        var count = 0
        while count < bytes.count {
            let n = bytes.withUnsafeMutableBytes { buffer in
                Glibc.read(fd, buffer.baseAddress! + count, buffer.count - count)
            }
            if n < 0 {
                if errno == EINTR { continue }
                return .refused("cannot be read: " + SystemError(call: "read", errno: errno).description)
            }
            if n == 0 { break }
            count += n
            if count == bytes.count, count <= maxBytes { bytes.append(contentsOf: repeatElement(0, count: 4096)) }
            if count > maxBytes {
                return .refused("grew past the limit of \(maxBytes) bytes (spool.max_file_bytes) while being read")
            }
        }
        bytes.removeSubrange(count...)
        return .bytes(bytes, modified: Int64(st.st_mtim.tv_sec))
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
