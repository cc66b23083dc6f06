#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Runs `body` again for as long as it fails with `EINTR` and returns what it returned last,
/// `errno` as the call left it. The one retry loop of the code base: `syscall` builds on it, and
/// the few callers that sort errno themselves (a `read(2)` returning -1) call it directly.
///
/// `@inline(never)` as in swift-nio's System.swift: nothing (ARC traffic included) may run
/// between the call and the read of errno.
@inline(never)
public func retryingInterrupted<T: FixedWidthInteger>(_ body: () -> T) -> T {
    while true {
        let result = body()
        if result == -1, errno == EINTR { continue }
        return result
    }
}

/// Runs a call that returns -1 on failure, retrying `EINTR`, and throws `SystemError` otherwise.
@inline(never)
@discardableResult
public func syscall<T: FixedWidthInteger>(
    _ name: String, _ subject: @autoclosure () -> String? = nil, _ body: () -> T
) throws(SystemError) -> T {
    let result = retryingInterrupted(body)
    if result == -1 {
        let err = errno
        throw SystemError(call: name, errno: err, subject: subject())
    }
    return result
}

/// `poll(2)` on `descriptors`; returns how many are ready. A wait cut short by a signal returns
/// 0, nothing ready, as a timeout does: the caller's loop goes round and reads its signal pipe.
@inline(never)
@discardableResult
public func pollDescriptors(_ descriptors: inout [pollfd], timeoutMilliseconds: Int32) throws(SystemError) -> Int {
    let ready = poll(&descriptors, nfds_t(descriptors.count), timeoutMilliseconds)
    if ready >= 0 { return Int(ready) }
    let err = errno
    if err == EINTR { return 0 }
    throw SystemError(call: "poll", errno: err)
}

/// Closes a descriptor, ignoring errors: after `close` the fd is gone whatever it says (man 2 close).
public func closeDescriptor(_ fd: Int32) {
    if fd >= 0 { _ = Glibc.close(fd) }
}
