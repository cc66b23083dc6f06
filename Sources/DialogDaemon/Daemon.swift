#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DialogCore
import DialogStore
import DialogSystem

/// The daemon: one thread, one `poll(2)` loop that owns the store. Inotify and signals are
/// descriptors in the poll set; timers are the poll timeout. Idle means blocked in poll.
public final class Daemon {
    private(set) var config: DialogConfig
    private let source: ConfigSource
    private(set) var log: Logger
    let spool: SpoolDirectory
    let store: ConversationStore
    /// The classifier, owned by the loop like the store.
    let labeler: RecordLabeler
    private let notify: SdNotify
    private let keepAlive: WatchdogKeepAlive
    /// The spool's files into the store (`IngestService`), one service of the loop.
    let ingest: IngestService
    private var stopping = false
    /// SIGHUP arrived while a large file's transaction was open: reload once it has ended.
    private var reloadDue = false
    let startedAt = Clock.monotonicMilliseconds()
    /// The control socket (docs/protocol.md), bound or adopted before READY=1; served in `run()`.
    private let controlListener: ListeningSocket
    /// One daemon per spool and per store (`InstanceLock`), held until exit.
    private let locks: [InstanceLock]

    /// Opens spool and store; throws when either cannot be used, before anything is touched.
    public init(config: DialogConfig, source: ConfigSource, log: Logger, environment: [String: String]) throws {
        self.config = config
        self.source = source
        self.log = log
        self.notify = SdNotify(environment: environment)
        self.keepAlive = WatchdogKeepAlive(notify: notify)
        spool = try SpoolDirectory(path: config.spool.dir)
        try SpoolDirectory.makeDirectories(parentOf: config.store.path)
        // Before the store is opened or the socket bound: a second daemon touches nothing.
        let spoolLock = try InstanceLock(path: config.spool.dir + "/" + Self.lockFileName)
        locks = [spoolLock, try InstanceLock(path: config.store.path + ".lock")]
        store = try ConversationStore(path: config.store.path, site: config.site.resolvedID)
        store.recomputesShippedFigures = config.site.shippedFigures == .recomputed
        if store.site != store.homeSite {
            log.warning("site: [site] id is \(store.site), but this store was first opened as \(store.homeSite); new records belong to \(store.site), the stored ones stay \(store.homeSite)'s")
        }
        // ROI engine (issue 3): price with the configured rates; say so when stored figures differ.
        if try store.adopt(Valuation(config.valuation)) { log.warning(Self.staleValuationMessage) }
        if try store.adopt(config.attribution) { log.warning(Self.staleAttributionMessage(store)) }
        labeler = try RecordLabeler(store: store, config: config, log: log)
        pseudonymKey = try store.pseudonymKey()
        ingest = try IngestService(config: config, log: log, spool: spool, store: store, labeler: labeler, notify: notify, keepAlive: keepAlive)
        controlListener = try ListeningSocket.open(path: config.socket.path, mode: config.socket.mode, environment: environment)
        try applyCustomerNames()
    }

    /// The installation's secret for pseudonyms (employees, customers), read once at start.
    let pseudonymKey: String
    /// `[privacy] customers` with the secret: what the store keeps of a customer.
    var customerIdentity: CustomerIdentity { CustomerIdentity(mode: config.privacy.customers, key: pseudonymKey) }

    /// Pseudonymizes customers stored as written when `[privacy] customers` says so (at start
    /// and reload), and hands the ingest service the identity new records go through.
    func applyCustomerNames() throws {
        ingest.customers = customerIdentity
        let rewritten = try store.applyCustomerNames(customerIdentity)
        if rewritten > 0 { log.notice("privacy: \(rewritten) stored customer(s) replaced by their pseudonym ([privacy] customers = pseudonymous)") }
    }

    /// The warning when stored shares are stale, in status's words, naming what changed.
    static func staleAttributionMessage(_ store: ConversationStore) -> String {
        let changes = (try? store.attributionChanges()) ?? []
        let changed = changes.isEmpty ? "" : " (changed: " + changes.joined(separator: ", ") + ")"
        return "attribution: stored order shares were \(AttributionConfig.staleWording)\(changed); run `dialogctl recompute`"
    }

    public var statistics: IngestStatistics { ingest.statistics }

    /// The spool's lock file, in the spool directory itself (writers only use tmp/ and new/).
    static let lockFileName = ".dialogd.lock"

    static let staleValuationMessage = "valuation: stored ROI figures were built with other rates or values than the current config; run `dialogctl recompute`"

    /// Runs until SIGTERM/SIGINT; a finished batch is always moved first, a large file in
    /// progress is rolled back (it stays in `new/`). Returns the exit code.
    public func run() throws -> Int32 {
        let signals = try SignalPipe(signals: [SIGTERM, SIGINT, SIGHUP])
        let control = try ControlServer(listener: controlListener, context: self)
        defer { control.shutdown() }
        ingest.start()
        log.notice("dialogd \(DialogVersion.current) ready: spool \(config.spool.dir), store \(config.store.path), socket \(config.socket.path), \(ingest.waitingCount) file(s) waiting")
        notify.send("READY=1\nSTATUS=\(statusLine())")

        var share = LoopShare()
        while !stopping {
            // A reload writes the store (the valuation): not into a large file's open transaction.
            if reloadDue, !ingest.holdsOpenTransaction {
                reloadDue = false
                ingest.completeFinishing()
                reload()
            }
            let now = Clock.monotonicMilliseconds()
            // WATCHDOG=1 comes from this loop: a hung batch stops the pings and systemd restarts
            // us, which is what the watchdog is for.
            keepAlive.progress()
            var wakeAt = ingest.nextWakeAt(now: now)
            if let due = keepAlive.nextDue { wakeAt = min(wakeAt, due) }
            // While files wait, clients get their share of the loop only (`LoopShare`). A flood
            // comes in bursts, so clients stay on their share for a moment after the last batch.
            let flooding = ingest.isFlooding(now: now)
            let serveControl = share.controlMayRun(backlog: flooding && now >= ingest.pause.until)
            if serveControl, let controlWake = control.nextWakeAt(now: now) { wakeAt = min(wakeAt, controlWake) }
            if !serveControl { wakeAt = min(wakeAt, max(now, ingest.lastWorkEnded + LoopShare.graceMilliseconds)) }
            let timeout = Int32(clamping: max(0, wakeAt - now))
            let ingestDescriptors = ingest.pollDescriptors()
            var pollSet = [pollfd(fd: signals.readFD, events: Int16(POLLIN), revents: 0)] + ingestDescriptors
            let controlStart = pollSet.count
            if serveControl { pollSet += control.pollDescriptors(now: now) }
            try pollDescriptors(&pollSet, timeoutMilliseconds: timeout)
            if pollSet[0].revents != 0 { handle(signals.drain()) }
            ingest.handle(pollSet[1..<controlStart])
            if serveControl {
                // A client sees the spool as the store says: a committed batch's files out of new/.
                if pollSet[controlStart...].contains(where: { $0.revents != 0 }) { ingest.completeFinishing() }
                let served = Clock.monotonicMicroseconds()
                control.handle(pollSet[controlStart...], now: served / 1000)
                share.spentOnControl(Clock.monotonicMicroseconds() - served)
            }
            let after = Clock.monotonicMilliseconds()
            ingest.runTimers(now: after)
            if ingest.mayWork(now: after), !stopping {
                let started = Clock.monotonicMicroseconds()
                ingest.work()
                share.spentOnBatch(Clock.monotonicMicroseconds() - started)
            }
        }
        ingest.stop()
        do { try store.transaction { try labeler.saveIfDue(store, force: true) } } catch {
            log.error("classifier: model snapshot not saved at exit (it is replayed from the records at start): \(error)")
        }
        notify.send("STOPPING=1")
        log.notice("dialogd stopping: \(statusLine())")
        return 0
    }

    private func handle(_ signals: [Int32]) {
        for signal in signals {
            switch signal {
            case SIGTERM, SIGINT:
                stopping = true
            case SIGHUP:
                reloadDue = true
            default:
                break
            }
        }
    }

    /// Re-reads the config; a broken file is refused and the old one stays in force.
    /// Paths (spool, store, socket) need a restart; everything else applies to the next batch.
    /// Returns why a reload was refused, nil when it applied.
    @discardableResult
    func reload() -> String? {
        notify.send("RELOADING=1")
        defer { notify.send("READY=1\nSTATUS=\(statusLine())") }
        let fresh: DialogConfig
        do { fresh = try source.load() } catch {
            log.error("reload refused, old configuration stays in force: \(error)")
            return "\(error)"
        }
        if fresh.spool.dir != config.spool.dir || fresh.store.path != config.store.path || fresh.socket.path != config.socket.path {
            log.warning("reload: spool, store and socket paths change only on restart")
        }
        var applied = fresh
        applied.spool.dir = config.spool.dir
        applied.store.path = config.store.path
        applied.socket.path = config.socket.path
        config = applied
        ingest.config = applied
        labeler.configure(applied, log: log, store: store)
        // [site]: new records carry the new id; shipped copies follow the new switch from now on.
        store.site = applied.site.resolvedID
        store.recomputesShippedFigures = applied.site.shippedFigures == .recomputed
        // ROI engine (issue 3): new records are priced with the new rates at once.
        if (try? store.adopt(Valuation(applied.valuation))) == true { log.warning(Self.staleValuationMessage) }
        if (try? store.adopt(applied.attribution)) == true { log.warning(Self.staleAttributionMessage(store)) }
        log.level = applied.log.level
        ingest.log.level = applied.log.level
        do { try applyCustomerNames() } catch { log.error("privacy: stored customers not pseudonymized (retried at the next reload or start): \(error)") }
        ingest.removeOldTexts()
        log.notice("configuration reloaded")
        return nil
    }

    func statusLine() -> String { ingest.statusLine() }
}
