#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DialogSystem

/// The self-pipe trick: a signal handler may only do async-signal-safe work, so it writes the
/// signal number into a pipe that the event loop polls like any other descriptor.
public final class SignalPipe {
    public let readFD: Int32

    public init(signals: [Int32]) throws(SystemError) {
        var fds: [Int32] = [0, 0]
        try syscall("pipe") { pipe(&fds) }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        readFD = fds[0]
        signalPipeWriteFD = fds[1]
        signal(SIGPIPE, SIG_IGN)
        // A parent may hand us a blocked mask (threads of a test runner do): unblock ours.
        var mask = sigset_t()
        sigemptyset(&mask)
        for number in signals { sigaddset(&mask, number) }
        sigprocmask(SIG_UNBLOCK, &mask, nil)
        for number in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                var byte = UInt8(truncatingIfNeeded: number)
                let saved = errno
                _ = Glibc.write(signalPipeWriteFD, &byte, 1)
                errno = saved
            }
            action.sa_flags = SA_RESTART
            sigemptyset(&action.sa_mask)
            sigaction(number, &action, nil)
        }
    }

    /// Signals received since the last call, in order.
    public func drain() -> [Int32] {
        var buffer = [UInt8](repeating: 0, count: 64)
        var signals: [Int32] = []
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(readFD, $0.baseAddress!, $0.count) }
            if n <= 0 { break }
            signals.append(contentsOf: buffer[0..<n].map { Int32($0) })
        }
        return signals
    }
}

/// Written once before any handler is installed, then only read from the handler.
nonisolated(unsafe) private var signalPipeWriteFD: Int32 = -1
