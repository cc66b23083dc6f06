#if canImport(Glibc)
@preconcurrency import Glibc
#endif

// Array's withUnsafeBytes rethrows untyped errors, so the loops below hand a failure out as a
// Result and throw it typed outside the closure.

/// Writes every byte of `bytes` to `fd`, going on after short writes and interrupted calls.
public func writeAll(_ fd: Int32, _ bytes: [UInt8], subject: String?) throws(SystemError) {
    try bytes.withUnsafeBytes { buffer in
        Result { () throws(SystemError) in try writeAll(fd, buffer, subject: subject) }
    }.get()
}

/// Writes every byte of `buffer` to `fd`, going on after short writes and interrupted calls.
public func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, subject: String?) throws(SystemError) {
    guard let base = buffer.baseAddress else { return }
    var offset = 0
    while offset < buffer.count {
        offset += try syscall("write", subject) { Glibc.write(fd, base + offset, buffer.count - offset) }
    }
}

/// Sends every byte of `bytes` on the socket `fd`, with `MSG_NOSIGNAL`: a peer that went away
/// is an `EPIPE` error here, not a SIGPIPE that ends the process.
public func sendAll(_ fd: Int32, _ bytes: [UInt8], subject: String?) throws(SystemError) {
    try bytes.withUnsafeBytes { buffer in
        Result { () throws(SystemError) in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                offset += try syscall("send", subject) { Glibc.send(fd, base + offset, buffer.count - offset, Int32(MSG_NOSIGNAL)) }
            }
        }
    }.get()
}

/// One `read(2)` into `buffer`, retried when interrupted: the bytes read, 0 at the end of the file.
public func readSome(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, subject: String?) throws(SystemError) -> Int {
    guard buffer.count > 0 else { return 0 }
    return try syscall("read", subject) { Glibc.read(fd, buffer.baseAddress, buffer.count) }
}

/// Reads `fd` to its end, or until `limit` bytes are in (the rest stays unread).
public func readAll(_ fd: Int32, subject: String?, limit: Int = .max) throws(SystemError) -> [UInt8] {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while bytes.count < limit {
        let room = min(chunk.count, limit - bytes.count)
        let n = try chunk.withUnsafeMutableBytes { raw in
            Result { () throws(SystemError) in
                try readSome(fd, into: UnsafeMutableRawBufferPointer(rebasing: raw[..<room]), subject: subject)
            }
        }.get()
        if n == 0 { break }
        bytes.append(contentsOf: chunk[..<n])
    }
    return bytes
}
