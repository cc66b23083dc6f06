#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import CDialogSystem

/// A file written under a temporary name and renamed into place only when complete and synced,
/// so a reader sees the whole file or none of it. The three writers that need one differ in
/// naming, permissions and durability; each difference is a parameter here.
/// Until `commit` succeeds, any failure (and `deinit`) removes the temporary file.
public final class StagedFile {
    /// How the temporary file is named.
    public enum TemporaryName: Sendable {
        /// `prefix` and six random characters, created only if new (as mkstemp(3) does).
        case unique(prefix: String)
        /// This name, created only if new: a file already there is an `EEXIST` error.
        case exclusive(String)
        /// This name, emptied if a crashed run left it: a name no other process uses.
        case reusable(String)
    }

    /// The new file's mode.
    public enum Permissions: Sendable {
        /// `mode` less the process umask, as open(2) creates files.
        case umasked(mode_t)
        /// `mode` whatever the umask; a failed fchmod(2) is an error (a reader in a group needs it).
        case exactly(mode_t)
        /// `mode` whatever the umask where the file system keeps modes, else its own (0600 at
        /// most): for files that only their owner needs to read.
        case exactlyWherePossible(mode_t)
    }

    /// What makes the rename itself durable, after the file's own fsync.
    public enum Durability: Sendable {
        /// Nothing here: the caller fsyncs the directory (the daemon syncs each area once per batch).
        case callerSyncsDirectory
        /// fsync of the target's directory, where it can be opened for reading; failures are ignored.
        case directoryWherePossible
        /// syncfs(2) through the file's own descriptor, checked: for a writer that may not open
        /// the directory (the spool's `new/` to a dropper).
        case fileSystem
    }

    public let directory: DirectoryDescriptor
    public let temporaryName: String
    /// Set once the rename succeeded: the file is in place even if a later sync failed.
    public private(set) var isInPlace = false
    private var fd: Int32
    private var abandoned = false

    public var temporaryPath: String { directory.path(of: temporaryName) }

    /// Creates the temporary file in `directory`.
    public init(in directory: DirectoryDescriptor, temporary: TemporaryName, permissions: Permissions) throws(SystemError) {
        self.directory = directory
        var mode: mode_t = 0o600
        if case .umasked(let asked) = permissions { mode = asked }
        let flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC
        switch temporary {
        case .exclusive(let name):
            temporaryName = name
            fd = try syscall("open", directory.path(of: name)) { openat(directory.fd, name, flags | O_EXCL, mode) }
        case .reusable(let name):
            temporaryName = name
            fd = try syscall("open", directory.path(of: name)) { openat(directory.fd, name, flags | O_TRUNC, mode) }
        case .unique(let prefix):
            (temporaryName, fd) = try Self.createUnique(prefix, in: directory, flags: flags | O_EXCL, mode: mode)
        }
        switch permissions {
        case .umasked:
            break
        case .exactly(let asked):
            let fd = fd
            do { try syscall("fchmod", temporaryPath) { fchmod(fd, asked) } } catch {
                abandon()
                throw error
            }
        case .exactlyWherePossible(let asked):
            _ = fchmod(fd, asked)
        }
    }

    deinit { abandon() }

    /// Appends `bytes` to the temporary file.
    public func write(_ bytes: [UInt8]) throws(SystemError) {
        do { try writeAll(fd, bytes, subject: temporaryPath) } catch {
            abandon()
            throw error
        }
    }

    /// fsync, rename to `name` in `target` (never over an existing file unless `replacing`),
    /// then make the rename durable as `durability` says. A failure before the rename removes the
    /// temporary file; one after it (`isInPlace`) leaves the file where it now is.
    public func commit(as name: String, in target: DirectoryDescriptor, replacing: Bool, durability: Durability) throws(SystemError) {
        let fd = fd, from = directory.fd, temporary = temporaryName
        do throws(SystemError) {
            try syscall("fsync", temporaryPath) { fsync(fd) }
            if replacing {
                try syscall("rename", target.path(of: name)) { renameat(from, temporary, target.fd, name) }
            } else {
                try syscall("renameat2", target.path(of: name)) { dialogd_rename_noreplace(from, temporary, target.fd, name) }
            }
        } catch {
            abandon()
            throw error
        }
        isInPlace = true
        defer { abandon() }
        switch durability {
        case .callerSyncsDirectory:
            break
        case .directoryWherePossible:
            let parent = Self.parent(of: name)
            let dfd = openat(target.fd, parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if dfd >= 0 {
                _ = fsync(dfd)
                closeDescriptor(dfd)
            }
        case .fileSystem:
            try syscall("syncfs", target.path(of: name)) { dialogd_syncfs(fd) }
        }
    }

    /// Closes the descriptor and, unless the file is in place, removes the temporary name.
    private func abandon() {
        guard !abandoned else { return }
        abandoned = true
        closeDescriptor(fd)
        if !isInPlace { unlinkat(directory.fd, temporaryName, 0) }
    }

    private static func createUnique(_ prefix: String, in directory: DirectoryDescriptor, flags: Int32, mode: mode_t) throws(SystemError) -> (String, Int32) {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var attempt = 0
        while true {
            let name = prefix + String((0..<6).map { _ in letters[Int.random(in: 0..<letters.count)] })
            do {
                return (name, try syscall("open", directory.path(of: name)) { openat(directory.fd, name, flags, mode) })
            } catch where error.errno == EEXIST && attempt < 100 {
                attempt += 1
            }
        }
    }

    /// The directory part of `name` for openat(2): `.` for a bare name.
    static func parent(of name: String) -> String {
        guard let slash = name.lastIndex(of: "/") else { return "." }
        return slash == name.startIndex ? "/" : String(name[..<slash])
    }
}
