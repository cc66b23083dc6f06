#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DialogSystem
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
        let fd: Int32
        do { fd = try syscall("socket") { socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) } } catch {
            throw Unreachable(message: "socket: \(error.reason)")
        }
        defer { closeDescriptor(fd) }
        try connect(fd)
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        // A failed send is not the end: a refusal (caps, access) may already be waiting to be read.
        try? sendAll(fd, line + [UInt8(ascii: "\n")], subject: path)
        var reply: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let received = chunk.withUnsafeMutableBytes { buffer in
                Result { () throws(SystemError) in try readSome(fd, into: buffer, subject: path) }
            }
            let n: Int
            switch received {
            case .success(let count):
                n = count
            case .failure(let error) where error.errno == EAGAIN || error.errno == EWOULDBLOCK:
                throw Unreachable(message: "dialogd at \(path) did not answer within \(timeoutSeconds) s")
            case .failure(let error):
                throw Unreachable(message: "reading from \(path): \(error.reason)")
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
        do {
            _ = try withUnsafePointer(to: &address) { (pointer) throws(SystemError) in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (raw) throws(SystemError) in
                    try syscall("connect", path) { Glibc.connect(fd, raw, socklen_t(MemoryLayout<sockaddr_un>.size)) }
                }
            }
        } catch {
            let hint = error.errno == EACCES
                ? "your user may not open it; ask for membership in dialogd's query or admin group"
                : "is dialogd running? Start it with `systemctl start dialogd`, or `swift run dialogd` from a checkout"
            throw Unreachable(message: "cannot connect to \(path): \(error.reason); \(hint)")
        }
    }
}
