import DialogSystem
import Foundation
import Synchronization
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Whole reads and writes on real pipes and sockets, with a slow reader and signals arriving.
@Suite("Descriptor I/O")
struct DescriptorIOTests {
    @Test("writeAll delivers every byte in order through a pipe whose reader is slow, while signals cut the writes short")
    func writeAllThroughSlowPipe() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let (readEnd, writeEnd) = (ends[0], ends[1])
        defer { closeDescriptor(readEnd) }
        // The pipe starts full, and the reader starts late: the first write blocks before it has
        // written a byte, so a signal there is EINTR (later ones mostly cut writes short).
        let full = fillPipe(writeEnd)
        let payload = (0..<1_048_576).map { UInt8(truncatingIfNeeded: $0 % 251) }
        let reader = SlowReader(fd: readEnd, startAfterMicroseconds: 50_000)
        let before = Interrupter.delivered
        let failure: SystemError? = onOwnThread {
            let interrupter = Interrupter(everyMicroseconds: 300)
            defer { interrupter.stop() }
            do throws(SystemError) { try writeAll(writeEnd, payload, subject: "pipe") } catch { return error }
            return nil
        }
        closeDescriptor(writeEnd)
        #expect(failure == nil, "\(String(describing: failure))")
        // Compared as a Bool: a failed == on two megabytes would have the test library diff them.
        let received = reader.finish(), expected = full + payload
        let firstDifference = zip(received, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(received.count, expected.count)
        let same = received == expected
        #expect(same, "\(received.count) of \(expected.count) bytes arrived; the first difference is at byte \(firstDifference)")
        #expect(Interrupter.delivered > before, "signals reached the writer while it wrote")
    }

    @Test("sendAll to a peer that went away is an EPIPE error naming the call, not a SIGPIPE")
    func sendAllToClosedPeer() throws {
        var pair: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
        closeDescriptor(pair[1])
        defer { closeDescriptor(pair[0]) }
        #expect(throws: SystemError(call: "send", errno: EPIPE, subject: "peer")) {
            try sendAll(pair[0], Array("hello\n".utf8), subject: "peer")
        }
    }

    @Test("readAll reads a pipe to its end across many small writes, or stops at its limit")
    func readAllToEndAndLimit() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let (readEnd, writeEnd) = (ends[0], ends[1])
        let writer = Thread {
            for i in 0..<200 {
                _ = try? writeAll(writeEnd, [UInt8](repeating: UInt8(i), count: 1000), subject: nil)
            }
            closeDescriptor(writeEnd)
        }
        writer.start()
        let bytes = try readAll(readEnd, subject: "pipe")
        closeDescriptor(readEnd)
        #expect(bytes.count == 200_000)
        #expect(bytes[0] == 0 && bytes[199_999] == 199)

        #expect(pipe(&ends) == 0)
        try writeAll(ends[1], [UInt8](repeating: 7, count: 5000), subject: nil)
        #expect(try readAll(ends[0], subject: nil, limit: 1234).count == 1234)
        closeDescriptor(ends[0])
        closeDescriptor(ends[1])
    }

    @Test("a read on a closed descriptor fails with errno, call and subject")
    func readErrorCarriesCallAndSubject() {
        var buffer = [UInt8](repeating: 0, count: 16)
        let outcome = buffer.withUnsafeMutableBytes { raw in
            Result { () throws(SystemError) in try readSome(-1, into: raw, subject: "nowhere") }
        }
        guard case .failure(let error) = outcome else {
            Issue.record("reading fd -1 succeeded")
            return
        }
        #expect(error == SystemError(call: "read", errno: EBADF, subject: "nowhere"))
        #expect(error.description == "read(nowhere): Bad file descriptor (errno 9)")
    }

    @Test("a poll cut short by a signal reports nothing ready at once, as a timeout does")
    func pollInterrupted() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { closeDescriptor(ends[0]); closeDescriptor(ends[1]) }
        let readEnd = ends[0]
        let (ready, milliseconds): (Int, Int64) = onOwnThread {
            let interrupter = Interrupter(everyMicroseconds: 50_000)
            defer { interrupter.stop() }
            var set = [pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)]
            let start = Clock.monotonicMilliseconds()
            let ready = (try? pollDescriptors(&set, timeoutMilliseconds: 5000)) ?? -1
            return (ready, Clock.monotonicMilliseconds() - start)
        }
        #expect(ready == 0)
        #expect(milliseconds < 4000, "poll returned after \(milliseconds) ms, not at the first signal")
    }

    @Test("the clock: monotonic never goes back, the wall clock is the system's")
    func clock() {
        let first = Clock.monotonicMicroseconds()
        let second = Clock.monotonicMicroseconds()
        #expect(second >= first)
        #expect(abs(Clock.wallSeconds() - Int64(time(nil))) <= 1)
        #expect(abs(Clock.monotonicMilliseconds() - Clock.monotonicMicroseconds() / 1000) <= 1)
    }
}

/// Reads a pipe 4 KiB at a time with a pause between reads, on a thread of its own.
final class SlowReader: Sendable {
    private let collected = Mutex<[UInt8]>([])
    private let done = DispatchSemaphore(value: 0)

    init(fd: Int32, startAfterMicroseconds delay: UInt32) {
        let thread = Thread { [self] in
            usleep(delay)
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = chunk.withUnsafeMutableBytes { raw in (try? readSome(fd, into: raw, subject: nil)) ?? 0 }
                if n == 0 { break }
                collected.withLock { $0.append(contentsOf: chunk[..<n]) }
                usleep(200)
            }
            done.signal()
        }
        thread.start()
    }

    /// Waits for the end of the pipe and returns everything read.
    func finish() -> [UInt8] {
        done.wait()
        return collected.withLock { $0 }
    }
}

/// Writes into the pipe until it holds all it can; returns what went in.
func fillPipe(_ fd: Int32) -> [UInt8] {
    let flags = fcntl(fd, F_GETFL)
    _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
    defer { _ = fcntl(fd, F_SETFL, flags) }
    var written: [UInt8] = []
    let block = [UInt8](repeating: 0xEE, count: 4096)
    while true {
        let n = block.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        if n <= 0 { return written }
        written.append(contentsOf: block[..<n])
    }
}
