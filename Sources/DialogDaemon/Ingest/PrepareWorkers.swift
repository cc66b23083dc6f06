#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// The daemon's few long-lived threads for work off the loop (`Prefetch`, `ParallelThreads`):
/// started lazily, at most as many as cores, then kept (issue 17: a thread per piece of work made
/// 1,273 threads for one 100k-record `.jsonl`, each a start, a stack and a malloc arena to warm).
/// Plain pthreads, not libdispatch's pool, which traps the daemon when it is out of descriptors
/// (issue 12); a thread needs no descriptor. When none can be made, the work runs on the caller.
/// Jobs cross through one bounded queue under a mutex; only the finished value comes back.
final class PrepareWorkers: @unchecked Sendable {
    /// The process's workers: as many as cores online.
    static let shared = PrepareWorkers(limit: ParallelThreads.width)

    /// Jobs waiting at most; past it, the caller runs its job itself (memory stays bounded).
    static let queueCapacity = 64

    /// One piece of work handed to the workers. `state` is read and written under the lock;
    /// `body` by the one thread that took the job out of `queued`.
    final class Job: @unchecked Sendable {
        fileprivate var body: (@Sendable () -> Void)?
        fileprivate var state = State.queued
        fileprivate enum State { case queued, running, done }
        fileprivate init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    let limit: Int
    /// pthread objects must not move: allocated once, for the process's life.
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let workWaiting = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let jobEnded = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// Under `lock`: jobs not yet taken, oldest first; threads started; threads waiting for a job.
    private var queue: [Job] = []
    private var threads = 0
    private var idle = 0

    init(limit: Int) {
        self.limit = max(1, limit)
        pthread_mutex_init(lock, nil)
        pthread_cond_init(workWaiting, nil)
        pthread_cond_init(jobEnded, nil)
        queue.reserveCapacity(Self.queueCapacity)
    }

    /// Hands `body` to a worker, starting one if all are busy and fewer than `limit` run. Runs
    /// `body` here, before returning, when no worker exists and none can be made, or the queue is full.
    func start(_ body: @escaping @Sendable () -> Void) -> Job {
        let job = Job(body)
        pthread_mutex_lock(lock)
        if queue.count < Self.queueCapacity {
            queue.append(job)
            if queue.count > idle, threads < limit, startThread() { threads += 1 }
            if threads > 0 {
                if idle > 0 { pthread_cond_signal(workWaiting) }
                pthread_mutex_unlock(lock)
                return job
            }
            // EAGAIN and the like, and no worker at all: nobody else would take it.
            queue.removeLast()
        }
        job.state = .running
        pthread_mutex_unlock(lock)
        run(job)
        return job
    }

    /// Returns once `job` has ended. A job no worker has taken yet is run here: a wait never
    /// depends on a free worker, so work that waits for work it started cannot deadlock.
    func wait(_ job: Job) {
        pthread_mutex_lock(lock)
        if job.state == .queued, let index = queue.firstIndex(where: { $0 === job }) {
            queue.remove(at: index)
            job.state = .running
            pthread_mutex_unlock(lock)
            run(job)
            return
        }
        while job.state != .done { pthread_cond_wait(jobEnded, lock) }
        pthread_mutex_unlock(lock)
    }

    /// Takes `job` back if no worker has begun it (it will never run), else waits for its end.
    func withdraw(_ job: Job) {
        pthread_mutex_lock(lock)
        if job.state == .queued, let index = queue.firstIndex(where: { $0 === job }) {
            queue.remove(at: index)
            job.state = .done
            job.body = nil
        }
        while job.state != .done { pthread_cond_wait(jobEnded, lock) }
        pthread_mutex_unlock(lock)
    }

    /// Runs a job taken from the queue (state `running`) and marks it done. Its body, and what
    /// the body captured, is released before: a waiter finds nothing of it still alive.
    private func run(_ job: Job) {
        execute(job)
        pthread_mutex_lock(lock)
        job.state = .done
        pthread_cond_broadcast(jobEnded)
        pthread_mutex_unlock(lock)
    }

    /// No lock: whoever moved the job out of `queued` (under the lock) owns its body alone.
    private func execute(_ job: Job) {
        let body = job.body
        job.body = nil
        body?()
    }

    /// A worker's life: take the oldest job, run it, repeat; the process's exit ends it.
    private func serve() -> Never {
        pthread_mutex_lock(lock)
        while true {
            while queue.isEmpty {
                idle += 1
                pthread_cond_wait(workWaiting, lock)
                idle -= 1
            }
            let job = queue.removeFirst()
            job.state = .running
            pthread_mutex_unlock(lock)
            run(job)
            pthread_mutex_lock(lock)
        }
    }

    /// Starts one worker (called under `lock`); false when the system cannot make a thread now.
    private func startThread() -> Bool {
        do { try DetachedThread.start { [self] in serve() } } catch { return false }
        return true
    }
}
