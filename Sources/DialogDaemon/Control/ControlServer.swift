#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DialogCore

/// The control socket on the daemon's loop: it hands `Daemon.run()` the descriptors to poll
/// and handles what poll reported. One thread, no locks; every client fd is non-blocking.
final class ControlServer {
    static let maxConnections = 256
    static let maxConnectionsPerUID = 32

    private let listener: ListeningSocket
    private let router: RequestRouter
    private unowned let context: any ControlContext
    private let access = AccessPolicy()
    private let backlog = SpoolBacklog()
    private var clients: [Int32: ClientConnection] = [:]
    private var connectionsPerUID: [UInt32: Int] = [:]
    /// Deferred commands in flight, with the fd of the client waiting for each.
    private var deferred: [(fd: Int32, work: any DeferredWork)] = []

    init(listener: ListeningSocket, context: any ControlContext) {
        self.listener = listener
        self.context = context
        router = RequestRouter(context: context)
    }

    var connectionCount: Int { clients.count }

    /// `[socket] idle_timeout_seconds`, read each time so a reload applies it.
    private var idleTimeoutMilliseconds: Int64 { Int64(context.config.socket.idleTimeoutSeconds) * 1000 }

    /// The listening socket first, then every client with the events it is ready for.
    func pollDescriptors() -> [pollfd] {
        var set = [pollfd(fd: listener.fd, events: Int16(POLLIN), revents: 0)]
        set.reserveCapacity(clients.count + 1)
        for (fd, client) in clients {
            set.append(pollfd(fd: fd, events: client.pollEvents, revents: 0))
        }
        return set
    }

    /// When the loop must wake for us: when deferred work wants its next step, else the next idle timeout.
    func nextWakeAt(now: Int64) -> Int64? {
        if let poll = deferred.map({ $0.work.pollIntervalMilliseconds }).min() { return now + poll }
        return clients.values.map { $0.lastActivity + idleTimeoutMilliseconds }.min()
    }

    /// Handles the revents of the descriptors `pollDescriptors()` returned, then steps deferred work
    /// and drops finished, failed and idle clients.
    func handle(_ polled: ArraySlice<pollfd>, now: Int64) {
        for entry in polled where entry.revents != 0 {
            if entry.fd == listener.fd {
                acceptPending(now: now)
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

    private func acceptPending(now: Int64) {
        while true {
            let fd: Int32
            do { fd = try syscall("accept") { accept(listener.fd, nil, nil) } } catch {
                if error.errno != EAGAIN, error.errno != EWOULDBLOCK {
                    context.log.warning("control: \(error)")
                }
                return
            }
            admit(fd, now: now)
        }
    }

    /// Sets up a new connection: credentials, role, caps. A refused or excess peer still gets
    /// one clear error line before the connection closes.
    private func admit(_ fd: Int32, now: Int64) {
        let peer: PeerCredentials
        do {
            try setNonBlocking(fd)
            peer = try PeerCredentials.of(fd)
        } catch {
            context.log.warning("control: dropping a connection: \(error)")
            closeDescriptor(fd)
            return
        }
        let role = access.role(of: peer, access: context.config.access, now: now)
        let client = ClientConnection(fd: fd, peer: peer, role: role, now: now)
        clients[fd] = client
        connectionsPerUID[peer.uid, default: 0] += 1
        if role == .none {
            context.log.warning("control: refused uid \(peer.uid) (pid \(peer.pid)): not root, not dialogd's user, not in group \(context.config.access.adminGroup) or \(context.config.access.queryGroup)")
        } else if clients.count > Self.maxConnections {
            refuse(client, ControlError.busy("dialogd serves at most \(Self.maxConnections) connections at once; try again"), now: now)
        } else if !access.isTrusted(peer), connectionsPerUID[peer.uid, default: 0] > Self.maxConnectionsPerUID {
            refuse(client, ControlError.busy("uid \(peer.uid) already has \(Self.maxConnectionsPerUID) connections open"), now: now)
        } else {
            context.log.debug("control: connection from \(peer), role \(role)")
        }
    }

    private func refuse(_ client: ClientConnection, _ error: ControlError, now: Int64) {
        context.log.warning("control: refused \(client.peer): \(error.message)")
        client.send(router.failure(error))
        client.close()
        _ = client.flush(now: now)
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
                let origin = RequestOrigin(peer: client.peer, role: client.role, connections: clients.count, backlog: backlog)
                switch router.route(line, origin: origin) {
                case .reply(let reply):
                    client.send(reply)
                    if client.role == .none { client.close() }
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
        var running: [(fd: Int32, work: any DeferredWork)] = []
        for entry in deferred {
            guard let outcome = entry.work.step(context) else {
                running.append(entry)
                continue
            }
            guard let client = clients[entry.fd] else { continue }
            client.awaitingReply = false
            client.send(router.reply(outcome))
            serve(client, now: now)
        }
        deferred = running
    }

    private func drop(_ client: ClientConnection, why: String?) {
        guard clients.removeValue(forKey: client.fd) != nil else { return }
        if let why { context.log.debug("control: closing connection of \(client.peer): \(why)") }
        let remaining = connectionsPerUID[client.peer.uid, default: 1] - 1
        connectionsPerUID[client.peer.uid] = remaining > 0 ? remaining : nil
        // A deferred command keeps running; its reply is discarded.
        for index in deferred.indices where deferred[index].fd == client.fd { deferred[index].fd = -1 }
    }
}
