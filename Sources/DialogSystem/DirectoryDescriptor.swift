#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// A directory descriptor for `*at()` calls, with the path it stands for in messages. It does not
/// own the descriptor. `workingDirectory` (`AT_FDCWD`) takes names that are paths themselves.
public struct DirectoryDescriptor: Sendable {
    public let fd: Int32
    /// The directory's path, for messages; nil for the working directory, whose names are paths.
    public let path: String?

    public init(fd: Int32, path: String?) {
        self.fd = fd
        self.path = path
    }

    /// Names relative to the working directory, or absolute: for a writer that may not open the
    /// directory it writes into (the spool's `new/`, mode 3730, to a dropper).
    public static let workingDirectory = DirectoryDescriptor(fd: AT_FDCWD, path: nil)

    /// The path of `name` in this directory, for messages.
    public func path(of name: String) -> String {
        path.map { $0 + "/" + name } ?? name
    }
}
