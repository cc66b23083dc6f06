import DialogCore
import DialogStore
import Dispatch
import Foundation

/// `check`: `PRAGMA integrity_check`, run by `IntegrityCheckRun` on a worker thread with its own
/// read-only connection: on a store of gigabytes it takes longer than the watchdog allows the
/// loop to stall. Requests that arrive while a check runs share its answer.
struct CheckCommand: ControlCommand {
    static let role = Role.read

    init(_ request: CheckRequest) {}

    func run(_ context: any ControlContext, origin: RequestOrigin) throws(ControlError) -> CommandOutcome {
        if let running = IntegrityCheckRun.current, !running.isFinished { return .deferred(CheckWaiter(running)) }
        let run = IntegrityCheckRun(path: context.store.path)
        IntegrityCheckRun.current = run
        return .deferred(CheckWaiter(run))
    }
}

/// One client waiting for a check; polled by the control server every few milliseconds.
final class CheckWaiter: DeferredWork {
    private let run: IntegrityCheckRun

    init(_ run: IntegrityCheckRun) { self.run = run }

    var pollIntervalMilliseconds: Int64 { 20 }

    func step(_ context: any ControlContext) -> Result<any Encodable, ControlError>? {
        guard let outcome = run.poll() else { return nil }
        switch outcome {
        case .success(let integrity): return .success(CheckResult(healthy: integrity == "ok", integrity: integrity))
        case .failure(let error): return .failure(error)
        }
    }
}

/// An integrity check on a worker thread. The worker writes `outcome` once and then signals;
/// the loop reads it only after a successful `wait`, so the semaphore orders the two.
final class IntegrityCheckRun: @unchecked Sendable {
    /// The check in progress, if any. Touched on the loop thread only.
    nonisolated(unsafe) static weak var current: IntegrityCheckRun?

    private let done = DispatchSemaphore(value: 0)
    private var outcome: Result<String, ControlError>?
    private var finished: Result<String, ControlError>?

    init(path: String) {
        Thread.detachNewThread { [self] in
            do { outcome = .success(try ConversationStore.integrityCheck(path: path)) } catch {
                outcome = .failure(.failed("store: \(error)"))
            }
            done.signal()
        }
    }

    var isFinished: Bool { finished != nil }

    /// The outcome once the worker is done, else nil; never blocks.
    func poll() -> Result<String, ControlError>? {
        if let finished { return finished }
        guard done.wait(timeout: .now()) == .success else { return nil }
        finished = outcome
        return finished
    }
}
