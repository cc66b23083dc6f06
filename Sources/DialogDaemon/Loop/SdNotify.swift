#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DialogSystem

/// sd_notify(3) spoken directly: one datagram to `$NOTIFY_SOCKET`, no libsystemd.
/// A leading `@` names an abstract socket (a NUL byte, and no trailing NUL in the length).
public struct SdNotify: Sendable {
    private let path: [UInt8]?
    /// Half of `WATCHDOG_USEC`, in ms, when systemd watches us (and not another process).
    public let watchdogIntervalMilliseconds: Int64?

    public init(environment: [String: String]) {
        if let usec = environment["WATCHDOG_USEC"].flatMap({ Int64($0) }), usec > 0,
           environment["WATCHDOG_PID"].flatMap({ Int32($0) }).map({ $0 == getpid() }) ?? true {
            watchdogIntervalMilliseconds = max(usec / 2000, 1)
        } else {
            watchdogIntervalMilliseconds = nil
        }
        guard let socket = environment["NOTIFY_SOCKET"], !socket.isEmpty,
              socket.hasPrefix("/") || socket.hasPrefix("@"), socket.utf8.count < 108
        else {
            path = nil
            return
        }
        var bytes = Array(socket.utf8)
        if bytes[0] == UInt8(ascii: "@") { bytes[0] = 0 }
        path = bytes
    }

    public var isEnabled: Bool { path != nil }

    /// Sends `state` (e.g. `READY=1\nSTATUS=…`); failures are ignored, as sd_notify does.
    public func send(_ state: String) {
        guard let path else { return }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return }
        defer { closeDescriptor(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in path.enumerated() { raw[i] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + path.count + (path[0] == 0 ? 0 : 1))
        var message = Array(state.utf8)
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                sendto(fd, &message, message.count, Int32(MSG_NOSIGNAL), sa, length)
            }
        }
    }
}
