#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DialogSystem

/// inotify on `new/` as a wake-up only (docs/spool.md): it names files that arrived, and says when
/// events were lost so the caller rescans. Correctness never depends on it; scans do.
public final class SpoolWatcher {
    public let fd: Int32
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    public struct Events {
        public var names: [String] = []
        /// The kernel queue overflowed: some arrivals are unknown, scan the directory.
        public var overflowed = false
        /// A name that is not UTF-8 arrived: only a scan can pick it up (as raw bytes).
        public var undecodable = false
    }

    /// Add the watch before the first scan, or files arriving in between are missed.
    public init(directory: String) throws(SystemError) {
        fd = try syscall("inotify_init1") { inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC)) }
        let mask = UInt32(IN_MOVED_TO) | UInt32(IN_CLOSE_WRITE) | UInt32(IN_ONLYDIR) | UInt32(IN_DONT_FOLLOW)
        do {
            try syscall("inotify_add_watch", directory) { inotify_add_watch(fd, directory, mask) }
        } catch {
            closeDescriptor(fd)
            throw error
        }
    }

    deinit { closeDescriptor(fd) }

    /// Drains every pending event without blocking.
    public func drain() -> Events {
        var events = Events()
        let header = MemoryLayout<inotify_event>.size
        while true {
            let n = buffer.withUnsafeMutableBytes { raw in retryingInterrupted { Glibc.read(fd, raw.baseAddress, raw.count) } }
            if n <= 0 { break } // EAGAIN: drained
            buffer.withUnsafeBytes { raw in
                var offset = 0
                while offset + header <= n {
                    let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    if event.mask & UInt32(IN_Q_OVERFLOW) != 0 { events.overflowed = true }
                    if event.len > 0 {
                        let start = offset + header
                        let end = min(start + Int(event.len), n)
                        let nameBytes = raw[start..<end].prefix { $0 != 0 }
                        // A dot byte first is hidden (as for `ls` and the rescan), whatever follows it.
                        if nameBytes.first != UInt8(ascii: ".") {
                            if let name = String(validating: nameBytes, as: UTF8.self) { events.names.append(name) } else { events.undecodable = true }
                        }
                    }
                    offset += header + Int(event.len)
                }
            }
        }
        return events
    }
}
