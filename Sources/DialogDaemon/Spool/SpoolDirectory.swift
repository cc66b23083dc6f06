#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import CDialogSystem
import DialogCore
import DialogSystem

/// The four directories of the spool protocol (docs/spool.md), held open as directory descriptors so
/// every later call is `*at()` relative to them: no path is re-resolved, no symlink followed.
public final class SpoolDirectory {
    public enum Area: String, CaseIterable, Sendable {
        case tmp, new, cur, quarantine
    }

    public let path: String
    private var fds: [Area: Int32] = [:]

    /// Creates missing directories (mode 0770 for `tmp`/`new`, writers drop there; 0750 else)
    /// and refuses a spool whose sub-directory is a symlink or not a directory.
    public init(path: String) throws(SystemError) {
        self.path = path
        try SpoolDirectory.makeDirectories(path)
        let root = try syscall("open", path) { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        defer { closeDescriptor(root) }
        do throws(SystemError) {
            for area in Area.allCases {
                let mode: mode_t = (area == .tmp || area == .new) ? 0o770 : 0o750
                if mkdirat(root, area.rawValue, mode) != 0, errno != EEXIST {
                    throw SystemError(call: "mkdir", errno: errno, subject: path + "/" + area.rawValue)
                }
                fds[area] = try syscall("open", path + "/" + area.rawValue) {
                    openat(root, area.rawValue, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                }
            }
        } catch {
            for fd in fds.values { closeDescriptor(fd) }
            throw error
        }
    }

    deinit {
        for fd in fds.values { closeDescriptor(fd) }
    }

    /// Every area is opened in `init`; -1 (EBADF on use) cannot happen, but is no crash either.
    public func fd(_ area: Area) -> Int32 { fds[area] ?? -1 }

    public func path(_ area: Area, _ name: String? = nil) -> String {
        name.map { "\(path)/\(area.rawValue)/\($0)" } ?? "\(path)/\(area.rawValue)"
    }

    /// Makes the directory and its parents, like `mkdir -p`.
    static func makeDirectories(_ path: String) throws(SystemError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o755) != 0, errno != EEXIST {
                throw SystemError(call: "mkdir", errno: errno, subject: prefix)
            }
            prefix += "/"
        }
    }

    /// Names in one area, without `.`-files (writers' temporaries and our own) unless asked.
    public func names(in area: Area, includingDotFiles: Bool = false) throws(SystemError) -> [String] {
        try listing(in: area, includingDotFiles: includingDotFiles).names
    }

    /// Entries of one area; names that are not valid UTF-8 come back as raw bytes, since a
    /// repaired `String` would no longer open the file.
    public func listing(in area: Area, includingDotFiles: Bool = false) throws(SystemError) -> (names: [String], undecodable: [[CChar]]) {
        let dupfd = try syscall("dup", path(area)) { dup(fd(area)) }
        guard let dir = fdopendir(dupfd) else {
            let err = errno
            closeDescriptor(dupfd)
            throw SystemError(call: "fdopendir", errno: err, subject: path(area))
        }
        defer { closedir(dir) }
        rewinddir(dir)
        var names: [String] = []
        var undecodable: [[CChar]] = []
        let dot = CChar(UInt8(ascii: "."))
        while let entry = readdir(dir) {
            // The name is read where it lies, up to its NUL: readdir's record is only as long as
            // its name, so copying `pointee.d_name` (256 bytes) read past it (found by ASan). No
            // byte past the NUL is read; a decodable name is made without an array between.
            withUnsafeMutablePointer(to: &entry.pointee.d_name) { ptr in
                ptr.withMemoryRebound(to: CChar.self, capacity: 1) { name in
                    if name[0] == dot, !includingDotFiles || name[1] == 0 || name[1] == dot && name[2] == 0 { return }
                    if let decoded = String(validatingCString: name) {
                        names.append(decoded)
                    } else {
                        undecodable.append(Array(UnsafeBufferPointer(start: name, count: strlen(name) + 1)))
                    }
                }
            }
        }
        return (names, undecodable)
    }

    /// Moves an entry whose name is not UTF-8 into `quarantine/` under a readable name.
    public func quarantineUndecodable(_ raw: [CChar], reason: String) throws(SystemError) -> String {
        let hex = raw.dropLast().prefix(64).map { String(UInt8(bitPattern: $0), radix: 16) }.joined()
        let target = freeName(for: "undecodable-name-" + hex, in: .quarantine, companions: [".reason"])
        try writeAtomically(Array(ReasonLine.format(name: "(name not UTF-8, bytes \(hex))", reason: reason).utf8), name: target + ".reason", in: .quarantine)
        try syscall("rename", path(.new, "undecodable-name-" + hex)) { renameat(fd(.new), raw, fd(.quarantine), target) }
        return target
    }

    /// Creates the directory that will hold `path` (e.g. the database's), like `mkdir -p`.
    public static func makeDirectories(parentOf path: String) throws(SystemError) {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return }
        try makeDirectories(String(path[..<slash]))
    }

    /// Whether the entry's mtime is within `seconds` of `now` (a writer may still be at it).
    public func modifiedWithin(_ seconds: Int64, name: String, in area: Area, now: Int64) -> Bool {
        var st = stat()
        guard fstatat(fd(area), name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return false }
        return now - Int64(st.st_mtim.tv_sec) < seconds
    }

    /// fsync on a directory makes its renames durable.
    public func sync(_ area: Area) throws(SystemError) {
        try syscall("fsync", path(area)) { fsync(fd(area)) }
    }

    /// Whether `name` exists in `area` (without following a symlink).
    public func exists(_ name: String, in area: Area) -> Bool {
        var st = stat()
        return fstatat(fd(area), name, &st, AT_SYMLINK_NOFOLLOW) == 0
    }

    /// A name free in `area` for `name` and its companions (`NAME`, `NAME.1`, …), so an archived
    /// original or its `.reason` is never overwritten by a later file of the same name.
    /// Long names are shortened to fit (`SpoolNames`).
    public func freeName(for name: String, in area: Area, companions: [String] = []) -> String {
        var n = 0
        var candidate = SpoolNames.candidate(name, n)
        while exists(candidate, in: area) || companions.contains(where: { exists(candidate + $0, in: area) }) {
            n += 1
            candidate = SpoolNames.candidate(name, n)
        }
        return candidate
    }

    /// A name in `quarantine/` for `name` and its `companion` (`.reason`, `.rejects.jsonl`) holding
    /// `content`. A companion with the same content and no file beside it is what a crash left
    /// between writing it and moving the file: it is reused, so the retry does not count the
    /// file's rejects twice. Otherwise the first free name (`NAME`, `NAME.1`, …); a name too
    /// long to take its companion is shortened with a hash (`SpoolNames.base`).
    public func quarantineName(for name: String, companion: String, content: [UInt8]) -> String {
        let base = SpoolNames.base(for: name)
        var candidate = base
        var n = 0
        while exists(candidate, in: .quarantine)
            || exists(candidate + companion, in: .quarantine) && contents(candidate + companion, in: .quarantine) != content {
            n += 1
            candidate = SpoolNames.numbered(base, n)
        }
        return candidate
    }

    /// A small file's bytes (nil when it cannot be read), without following a symlink.
    func contents(_ name: String, in area: Area) -> [UInt8]? {
        let fd = openat(fd(area), name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { closeDescriptor(fd) }
        return try? readAll(fd, subject: nil)
    }

    /// Hands `name`'s bytes to `body` 64 KiB at a time, without following a symlink or holding
    /// the file whole; false when it cannot be opened or read to its end.
    func forEachChunk(of name: String, in area: Area, _ body: ([UInt8]) -> Void) -> Bool {
        let fd = openat(fd(area), name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { closeDescriptor(fd) }
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { raw in (try? readSome(fd, into: raw, subject: nil)) ?? -1 }
            if n < 0 { return false }
            if n == 0 { return true }
            body(n == chunk.count ? chunk : Array(chunk[..<n]))
        }
    }

    /// Moves `name` from one area to another under a name free there (`NAME`, `NAME.1`, …),
    /// never overwriting: renameat2(RENAME_NOREPLACE) makes the check and the move one atomic
    /// step; filesystems without it fall back to a check, then rename. Returns the name used.
    /// `naming`: the name it is kept under when not its own (a forgotten customer's blanked).
    @discardableResult
    public func move(_ name: String, from: Area, to: Area, naming kept: String? = nil) throws(SystemError) -> String {
        let base = kept ?? name
        var n = 0
        var target = SpoolNames.candidate(base, n)
        let fromFD = fd(from), toFD = fd(to)
        while true {
            do {
                try syscall("renameat2", path(from, name)) { dialogd_rename_noreplace(fromFD, name, toFD, target) }
                return target
            } catch {
                switch error.errno {
                case EEXIST:
                    n += 1
                    target = SpoolNames.candidate(base, n)
                case EINVAL, ENOSYS, ENOTSUP:
                    target = freeName(for: base, in: to)
                    try move(name, from: from, to: to, as: target)
                    return target
                default:
                    throw error
                }
            }
        }
    }

    /// What `name` in `area` is now (not following a link): device, inode, size and times; nil when absent.
    func state(of name: String, in area: Area) -> (identity: SpoolFile.Identity, size: Int, modified: SpoolFile.Modified)? {
        var st = stat()
        guard fstatat(fd(area), name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        return (SpoolFile.Identity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino)), Int(st.st_size), SpoolFile.Modified(st))
    }

    /// The uid that owns `name` in `area` (not following a link): in the shared `new/`, who dropped it.
    public func owner(of name: String, in area: Area) -> UInt32? { look(at: name, in: area)?.owner }

    /// What one look at an entry gives the queue: who dropped it, how large it is, and when it
    /// came (its ctime: the rename into `new/` sets it, and its owner cannot set it back).
    public struct EntryLook: Sendable, Equatable {
        public var owner: UInt32
        public var size: Int
        public var came: Came = Came(seconds: 0, nanoseconds: 0)

        public struct Came: Sendable, Comparable {
            public var seconds: Int64
            public var nanoseconds: Int64
            public static func < (a: Came, b: Came) -> Bool { (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds) }
        }
    }

    /// `name` in `area` now (one `fstatat`, no link followed); nil when it cannot be looked at.
    public func look(at name: String, in area: Area) -> EntryLook? {
        var st = stat()
        guard fstatat(fd(area), name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        return EntryLook(owner: st.st_uid, size: Int(st.st_size),
                         came: EntryLook.Came(seconds: Int64(st.st_ctim.tv_sec), nanoseconds: Int64(st.st_ctim.tv_nsec)))
    }

    /// The device and inode `name` in `area` holds now (not following a link); nil when absent.
    public func identity(of name: String, in area: Area) -> SpoolFile.Identity? {
        var st = stat()
        guard fstatat(fd(area), name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        return SpoolFile.Identity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
    }

    /// The size of `name` in `area` now (`fstatat`, no link followed); nil when it cannot be looked at.
    public func size(of name: String, in area: Area) -> Int? {
        var st = stat()
        guard fstatat(fd(area), name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        return Int(st.st_size)
    }

    /// Renames `name` from one area to `target` in another (same filesystem, atomic).
    public func move(_ name: String, from: Area, to: Area, as target: String) throws(SystemError) {
        try syscall("rename", path(from, name)) { renameat(fd(from), name, fd(to), target) }
    }

    public func remove(_ name: String, in area: Area) throws(SystemError) {
        try syscall("unlink", path(area, name)) { unlinkat(fd(area), name, 0) }
    }

    /// Writes a small file atomically: a `.`-temporary in the same directory (ours alone: it
    /// carries our pid, so a crashed run's is reused), mode 0640 under the unit's umask, fsync,
    /// rename over any file of that name. The caller fsyncs the area (once per batch).
    public func writeAtomically(_ bytes: [UInt8], name: String, in area: Area) throws(SystemError) {
        let directory = DirectoryDescriptor(fd: fd(area), path: path(area))
        let temporary = SpoolNames.temporary(for: name, pid: getpid())
        let file = try StagedFile(in: directory, temporary: .reusable(temporary), permissions: .umasked(0o640))
        try file.write(bytes)
        try file.commit(as: name, in: directory, replacing: true, durability: .callerSyncsDirectory)
    }
}
