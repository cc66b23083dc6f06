import Foundation
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// sd_notify spoken to a real datagram socket, as systemd's would receive it.
@Suite("sd_notify")
struct SdNotifyTests {
    /// A bound AF_UNIX datagram socket standing in for systemd's notify socket.
    final class NotifySocket {
        let fd: Int32
        let path: String

        init(path: String) {
            self.path = path
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (i, byte) in path.utf8.enumerated() { raw[i] = byte }
            }
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        deinit { close(fd) }

        /// Messages received until `seconds` pass or `until` holds for what was collected.
        func collect(_ seconds: Double, until: ([String]) -> Bool) -> [String] {
            var messages: [String] = []
            let deadline = Date().addingTimeInterval(seconds)
            var buffer = [UInt8](repeating: 0, count: 4096)
            while Date() < deadline, !until(messages) {
                let n = recv(fd, &buffer, buffer.count, 0)
                if n > 0 { messages.append(String(decoding: buffer[0..<n], as: UTF8.self)) }
            }
            return messages
        }
    }

    @Test("READY and STATUS after start, WATCHDOG=1 at half the interval, STOPPING=1 at the end")
    func notifyLifecycle() throws {
        let dir = TestDirectory("notify")
        let notify = NotifySocket(path: dir.sub("notify.sock"))
        let daemon = try DaemonProcess(directory: dir).start(environment: [
            "NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "200000",
        ])
        let early = notify.collect(5) { $0.filter { $0 == "WATCHDOG=1" }.count >= 4 }
        #expect(early.contains { $0.hasPrefix("READY=1\nSTATUS=") })
        #expect(early.filter { $0 == "WATCHDOG=1" }.count >= 4, "\(early)")
        daemon.drop("a.conv", "Date: \(isoDate(-60))\nEmployee: a\n\nhi\n")
        let status = notify.collect(5) { $0.contains { $0.hasPrefix("STATUS=1 stored") } }
        #expect(status.contains { $0.hasPrefix("STATUS=1 stored") }, "\(status)")
        #expect(daemon.stop() == 0)
        let last = notify.collect(2) { $0.contains("STOPPING=1") }
        #expect(last.contains("STOPPING=1"))
    }

    @Test("no WATCHDOG=1 when the watchdog is meant for another process")
    func watchdogForOtherPid() throws {
        let dir = TestDirectory("notifypid")
        let notify = NotifySocket(path: dir.sub("notify.sock"))
        let daemon = try DaemonProcess(directory: dir).start(environment: [
            "NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "100000", "WATCHDOG_PID": "1",
        ])
        let messages = notify.collect(1) { _ in false }
        #expect(messages.contains { $0.hasPrefix("READY=1") })
        #expect(!messages.contains("WATCHDOG=1"))
        #expect(daemon.stop() == 0)
    }
}
