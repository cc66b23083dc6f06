#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// A failed system call: which call, on what, and errno — enough for a log line an admin can act on.
public struct SystemError: Error, Sendable, Equatable, CustomStringConvertible {
    public var call: String
    public var errno: Int32
    /// The path or name the call worked on, when there is one.
    public var subject: String?

    public init(call: String, errno: Int32, subject: String? = nil) {
        self.call = call
        self.errno = errno
        self.subject = subject
    }

    public var description: String {
        let reason = String(cString: strerror(errno))
        if let subject { return "\(call)(\(subject)): \(reason) (errno \(errno))" }
        return "\(call): \(reason) (errno \(errno))"
    }
}

/// Runs a syscall that returns -1 on failure, retrying `EINTR`, and throws `SystemError` otherwise.
///
/// `@inline(never)` as in swift-nio: nothing (ARC traffic included) may run between the call and
/// the read of errno.
@inline(never)
@discardableResult
public func syscall<T: FixedWidthInteger>(
    _ name: String, _ subject: @autoclosure () -> String? = nil, _ body: () -> T
) throws(SystemError) -> T {
    while true {
        let result = body()
        if result == -1 {
            let err = errno
            if err == EINTR { continue }
            throw SystemError(call: name, errno: err, subject: subject())
        }
        return result
    }
}

/// Closes a descriptor, ignoring errors: after `close` the fd is gone whatever it says (man 2 close).
public func closeDescriptor(_ fd: Int32) {
    if fd >= 0 { _ = Glibc.close(fd) }
}

/// Writes every byte, retrying short writes and EINTR.
func writeAll(_ fd: Int32, _ bytes: [UInt8], subject: String) throws(SystemError) {
    let failure: SystemError? = bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return SystemError(call: "write", errno: errno, subject: subject)
            }
            offset += n
        }
        return nil
    }
    if let failure { throw failure }
}
