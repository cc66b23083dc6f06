#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Writes all of `bytes` to `fd`, retrying short writes and EINTR; `path` names the file in the error.
func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(SessionError) {
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
        if n < 0 {
            if errno == EINTR { continue }
            throw SessionError(message: "writing \(path): \(String(cString: strerror(errno)))", exitCode: 1)
        }
        offset += n
    }
}
