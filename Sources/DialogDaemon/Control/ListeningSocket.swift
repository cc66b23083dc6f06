#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DialogSystem

/// The control socket's listening descriptor: bound to `socket.path` by us, or handed over by
/// systemd (socket activation, fd 3). Non-blocking, close-on-exec.
final class ListeningSocket {
    let fd: Int32
    let path: String
    /// True when systemd owns the socket file (we neither created it nor may remove it).
    let activated: Bool

    private init(fd: Int32, path: String, activated: Bool) {
        self.fd = fd
        self.path = path
        self.activated = activated
    }

    deinit { closeDescriptor(fd) }

    /// fd 3 when `LISTEN_PID` is us and `LISTEN_FDS` ≥ 1 (the variables are removed so children
    /// do not inherit them), else a fresh socket at `path` with `mode`.
    static func open(path: String, mode: Int, environment: [String: String]) throws(SystemError) -> ListeningSocket {
        if let pid = environment["LISTEN_PID"].flatMap(Int32.init), pid == getpid(),
           let count = environment["LISTEN_FDS"].flatMap(Int.init), count >= 1 {
            for name in ["LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"] { unsetenv(name) }
            let fd: Int32 = 3
            try setNonBlocking(fd)
            return ListeningSocket(fd: fd, path: path, activated: true)
        }
        return try ListeningSocket(binding: path, mode: mode)
    }

    private convenience init(binding path: String, mode: Int) throws(SystemError) {
        var address = try Self.address(path)
        try SpoolDirectory.makeDirectories(parentOf: path)
        try Self.removeStale(path, address: address)
        let fd = try syscall("socket") { socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        do throws(SystemError) {
            try setNonBlocking(fd)
            _ = try withUnsafePointer(to: &address) { (pointer) throws(SystemError) in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (raw) throws(SystemError) in
                    try syscall("bind", path) { bind(fd, raw, socklen_t(MemoryLayout<sockaddr_un>.size)) }
                }
            }
            try syscall("chmod", path) { chmod(path, mode_t(mode)) }
            try syscall("listen", path) { listen(fd, 128) }
        } catch {
            closeDescriptor(fd)
            throw error
        }
        self.init(fd: fd, path: path, activated: false)
    }

    /// Removes our socket file on shutdown (never systemd's).
    func unlinkIfOwned() {
        if !activated { unlink(path) }
    }

    /// `sockaddr_un` for `path`; `sun_path` holds 107 bytes and a NUL.
    static func address(_ path: String) throws(SystemError) -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard !bytes.isEmpty, bytes.count < capacity, !bytes.contains(0) else {
            throw SystemError(call: "socket path", errno: ENAMETOOLONG, subject: path)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return address
    }

    /// A socket file nobody answers on is left over from a crash: remove it. One that answers
    /// belongs to a running daemon, and anything else is not ours to delete.
    private static func removeStale(_ path: String, address: sockaddr_un) throws(SystemError) {
        var st = stat()
        guard lstat(path, &st) == 0 else { return }
        guard st.st_mode & S_IFMT == S_IFSOCK else {
            throw SystemError(call: "bind", errno: EEXIST, subject: path + " (exists and is not a socket)")
        }
        let probe = try syscall("socket") { socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        defer { closeDescriptor(probe) }
        var address = address
        let answered = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(probe, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0 }
        }
        if answered {
            throw SystemError(call: "bind", errno: EADDRINUSE, subject: path + " (another dialogd answers there)")
        }
        try syscall("unlink", path) { unlink(path) }
    }
}

func setNonBlocking(_ fd: Int32) throws(SystemError) {
    let flags = try syscall("fcntl(F_GETFL)") { fcntl(fd, F_GETFL) }
    try syscall("fcntl(F_SETFL)") { fcntl(fd, F_SETFL, flags | O_NONBLOCK) }
    try syscall("fcntl(F_SETFD)") { fcntl(fd, F_SETFD, FD_CLOEXEC) }
}
