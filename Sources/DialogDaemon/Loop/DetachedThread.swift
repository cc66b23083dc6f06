#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DialogSystem

/// The one place the daemon starts a thread of its own (`WorkerThread`, `PrepareWorkers`): a
/// plain detached pthread, not libdispatch's pool, which traps the daemon when it is out of
/// descriptors (issue 12); a thread needs no descriptor.
enum DetachedThread {
    /// Runs `body` on a new detached thread; throws (EAGAIN and the like) when the system cannot
    /// make one now. `body` and what it captures live until it returns, for good if it never does.
    static func start(_ body: @escaping @Sendable () -> Void) throws(SystemError) {
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { context in
            guard let context else { return nil }
            Unmanaged<Body>.fromOpaque(context).takeRetainedValue().run()
            return nil
        }, context)
        guard result == 0 else {
            Unmanaged<Body>.fromOpaque(context).release()
            throw SystemError(call: "pthread_create", errno: result)
        }
        pthread_detach(thread)
    }

    /// The closure boxed as a class, so it crosses `pthread_create`'s one raw pointer.
    private final class Body: Sendable {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }
}
