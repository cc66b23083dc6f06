#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DialogCore
import DialogSystem

/// One accepted control client: a non-blocking fd with a bounded input buffer (one request
/// line of at most 64 KiB) and an output buffer drained with POLLOUT, so a slow or silent
/// peer only ever costs its own memory, never the loop's time.
final class ClientConnection {
    let fd: Int32
    let peer: PeerCredentials
    let role: Role
    private(set) var lastActivity: Int64
    /// No more requests are read; the connection closes once the output is flushed.
    private(set) var closing = false
    /// The peer shut down its side: answer what is buffered, then close.
    private(set) var inputEnded = false
    /// A deferred command (backup) is running for this client; later lines wait for it.
    var awaitingReply = false
    private var input: [UInt8] = []
    private var output: [UInt8] = []
    private var outputOffset = 0

    /// Requests stop being read while this much output is unsent (backpressure).
    static let outputHighWater = 256 * 1024
    static let readChunk = 64 * 1024

    init(fd: Int32, peer: PeerCredentials, role: Role, now: Int64) {
        self.fd = fd
        self.peer = peer
        self.role = role
        lastActivity = now
    }

    deinit { closeDescriptor(fd) }

    var hasOutput: Bool { outputOffset < output.count }
    /// Whether unsent replies have reached the high-water mark: serve no more requests until they drain.
    var outputFull: Bool { output.count - outputOffset >= Self.outputHighWater }
    /// Whether the connection is finished and may be dropped.
    var isDone: Bool { (closing || inputEnded && !awaitingReply && nextLineRange() == nil) && !hasOutput }

    var pollEvents: Int16 {
        var events: Int16 = 0
        // Input is read only while little is buffered, so a pipelining client's backlog stays bounded.
        if !closing, !inputEnded, !awaitingReply, !outputFull, input.count <= WireCoding.maxRequestBytes { events |= Int16(POLLIN) }
        if hasOutput { events |= Int16(POLLOUT) }
        return events
    }

    /// Reads what the socket has (one chunk). False when the connection failed and must go.
    func readAvailable(now: Int64) -> Bool {
        var chunk = [UInt8](repeating: 0, count: Self.readChunk)
        do {
            let n = try chunk.withUnsafeMutableBytes { (buffer) throws(SystemError) in
                try syscall("recv") { recv(fd, buffer.baseAddress, buffer.count, 0) }
            }
            if n == 0 {
                inputEnded = true
            } else {
                input.append(contentsOf: chunk[0..<n])
                lastActivity = now
            }
            return true
        } catch {
            return Self.wouldBlock(error)
        }
    }

    enum NextRequest {
        case line([UInt8])
        case tooLarge
        case none
    }

    /// The next complete request line, without its newline (and a trailing CR). At end of input
    /// a last unterminated line counts too. A line longer than the limit ends the connection.
    func nextRequest() -> NextRequest {
        guard !closing, !awaitingReply, !outputFull else { return .none }
        if let range = nextLineRange() {
            var line = Array(input[range])
            input.removeSubrange(0..<min(input.count, range.upperBound + 1))
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            if line.count > WireCoding.maxRequestBytes { return .tooLarge }
            return .line(line)
        }
        if input.count > WireCoding.maxRequestBytes { return .tooLarge }
        return .none
    }

    private func nextLineRange() -> Range<Int>? {
        if let newline = input.firstIndex(of: UInt8(ascii: "\n")) { return 0..<newline }
        if inputEnded, !input.isEmpty, !input.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) {
            return 0..<input.count
        }
        return nil
    }

    private static func wouldBlock(_ error: any Error) -> Bool {
        guard let error = error as? SystemError else { return false }
        return error.errno == EAGAIN || error.errno == EWOULDBLOCK
    }

    /// Queues one reply line.
    func send(_ line: [UInt8]) {
        output.append(contentsOf: line)
        output.append(UInt8(ascii: "\n"))
    }

    /// Stops reading; what is queued still goes out.
    func close(afterFlush: Bool = true) {
        closing = true
        input.removeAll()
        if !afterFlush { output.removeAll(); outputOffset = 0 }
    }

    /// Writes as much as the socket takes. False when the peer is gone.
    func flush(now: Int64) -> Bool {
        while hasOutput {
            do {
                let n = try output.withUnsafeBytes { (buffer) throws(SystemError) in
                    try syscall("send") { Glibc.send(fd, buffer.baseAddress! + outputOffset, buffer.count - outputOffset, Int32(MSG_NOSIGNAL)) }
                }
                outputOffset += n
                lastActivity = now
            } catch {
                return Self.wouldBlock(error)
            }
        }
        output.removeAll(keepingCapacity: output.capacity <= Self.outputHighWater)
        outputOffset = 0
        return true
    }
}
