#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DialogCore
import DialogSystem

/// Reads `[roster] path` at start and on every reload, with the configuration it belongs to: a
/// broken roster refuses the reload like a broken config. The roster is personal data, so a file
/// every user may read is refused (docs/spool.md "The roster").
enum RosterFile {
    static let maxBytes = 16 << 20

    static func load(_ path: String) throws(ConfigError) -> Roster {
        func fail(_ message: String, line: Int? = nil, key: String? = nil) -> ConfigError {
            ConfigError(file: path, line: line, key: key, message: message)
        }
        let fd: Int32
        do { fd = try syscall("open") { open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY) } } catch {
            throw fail("the roster ([roster] path) cannot be opened: \(error.description)")
        }
        defer { closeDescriptor(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { throw fail("the roster ([roster] path) is not a regular file") }
        guard st.st_mode & S_IROTH == 0 else {
            throw fail("the roster is readable by every user (mode 0\(String(st.st_mode & 0o777, radix: 8))); it is personal data: chmod o-rwx it (e.g. 0640, owner root, group dialogd)")
        }
        let bytes: [UInt8]
        do { bytes = try readAll(fd, subject: nil, limit: maxBytes + 1) } catch {
            throw fail("the roster cannot be read: \(error.description)")
        }
        guard bytes.count <= maxBytes else { throw fail("the roster is larger than \(maxBytes) bytes") }
        var roster: Roster
        do { roster = try Roster.parse(bytes, source: path) } catch {
            var message = "roster: expected \(error.expected)"
            if let found = error.found { message += ", found \(found)" }
            throw fail(message, line: error.line, key: error.field)
        }
        let unknown = roster.resolvingAccounts { name in
            guard let entry = getpwnam(name) else { return nil }
            return entry.pointee.pw_uid
        }
        if let first = unknown.first {
            throw fail("roster: the account \(first) is no user of this system (the account column takes login names or uids)")
        }
        return roster
    }
}
