#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DialogCore
import DialogStore
import Dispatch

/// Runs the reads whose cost grows with the store (roi, kpi, pyramid, list, show, export,
/// labels, review) on one worker thread with a read-only connection of its own, so none of
/// them holds the loop that owns the ingesting connection, `status` and the spool (issue 13).
/// WAL lets both connections run side by side; a read sees the last commit. One worker: the
/// other core stays with ingestion, and every read is bounded (docs/protocol.md).
final class StoreReads: @unchecked Sendable {
    private let path: String
    private let queue = DispatchQueue(label: "dialogd.store-reads")
    /// The worker's connection, opened on first use; touched on `queue` only.
    private var store: ConversationStore?
    /// Reads submitted and not yet collected (for diagnostics); touched on the loop only.
    private(set) var outstanding = 0
    /// The worker writes a byte here when a read is done, so the loop wakes without polling.
    let wakeFD: Int32
    private let signalFD: Int32

    init(path: String) throws(SystemError) {
        self.path = path
        var fds: [Int32] = [0, 0]
        try syscall("pipe") { pipe(&fds) }
        for fd in fds { try setNonBlocking(fd) }
        (wakeFD, signalFD) = (fds[0], fds[1])
    }

    deinit {
        closeDescriptor(wakeFD)
        closeDescriptor(signalFD)
    }

    /// Queues `body` for the worker. It must capture only values (the daemon's state belongs
    /// to the loop); ControlError and RoiQueryError keep their codes, other errors are `failed`.
    /// A connection has at most one read in flight, so the connection caps bound the queue.
    func submit(_ body: @escaping @Sendable (ConversationStore) throws -> any Encodable & Sendable) -> StoreRead {
        outstanding += 1
        let read = StoreRead(self)
        queue.async { [self] in
            read.finish(perform(body))
            var byte: UInt8 = 1
            _ = write(signalFD, &byte, 1)  // a full pipe already holds a wake-up
        }
        return read
    }

    /// Empties the wake pipe (the loop then steps every read).
    func drainWakeups() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while buffer.withUnsafeMutableBytes({ read(wakeFD, $0.baseAddress, $0.count) }) > 0 {}
    }

    fileprivate func collected() { outstanding -= 1 }

    private func perform(_ body: (ConversationStore) throws -> any Encodable & Sendable) -> Result<any Encodable & Sendable, ControlError> {
        do {
            let store = try self.store ?? ConversationStore(readingOnly: path)
            self.store = store
            return .success(try body(store))
        } catch let error as ControlError {
            return .failure(error)
        } catch let error as RoiQueryError {
            return .failure(ControlError(code: error.code, message: error.message))
        } catch {
            self.store = nil  // open anew next time
            return .failure(.failed("store: \(error)"))
        }
    }
}

/// One read on the worker, as deferred work of the control server. The worker writes
/// `outcome` once and then signals; the loop reads it only after a successful `wait`.
final class StoreRead: DeferredWork, @unchecked Sendable {
    private unowned let reads: StoreReads
    private let done = DispatchSemaphore(value: 0)
    private var outcome: Result<any Encodable & Sendable, ControlError>?

    fileprivate init(_ reads: StoreReads) { self.reads = reads }

    fileprivate func finish(_ outcome: Result<any Encodable & Sendable, ControlError>) {
        self.outcome = outcome
        done.signal()
    }

    /// The wake pipe ends the wait; this is only a fallback.
    var pollIntervalMilliseconds: Int64 { 1000 }

    func step(_ context: any ControlContext) -> Result<any Encodable, ControlError>? {
        guard done.wait(timeout: .now()) == .success, let outcome else { return nil }
        reads.collected()
        switch outcome {
        case .success(let value): return .success(value)
        case .failure(let error): return .failure(error)
        }
    }
}
