#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DialogSystem

/// Who is on the other end of a Unix socket, as the kernel saw it at `connect` (SO_PEERCRED).
/// Same layout as `struct ucred`, which Swift's Glibc does not import (no _GNU_SOURCE).
struct PeerCredentials: Sendable, Equatable, CustomStringConvertible {
    var pid: Int32
    var uid: UInt32
    var gid: UInt32

    static func of(_ fd: Int32) throws(SystemError) -> PeerCredentials {
        var credentials = PeerCredentials(pid: 0, uid: UInt32.max, gid: UInt32.max)
        var length = socklen_t(MemoryLayout<PeerCredentials>.size)
        _ = try withUnsafeMutablePointer(to: &credentials) { (pointer) throws(SystemError) in
            try syscall("getsockopt(SO_PEERCRED)") { getsockopt(fd, SOL_SOCKET, SO_PEERCRED, pointer, &length) }
        }
        return credentials
    }

    var description: String { "uid \(uid) gid \(gid) pid \(pid)" }
}
