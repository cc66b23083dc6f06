#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DialogCore
import DialogStore

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
    var pending = PendingFiles()
    private var stopping = false
    /// Set while a store or spool write fails; no new files are taken until a retry succeeds.
    private(set) var pause = IngestPause()
    /// Files committed to the store whose move out of `new/` failed: finished before new work.
    private var unfinished: [IngestBatch.FileResult] = []
    private var settleScanAt: Int64?
    public private(set) var statistics = IngestStatistics()
    let startedAt = Clock.monotonicMilliseconds()
    /// The control socket (docs/protocol.md), bound or adopted before READY=1; served in `run()`.
    private let controlListener: ListeningSocket
    /// Files a passing shortage (EMFILE, ENOMEM, …) kept in `new/`, retried with back-off.
    private var busy = BusyFiles()
    /// The installation's secret for pseudonyms (employees, customers), read once at start.
    let pseudonymKey: String
    /// `[privacy] customers` with the secret: what the store keeps of a customer.
    var customerIdentity: CustomerIdentity { CustomerIdentity(mode: config.privacy.customers, key: pseudonymKey) }
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
        store = try ConversationStore(path: config.store.path)
        // ROI engine (issue 3): price with the configured rates; say so when stored figures differ.
        if try store.adopt(Valuation(config.valuation)) { log.warning(Self.staleValuationMessage) }
        if try store.adopt(config.attribution) { log.warning(Self.staleAttributionMessage) }
        labeler = try RecordLabeler(store: store, config: config, log: log)
        pseudonymKey = try store.pseudonymKey()
        controlListener = try ListeningSocket.open(path: config.socket.path, mode: config.socket.mode, environment: environment)
        try applyCustomerNames()
    }

    /// The spool's lock file, in the spool directory itself (writers only use tmp/ and new/).
    static let lockFileName = ".dialogd.lock"

    /// Pseudonymizes customers stored as written when `[privacy] customers` says so (at start and reload).
    func applyCustomerNames() throws {
        let rewritten = try store.applyCustomerNames(customerIdentity)
        if rewritten > 0 { log.notice("privacy: \(rewritten) stored customer(s) replaced by their pseudonym ([privacy] customers = pseudonymous)") }
    }

    static let staleAttributionMessage = "attribution: stored order shares were made with another [attribution] model or lookback; run `dialogctl recompute`"

    static let staleValuationMessage = "valuation: stored ROI figures were built with other rates or values than the current config; run `dialogctl recompute`"

    /// Runs until SIGTERM/SIGINT; the open batch is always finished first. Returns the exit code.
    public func run() throws -> Int32 {
        let signals = try SignalPipe(signals: [SIGTERM, SIGINT, SIGHUP])
        let watcher = try SpoolWatcher(directory: spool.path(.new))
        let control = try ControlServer(listener: controlListener, context: self)
        defer { control.shutdown() }
        // The watch exists before this scan, so nothing arriving now can be missed.
        scan(settling: false)
        sweep()
        let now = Clock.monotonicMilliseconds()
        var nextRescan = now + Int64(config.spool.rescanSeconds) * 1000
        var nextSweep = now + 3_600_000
        log.notice("dialogd \(DialogVersion.current) ready: spool \(config.spool.dir), store \(config.store.path), socket \(config.socket.path), \(pending.count) file(s) waiting")
        notify.send("READY=1\nSTATUS=\(statusLine())")

        var pollSet = [
            pollfd(fd: signals.readFD, events: Int16(POLLIN), revents: 0),
            pollfd(fd: watcher.fd, events: Int16(POLLIN), revents: 0),
        ]
        let ownDescriptors = pollSet.count
        var share = LoopShare()
        var lastBatchEnded: Int64 = 0
        while !stopping {
            let now = Clock.monotonicMilliseconds()
            // WATCHDOG=1 comes from this loop (and from a long batch while it makes progress):
            // a hung batch stops the pings and systemd restarts us, which is what the watchdog is for.
            keepAlive.progress()
            var wakeAt = min(nextRescan, nextSweep)
            if let due = keepAlive.nextDue { wakeAt = min(wakeAt, due) }
            if let settleScanAt { wakeAt = min(wakeAt, settleScanAt) }
            if hasWork { wakeAt = min(wakeAt, max(now, pause.until)) }
            if !busy.isEmpty { wakeAt = min(wakeAt, max(now, busy.retryAt)) }
            // While files wait, clients get their share of the loop only (`LoopShare`).
            // A flood comes in bursts: new/ empties between a writer's renames. Clients stay on
            // their share for a moment after the last batch, or they would take the CPU the
            // writers need while the flood goes on.
            let flooding = hasWork || now - lastBatchEnded < LoopShare.graceMilliseconds
            let serveControl = share.controlMayRun(backlog: flooding && now >= pause.until)
            if serveControl, let controlWake = control.nextWakeAt(now: now) { wakeAt = min(wakeAt, controlWake) }
            if !serveControl { wakeAt = min(wakeAt, max(now, lastBatchEnded + LoopShare.graceMilliseconds)) }
            let timeout = Int32(clamping: max(0, wakeAt - now))
            pollSet.replaceSubrange(ownDescriptors..., with: serveControl ? control.pollDescriptors(now: now) : [])
            for i in pollSet.indices { pollSet[i].revents = 0 }
            if poll(&pollSet, nfds_t(pollSet.count), timeout) < 0, errno != EINTR {
                throw SystemError(call: "poll", errno: errno)
            }
            if pollSet[0].revents != 0 { handle(signals.drain()) }
            if pollSet[1].revents != 0 {
                let events = watcher.drain()
                pending.add(contentsOf: events.names)
                if events.overflowed { log.info("spool: inotify queue overflowed; rescanning new/") }
                // A name that is not UTF-8 is taken (as raw bytes) by a scan only: scan now, not in a minute.
                if events.overflowed || events.undecodable { scan(settling: false) }
            }
            if serveControl {
                let served = Clock.monotonicMicroseconds()
                control.handle(pollSet[ownDescriptors...], now: served / 1000)
                share.spentOnControl(Clock.monotonicMicroseconds() - served)
            }
            let after = Clock.monotonicMilliseconds()
            if after >= nextRescan {
                scan(settling: true)
                nextRescan = after + Int64(config.spool.rescanSeconds) * 1000
            }
            if let due = settleScanAt, after >= due {
                settleScanAt = nil
                scan(settling: true)
            }
            if after >= nextSweep {
                sweep()
                nextSweep = after + 3_600_000
            }
            pending.add(contentsOf: busy.takeDue(now: after))
            if hasWork, after >= pause.until, !stopping {
                let batchStarted = Clock.monotonicMicroseconds()
                if unfinished.isEmpty { runBatch() } else { finishUnfinished() }
                share.spentOnBatch(Clock.monotonicMicroseconds() - batchStarted)
                lastBatchEnded = Clock.monotonicMilliseconds()
            }
        }
        do { try store.transaction { try labeler.saveIfDue(store, force: true) } } catch {
            log.error("classifier: model snapshot not saved at exit (it is replayed from the records at start): \(error)")
        }
        notify.send("STOPPING=1")
        log.notice("dialogd stopping: \(statusLine())")
        return 0
    }

    private var hasWork: Bool { !pending.isEmpty || !unfinished.isEmpty }

    private func makeBatch() -> IngestBatch {
        IngestBatch(
            spool: spool, store: store, reader: RecordReader(settings: config.parseSettings(now: Clock.wallSeconds())),
            maxFileBytes: config.spool.maxFileBytes, keepArchive: config.spool.archiveDays > 0, log: log, labeler: labeler,
            employeeFigures: config.privacy.employeeFigures, customers: customerIdentity, keepAlive: keepAlive
        )
    }

    /// Takes files for one transaction: at most `batch_max_files`, and only as many as fit
    /// in `batch_max_ms`, so a flood commits regularly and an idle drop commits at once.
    private func runBatch() {
        let started = Clock.monotonicMilliseconds()
        let names = pending.take(config.spool.batchMaxFiles)
        let batch = makeBatch()
        let deadline = started + Int64(config.spool.batchMaxMilliseconds)
        let results: [IngestBatch.FileResult]
        do {
            let stored = try batch.store(names, now: Clock.wallSeconds(), deadline: deadline)
            results = stored.results
            pending.putBack(names.count - stored.taken)
            deferBusy(stored.busy)
        } catch {
            pending.putBack(names.count)
            // The model learned records that were rolled back: reload it from the store.
            do { try labeler.restore(from: store, log: log) } catch { log.error("classifier: cannot reload the model: \(error)") }
            paused("store: \(error)", consequence: "batch of \(names.count) file(s) not committed, all stay in new/")
            return
        }
        let committed = Clock.monotonicMilliseconds()
        accountCommitted(results, started: started)
        settle(batch.finish(results))
        // One line per batch at info, so a quiet log still shows that files are taken.
        let (stored, duplicates, rejected) = results.reduce((0, 0, 0)) { ($0.0 + $1.stored, $0.1 + $1.duplicates, $0.2 + $1.rejects.count) }
        log.info("batch: \(results.count) file(s), \(stored) record(s) stored, \(duplicates) duplicate(s), \(rejected) rejected, in \(Clock.monotonicMilliseconds() - started) ms (commit \(committed - started) ms); \(pending.count) waiting")
    }

    /// Files not read for a passing shortage stay in `new/`: one log line per batch, then a retry.
    private func deferBusy(_ files: [(name: String, why: String)]) {
        guard let first = files.first else {
            busy.recovered()
            return
        }
        busy.add(files.map(\.name), now: Clock.monotonicMilliseconds())
        log.warning("spool: \(files.count) file(s) left in new/ for a retry in \(busy.delayMilliseconds) ms (not their fault); \(first.name) \(first.why)")
    }

    /// Retries the moves that failed after a commit (disk full, read-only spool); their records
    /// are stored already, so they are moved, not read again.
    private func finishUnfinished() {
        let retry = unfinished
        unfinished = []
        log.info("spool: retrying to move \(retry.count) stored file(s) out of new/")
        settle(makeBatch().finish(retry))
    }

    /// Counts what was moved; pauses on a failed write, resumes when everything went through.
    private func settle(_ finished: IngestBatch.Finished) {
        accountMoved(finished.moved)
        unfinished = finished.unfinished
        if let error = finished.error, !unfinished.isEmpty {
            paused("spool: \(error)", consequence: "\(unfinished.count) stored file(s) still in new/, no new files taken")
            return
        }
        if let error = finished.error { statistics.lastError = "spool: \(error)" } else { statistics.lastError = nil }
        resumed()
    }

    private func paused(_ reason: String, consequence: String) {
        pause.failed(reason, now: Clock.monotonicMilliseconds())
        statistics.lastError = reason
        log.error("ingest paused: \(consequence); retrying in \(pause.delayMilliseconds / 1000) s: \(reason)")
        notify.send("STATUS=ingest paused, retrying in \(pause.delayMilliseconds / 1000) s: \(reason)")
    }

    private func resumed() {
        guard let reason = pause.succeeded() else { return }
        log.notice("ingest resumed (was paused: \(reason))")
        notify.send("STATUS=\(statusLine())")
    }

    /// Records count at the commit, when they became durable.
    private func accountCommitted(_ results: [IngestBatch.FileResult], started: Int64) {
        statistics.batches += 1
        statistics.lastBatchFiles = results.count
        statistics.lastBatchMilliseconds = Clock.monotonicMilliseconds() - started
        for result in results {
            statistics.recordsStored += result.stored
            statistics.recordsDuplicate += result.duplicates
            statistics.recordsAmended += result.amended
            statistics.recordsConflicting += result.conflicting
            statistics.recordsRejected += result.rejectedRecords
        }
    }

    /// Files count once they have left `new/`.
    private func accountMoved(_ results: [IngestBatch.FileResult]) {
        for result in results {
            if result.quarantineReason == nil { statistics.filesArchived += 1 } else { statistics.filesQuarantined += 1 }
        }
        if pending.isEmpty, !results.isEmpty { notify.send("STATUS=\(statusLine())") }
    }

    /// Lists `new/` into the queue. A periodic scan leaves files written in the last second
    /// for a follow-up: one written straight into `new/` may still be open (its IN_CLOSE_WRITE
    /// will name it anyway).
    private func scan(settling: Bool) {
        let names: [String]
        do {
            let listing = try spool.listing(in: .new)
            names = listing.names
            for raw in listing.undecodable {
                let target = try spool.quarantineUndecodable(raw, reason: "the file name is not valid UTF-8; name files in UTF-8")
                statistics.filesQuarantined += 1
                log.warning("spool: quarantined a file whose name is not UTF-8 as \(target)")
            }
        } catch {
            log.error("spool: cannot list new/: \(error)")
            return
        }
        let now = Clock.wallSeconds()
        for name in names {
            if settling, spool.modifiedWithin(1, name: name, in: .new, now: now) {
                settleScanAt = Clock.monotonicMilliseconds() + 1100
                continue
            }
            pending.add(name)
        }
    }

    private func sweep() {
        let janitor = SpoolJanitor(tmpMaxAgeHours: config.spool.tmpMaxAgeHours, archiveDays: config.spool.archiveDays)
        let removed = janitor.sweep(spool, now: Clock.wallSeconds(), log: log)
        if removed.tmp + removed.cur > 0 {
            log.info("spool: removed \(removed.tmp) stale file(s) from tmp/ and \(removed.cur) expired original(s) from cur/")
        }
        removeOldTexts()
    }

    /// `[privacy] text_days`: subject and text of older conversations go, the figures stay.
    private func removeOldTexts() {
        guard config.privacy.textDays > 0 else { return }
        let before = Clock.wallSeconds() - Int64(config.privacy.textDays) * 86_400
        do {
            let removed = try store.removeTexts(before: before)
            if removed > 0 { log.notice("privacy: removed subject and text of \(removed) conversation(s) older than \(config.privacy.textDays) days ([privacy] text_days)") }
        } catch {
            log.error("privacy: texts older than \(config.privacy.textDays) days not removed (retried in an hour): \(error)")
        }
    }

    private func handle(_ signals: [Int32]) {
        for signal in signals {
            switch signal {
            case SIGTERM, SIGINT:
                stopping = true
            case SIGHUP:
                reload()
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
        labeler.configure(applied)
        // ROI engine (issue 3): new records are priced with the new rates at once.
        if (try? store.adopt(Valuation(applied.valuation))) == true { log.warning(Self.staleValuationMessage) }
        if (try? store.adopt(applied.attribution)) == true { log.warning(Self.staleAttributionMessage) }
        log.level = applied.log.level
        do { try applyCustomerNames() } catch { log.error("privacy: stored customers not pseudonymized (retried at the next reload or start): \(error)") }
        removeOldTexts()
        log.notice("configuration reloaded")
        return nil
    }

    func statusLine() -> String {
        let s = statistics
        // ROI engine (issue 3): a stale valuation shows in STATUS= until recompute.
        let roi = (try? store.valuationIsStale(current: store.valuation)) == true ? ", ROI figures stale (run recompute)" : ""
        let paused = pause.reason.map { "ingest paused: \($0); " } ?? ""
        // A conflict is a writer's problem that needs a person: it shows until the daemon restarts.
        let conflicts = s.recordsConflicting > 0 ? ", \(s.recordsConflicting) conflicting" : ""
        return paused + "\(s.recordsStored) stored, \(s.recordsDuplicate) duplicate\(conflicts), \(s.filesQuarantined) file(s) quarantined, \(pending.count) waiting" + roi
    }
}
