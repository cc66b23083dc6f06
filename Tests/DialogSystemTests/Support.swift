import Foundation
import Synchronization
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// A fresh directory under /tmp for one test, removed with everything in it at the end.
final class ScratchDirectory {
    let path: String

    init(_ label: String) {
        var template = Array("/tmp/dialogsystem-\(label)-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        path = made.map { String(cString: $0) } ?? "/tmp/dialogsystem-\(label)-\(getpid())"
        if made == nil { mkdir(path, 0o700) }
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func sub(_ name: String) -> String { path + "/" + name }

    /// Names in the directory, dot-files included, sorted.
    func names() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }

    func bytes(_ name: String) -> [UInt8]? { FileManager.default.contents(atPath: sub(name)).map { Array($0) } }

    /// The permission bits of `name`.
    func mode(_ name: String) -> mode_t? {
        var st = stat()
        return stat(sub(name), &st) == 0 ? st.st_mode & 0o7777 : nil
    }
}

/// SIGUSR2 sent to the thread that made it, again and again, with a handler installed without SA_RESTART:
/// every blocking call that thread makes is cut short (EINTR or a short count), the case the
/// retry loops are for. The counting handler is installed once for the process and never
/// restored: tests run in parallel, and one test restoring the default action while another's
/// signals are still on their way killed the whole test process (signal 12).
final class Interrupter: Sendable {
    private let target: pthread_t
    private let stopping = Atomic<Bool>(false)
    private let stopped = DispatchSemaphore(value: 0)

    /// Signals delivered since the process started (the handler counts them).
    static var delivered: Int { interruptionsDelivered.load(ordering: .relaxed) }

    private static let handlerInstalled: Bool = {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in interruptionsDelivered.add(1, ordering: .relaxed) }
        action.sa_flags = 0
        sigemptyset(&action.sa_mask)
        return sigaction(SIGUSR2, &action, nil) == 0
    }()

    /// Aims at the calling thread, and unblocks SIGUSR2 there (the threads of a test run start
    /// with it blocked).
    init(everyMicroseconds interval: UInt32) {
        precondition(Self.handlerInstalled, "sigaction(SIGUSR2) failed")
        target = pthread_self()
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGUSR2)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        let thread = Thread { [self] in
            while !stopping.load(ordering: .relaxed) {
                pthread_kill(target, SIGUSR2)
                usleep(interval)
            }
            stopped.signal()
        }
        thread.start()
    }

    func stop() {
        stopping.store(true, ordering: .relaxed)
        stopped.wait()
    }
}

private let interruptionsDelivered = Atomic<Int>(0)

/// Runs `body` on a thread of its own (so the signals aimed at it hit nothing else) and waits.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () -> T) -> T {
    let result = Mutex<T?>(nil)
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        let value = body()
        result.withLock { $0 = value }
        done.signal()
    }
    thread.start()
    done.wait()
    return result.withLock { $0! }
}
