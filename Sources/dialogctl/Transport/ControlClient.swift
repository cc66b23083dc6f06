#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation

/// Why talking to the daemon failed: 69 (EX_UNAVAILABLE) with a hint.
struct Unreachable: Error {
    var message: String
}

/// A blocking client connection to the control socket: one request line out, one reply line in.
struct ControlClient {
    let path: String

    /// Sends `line` and returns the reply line (without its newline).
    func exchange(_ line: [UInt8], timeoutSeconds: Int) throws(Unreachable) -> [UInt8] {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Unreachable(message: "socket: \(Self.reason(errno))") }
        defer { close(fd) }
        try connect(fd)
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var request = line
        request.append(UInt8(ascii: "\n"))
        var sent = 0
        while sent < request.count {
            let n = request.withUnsafeBytes { send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                // A refusal (caps, access) may already be waiting to be read.
                break
            }
            sent += n
        }
        var reply: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK {
                    throw Unreachable(message: "dialogd at \(path) did not answer within \(timeoutSeconds) s")
                }
                throw Unreachable(message: "reading from \(path): \(Self.reason(errno))")
            }
            if n == 0 { break }
            if let newline = chunk[0..<n].firstIndex(of: UInt8(ascii: "\n")) {
                reply.append(contentsOf: chunk[0..<newline])
                return reply
            }
            reply.append(contentsOf: chunk[0..<n])
        }
        guard !reply.isEmpty else { throw Unreachable(message: "dialogd at \(path) closed the connection without a reply") }
        return reply
    }

    private func connect(_ fd: Int32) throws(Unreachable) {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw Unreachable(message: "socket path \(path) is longer than 107 bytes")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        var result: Int32
        repeat {
            result = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
        } while result < 0 && errno == EINTR
        guard result == 0 else {
            let err = errno
            let hint = err == EACCES
                ? "your user may not open it; ask for membership in dialogd's query or admin group"
                : "is dialogd running? Start it with `systemctl start dialogd`, or `swift run dialogd` from a checkout"
            throw Unreachable(message: "cannot connect to \(path): \(Self.reason(err)); \(hint)")
        }
    }

    private static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
}
