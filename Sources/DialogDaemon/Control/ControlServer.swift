#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DialogCore
import DialogSystem

/// The control socket on the daemon's loop: it hands `Daemon.run()` the descriptors to poll
/// and handles what poll reported. One thread, no locks; every client fd is non-blocking.
final class ControlServer {
    private let listener: ListeningSocket
    private let router: RequestRouter
    private unowned let context: any ControlContext
    private let access = AccessPolicy()
    private let backlog = SpoolBacklog()
    private var clients: [Int32: ClientConnection] = [:]
    private var admission = ConnectionAdmission()
    private let reads: StoreReads
    private var refusals = RateLimitedLog(intervalMilliseconds: 10_000)
    private var acceptFailures = RateLimitedLog(intervalMilliseconds: 60_000)
    /// After EMFILE, ENFILE, ENOMEM or ENOBUFS the listener rests until then (doubling back-off):
    /// the pending connection stays queued, and polling it at once would spin (issue 12).
    private var acceptPausedUntil: Int64 = 0
    private var acceptBackoff: Int64 = 0
    /// Deferred commands in flight, with the fd of the client waiting for each.
    private var deferred: [(fd: Int32, work: any DeferredWork)] = []

    init(listener: ListeningSocket, context: any ControlContext) throws(SystemError) {
        self.listener = listener
        self.context = context
        router = RequestRouter(context: context)
        reads = try StoreReads(path: context.store.path)
    }

    var connectionCount: Int { clients.count }

    /// `[socket] idle_timeout_seconds`, read each time so a reload applies it.
    private var idleTimeoutMilliseconds: Int64 { Int64(context.config.socket.idleTimeoutSeconds) * 1000 }

    /// The listening socket (unless accept rests), the store readers' wake pipe, then every
    /// client with the events it is ready for.
    func pollDescriptors(now: Int64) -> [pollfd] {
        var set = [pollfd(fd: listener.fd, events: now >= acceptPausedUntil ? Int16(POLLIN) : 0, revents: 0),
                   pollfd(fd: reads.wakeFD, events: Int16(POLLIN), revents: 0)]
        set.reserveCapacity(clients.count + 2)
        for (fd, client) in clients {
            set.append(pollfd(fd: fd, events: client.pollEvents, revents: 0))
        }
        return set
    }

    /// When the loop must wake for us: when deferred work wants its next step, else the next idle timeout.
    func nextWakeAt(now: Int64) -> Int64? {
        var wake = clients.values.map { $0.lastActivity + idleTimeoutMilliseconds }.min()
        if let poll = deferred.map({ $0.work.pollIntervalMilliseconds }).min() { wake = min(wake ?? Int64.max, now + poll) }
        if acceptPausedUntil > now { wake = min(wake ?? Int64.max, acceptPausedUntil) }
        return wake
    }

    /// Handles the revents of the descriptors `pollDescriptors()` returned, then steps deferred work
    /// and drops finished, failed and idle clients.
    func handle(_ polled: ArraySlice<pollfd>, now: Int64) {
        for entry in polled where entry.revents != 0 {
            if entry.fd == listener.fd {
                acceptPending(now: now)
                continue
            }
            if entry.fd == reads.wakeFD {
                reads.drainWakeups()
                continue
            }
            guard let client = clients[entry.fd] else { continue }
            if entry.revents & Int16(POLLOUT) != 0, !client.flush(now: now) { drop(client, why: "write failed"); continue }
            if entry.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0, !client.closing {
                guard client.readAvailable(now: now) else { drop(client, why: "read failed"); continue }
            }
            // Also after POLLOUT: requests held back while replies were piling up go on now.
            serve(client, now: now)
        }
        stepDeferred(now: now)
        for client in Array(clients.values) {
            if client.isDone {
                drop(client, why: nil)
            } else if !client.awaitingReply, now - client.lastActivity >= idleTimeoutMilliseconds {
                drop(client, why: "idle for \(idleTimeoutMilliseconds / 1000) s")
            }
        }
    }

    /// Closes every client and removes the socket file (on SIGTERM).
    func shutdown() {
        for client in Array(clients.values) { drop(client, why: nil) }
        listener.unlinkIfOwned()
    }

    /// Connections taken per loop turn: a flood that keeps the listen queue full gets the loop
    /// in turns with clients, ingestion and signals, never all of it.
    static let acceptsPerTurn = 64

    private func acceptPending(now: Int64) {
        for _ in 0..<Self.acceptsPerTurn {
            let fd: Int32
            do { fd = try syscall("accept") { accept(listener.fd, nil, nil) } } catch {
                switch error.errno {
                case EAGAIN, EWOULDBLOCK:
                    acceptBackoff = 0
                case ECONNABORTED, EPROTO:
                    continue
                case EMFILE, ENFILE, ENOMEM, ENOBUFS:
                    acceptBackoff = min(max(acceptBackoff * 2, 50), 1000)
                    acceptPausedUntil = now + acceptBackoff
                    acceptFailures.warn(context.log, now: now, "control: \(error); not accepting connections for \(acceptBackoff) ms")
                default:
                    acceptFailures.warn(context.log, now: now, "control: \(error)")
                }
                return
            }
            acceptBackoff = 0
            admit(fd, now: now)
        }
    }

    /// Sets up a new connection: credentials, role, caps. A refused or excess peer gets one
    /// clear error line and is closed at once, before it holds a slot (`ConnectionAdmission`).
    private func admit(_ fd: Int32, now: Int64) {
        let peer: PeerCredentials
        do {
            try setNonBlocking(fd)
            peer = try PeerCredentials.of(fd)
        } catch {
            acceptFailures.warn(context.log, now: now, "control: dropping a connection: \(error)")
            closeDescriptor(fd)
            return
        }
        let role = access.role(of: peer, access: context.config.access, now: now)
        if let refusal = admission.admit(peer, role: role, trusted: access.isTrusted(peer), access: context.config.access) {
            refusals.warn(context.log, now: now, "control: refused uid \(peer.uid) (pid \(peer.pid)): \(refusal.message)")
            refuse(fd, refusal)
            return
        }
        clients[fd] = ClientConnection(fd: fd, peer: peer, role: role, now: now)
        context.log.debug("control: connection from \(peer), role \(role)")
    }

    /// Writes the refusal line and closes. What the peer already sent is read first: closing
    /// with unread input resets the connection, and the peer might lose the line.
    private func refuse(_ fd: Int32, _ error: ControlError) {
        var sink = [UInt8](repeating: 0, count: 4096)
        _ = sink.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        var line = router.failure(error)
        line.append(UInt8(ascii: "\n"))
        _ = line.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
        closeDescriptor(fd)
    }

    /// Answers every complete request line the client has sent, in order. When unsent replies
    /// reach the high-water mark it flushes; if the socket took them it goes on, else POLLOUT
    /// resumes it later — lines already buffered must not wait for input that never comes.
    private func serve(_ client: ClientConnection, now: Int64) {
        requests: while true {
            switch client.nextRequest() {
            case .none:
                guard client.outputFull else { break requests }
                guard client.flush(now: now) else { drop(client, why: "write failed"); return }
                if client.outputFull { break requests }
            case .tooLarge:
                context.log.warning("control: \(client.peer) sent a request line over \(WireCoding.maxRequestBytes) bytes; closing that connection")
                client.send(router.failure(.tooLarge("a request line may hold at most \(WireCoding.maxRequestBytes) bytes")))
                client.close()
                break requests
            case .line(let line):
                let origin = RequestOrigin(peer: client.peer, role: client.role, connections: clients.count, backlog: backlog, reads: PeerReads(reads: reads, uid: client.peer.uid))
                switch router.route(line, origin: origin) {
                case .reply(let reply):
                    client.send(reply)
                case .deferred(let work):
                    client.awaitingReply = true
                    deferred.append((client.fd, work))
                    break requests
                }
            }
        }
        if !client.flush(now: now) { drop(client, why: "write failed") }
    }

    /// One slice of each deferred command; a finished one answers its client (if still there).
    private func stepDeferred(now: Int64) {
        guard !deferred.isEmpty else { return }
        // Serving a client below may defer its next pipelined request: that lands in `deferred`.
        let stepping = deferred
        deferred = []
        var running: [(fd: Int32, work: any DeferredWork)] = []
        for entry in stepping {
            guard let outcome = entry.work.step(context) else {
                running.append(entry)
                continue
            }
            guard let client = clients[entry.fd] else { continue }
            client.awaitingReply = false
            client.send(router.reply(outcome))
            serve(client, now: now)
        }
        deferred = running + deferred
    }

    private func drop(_ client: ClientConnection, why: String?) {
        guard clients.removeValue(forKey: client.fd) != nil else { return }
        if let why { context.log.debug("control: closing connection of \(client.peer): \(why)") }
        admission.release(client.peer, role: client.role)
        // A deferred command keeps running; its reply is discarded.
        for index in deferred.indices where deferred[index].fd == client.fd { deferred[index].fd = -1 }
    }
}
