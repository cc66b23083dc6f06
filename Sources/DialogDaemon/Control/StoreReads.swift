#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DialogCore
import DialogStore
import DialogSystem
import Dispatch

/// Runs the reads whose cost grows with the store (roi, kpi, pyramid, list, show, export,
/// labels, review) on one worker thread with a read-only connection of its own, so none of
/// them holds the loop that owns the ingesting connection, `status` and the spool (issue 13).
/// WAL lets both connections run side by side; a read sees the last commit. One worker: the
/// other core stays with ingestion, and every read is bounded (docs/protocol.md). The worker is
/// a `WorkerThread` made at start, not a `DispatchQueue`: libdispatch traps on EMFILE.
/// Reads wait in one queue per uid and the worker takes them from the uids in turn, so a
/// reader pipelining on all its connections delays others by one read, not by all of its own.
final class StoreReads: @unchecked Sendable {
    typealias Body = @Sendable (ConversationStore) throws -> any Encodable & Sendable
    private let path: String
    private let worker: WorkerThread
    /// The worker's connection, opened on first use; touched on `worker` only.
    private var store: ConversationStore?
    /// The worker writes a byte here when a read is done, so the loop wakes without polling.
    let wakeFD: Int32
    private let signalFD: Int32

    init(path: String) throws(SystemError) {
        self.path = path
        worker = try WorkerThread()
        var fds: [Int32] = [0, 0]
        try syscall("pipe") { pipe(&fds) }
        for fd in fds { try setNonBlocking(fd) }
        (wakeFD, signalFD) = (fds[0], fds[1])
    }

    deinit {
        closeDescriptor(wakeFD)
        closeDescriptor(signalFD)
    }

    /// Reads not yet handed to the worker, per uid, and the uids in turn; touched on the loop only.
    private var waiting: [UInt32: [(StoreRead, Body)]] = [:]
    private var turn: [UInt32] = []
    /// Whether the worker has a read; it signals the wake pipe when done.
    private var busy = false

    /// Queues `body` for the worker on behalf of `uid`. It must capture only values (the
    /// daemon's state belongs to the loop); ControlError and RoiQueryError keep their codes,
    /// other errors are `failed`. A connection has at most one read in flight, so the
    /// connection caps bound the queues.
    func submit(uid: UInt32, _ body: @escaping Body) -> StoreRead {
        let read = StoreRead()
        if waiting[uid, default: []].isEmpty { turn.append(uid) }
        waiting[uid, default: []].append((read, body))
        startNext()
        return read
    }

    /// Hands the worker the next read of the next uid in turn, when it is idle.
    private func startNext() {
        guard !busy, !turn.isEmpty else { return }
        let uid = turn.removeFirst()
        guard var queued = waiting[uid], !queued.isEmpty else { return startNext() }
        let (read, body) = queued.removeFirst()
        waiting[uid] = queued.isEmpty ? nil : queued
        if !queued.isEmpty { turn.append(uid) }
        busy = true
        worker.run { [self] in
            read.finish(perform(body))
            var byte: UInt8 = 1
            _ = write(signalFD, &byte, 1)  // a full pipe already holds a wake-up
        }
    }

    /// Empties the wake pipe (the loop then steps every read) and starts the next read: only
    /// the worker writes to the pipe, after its one read is done.
    func drainWakeups() {
        var buffer = [UInt8](repeating: 0, count: 64)
        var woken = false
        while buffer.withUnsafeMutableBytes({ read(wakeFD, $0.baseAddress, $0.count) }) > 0 { woken = true }
        if woken {
            busy = false
            startNext()
        }
    }

    private func perform(_ body: Body) -> Result<any Encodable & Sendable, ControlError> {
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
    private let done = DispatchSemaphore(value: 0)
    private var outcome: Result<any Encodable & Sendable, ControlError>?

    fileprivate init() {}

    fileprivate func finish(_ outcome: Result<any Encodable & Sendable, ControlError>) {
        self.outcome = outcome
        done.signal()
    }

    /// The wake pipe ends the wait; this is only a fallback.
    var pollIntervalMilliseconds: Int64 { 1000 }

    func step(_ context: any ControlContext) -> Result<any Encodable, ControlError>? {
        guard done.wait(timeout: .now()) == .success, let outcome else { return nil }
        switch outcome {
        case .success(let value): return .success(value)
        case .failure(let error): return .failure(error)
        }
    }
}

/// The worker as one request sees it: its reads queue under the peer's uid.
struct PeerReads {
    let reads: StoreReads
    let uid: UInt32

    func submit(_ body: @escaping StoreReads.Body) -> StoreRead {
        reads.submit(uid: uid, body)
    }
}
