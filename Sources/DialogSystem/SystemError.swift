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

    /// `call(subject): reason (errno N)`.
    public var description: String {
        if let subject { return "\(call)(\(subject)): \(reason) (errno \(errno))" }
        return "\(call): \(reason) (errno \(errno))"
    }

    /// The C library's words for `errno` ("No space left on device").
    public var reason: String { Self.reason(errno) }

    /// The C library's words for an error number. `strerror_r` (the XSI one, which Swift's Glibc
    /// declares) because `strerror` may share one buffer between threads (man 3 strerror).
    public static func reason(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard strerror_r(code, &buffer, buffer.count) == 0 else { return "Unknown error \(code)" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
