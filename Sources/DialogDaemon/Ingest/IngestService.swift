#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DialogCore
import DialogStore
import DialogSystem

/// Ingestion as one service of the daemon's loop, shaped like `ControlServer`: it hands the loop
/// its descriptors to poll (the inotify watch on `new/`) and when it must wake, handles what poll
/// reported, and does one unit of work per turn — a batch of files, or a step of a large
/// streamed file (`StreamedFileIngest`). Large files take turns with each other and, after each
/// of their committed slices, with a batch of the files waiting, so nobody waits behind one.
/// It owns the queue, the pause, the retries and the counts.
final class IngestService {
    /// The configuration in force; the daemon sets it on reload (paths stay as they were).
    var config: DialogConfig
    var log: Logger
    let spool: SpoolDirectory
    let store: ConversationStore
    let labeler: RecordLabeler
    private let notify: SdNotify
    private let keepAlive: WatchdogKeepAlive
    private let watcher: SpoolWatcher
    private(set) var pending: PendingFiles
    /// Set while a store or spool write fails; no new files are taken until a retry succeeds.
    private(set) var pause = IngestPause()
    /// Files committed to the store whose move out of `new/` failed: finished before new work.
    var unfinished: [IngestBatch.FileResult] = []
    /// The committed batch before, moving its files out of `new/` on a prepare worker while
    /// the loop stores the next one (`IngestService+Finishing`).
    var finishing: Prefetch<FinishedMoves>?
    /// Files a passing shortage (EMFILE, ENOMEM, …) kept in `new/`, retried with back-off.
    private var busy = BusyFiles()
    /// Large streamed files being stored slice by slice, in turn (at most `maxStreams`).
    var streams: [StreamedFileIngest] = []
    /// Large files parked between two slices, open where they were, until their dropper's share has a place (`StreamShares`).
    var parked: [StreamedFileIngest] = []
    var placesGiven = PlacesGiven()  // who got a place last (`IngestService+StreamPlaces`)
    /// The one whose slice's transaction is open: only it may work until that slice commits.
    private(set) var openStream: Int?
    /// Which large file's slice is next, and whether a batch of waiting files goes first.
    private var nextStream = 0
    private var batchTurn = false
    /// How many names the next batch takes at most: `batch_max_files`, or after a batch that
    /// stopped short (its `batch_max_ms`, or the orders its files queued for attribution) twice
    /// what it got through, at least `leastTake`: on a loaded machine a batch no longer takes and
    /// puts back thousands of names.
    private var takeLimit = Int.max
    private static let leastTake = 128
    /// Large files stored side by side; the others a batch met wait in `largeWaiting`.
    static let maxStreams = 4
    /// Large files met while no stream place was free for their dropper, in the order met: a batch takes
    /// them first once one is, so no later batch meets them again and nobody waits behind them (issue 12).
    private(set) var largeWaiting: PendingFiles
    /// Files waiting in `new/`: those no batch has taken yet and large ones waiting for a stream place.
    var waitingCount: Int { pending.count + largeWaiting.count }
    /// A batch has work: files waiting, or a large file waiting whose dropper may take a stream place.
    private var batchDue: Bool { !pending.isEmpty || largeWaiting.hasNames(share: streamPlaces(for:)) }
    private var settleScanAt: Int64?
    /// When to try again to empty the WAL after a large file (a reader held it), and how often it was tried.
    var checkpointRetryAt: Int64?
    var checkpointRetries = 0
    private var nextRescan: Int64 = 0
    private var nextSweep: Int64 = 0
    private(set) var statistics = IngestStatistics()
    /// When the last unit of work ended (monotonic ms), for `LoopShare`'s grace after a flood.
    private(set) var lastWorkEnded: Int64 = 0
    /// `[privacy] customers` with the installation's secret; set by the daemon at start and reload.
    var customers: CustomerIdentity?

    init(config: DialogConfig, log: Logger, spool: SpoolDirectory, store: ConversationStore, labeler: RecordLabeler,
         notify: SdNotify, keepAlive: WatchdogKeepAlive) throws(SystemError) {
        self.config = config
        self.log = log
        self.spool = spool
        self.store = store
        self.labeler = labeler
        self.notify = notify
        self.keepAlive = keepAlive
        watcher = try SpoolWatcher(directory: spool.path(.new))
        // Droppers take turns (docs/spool.md "Intake order"): a file's dropper is the owner of its
        // entry in new/; the same look gives the size its chunk is chosen by.
        let look: (String) -> SpoolDirectory.EntryLook? = { [spool] name in spool.look(at: name, in: .new) }
        pending = PendingFiles(look: look)
        largeWaiting = PendingFiles(look: look)
    }

    /// The start-up scan and sweep. The watch exists before this scan, so nothing arriving now can be missed.
    func start() {
        scan(settling: false)
        sweep()
        let now = Clock.monotonicMilliseconds()
        nextRescan = now + Int64(config.spool.rescanSeconds) * 1000
        nextSweep = now + 3_600_000
    }

    var hasWork: Bool { batchDue || !unfinished.isEmpty || !streams.isEmpty || !parked.isEmpty || store.checkpointDue || finishing != nil }

    /// Whether work may be done now (files wait and no pause holds them back).
    func mayWork(now: Int64) -> Bool { hasWork && now >= pause.until }

    /// A large file's slice is open (a second at most): writes of others wait until it commits (`ControlContext`).
    var holdsOpenTransaction: Bool { openStream != nil }

    /// Ingestion counts as busy for a moment after its last batch: a flood comes in bursts.
    func isFlooding(now: Int64) -> Bool { hasWork || now - lastWorkEnded < LoopShare.graceMilliseconds }

    func pollDescriptors() -> [pollfd] { [pollfd(fd: watcher.fd, events: Int16(POLLIN), revents: 0)] }

    /// When the loop must wake for ingestion: timers, the settle scan, paused or busy retries.
    func nextWakeAt(now: Int64) -> Int64 {
        var wakeAt = min(nextRescan, nextSweep)
        if let settleScanAt { wakeAt = min(wakeAt, settleScanAt) }
        if let checkpointRetryAt { wakeAt = min(wakeAt, checkpointRetryAt) }
        if hasWork { wakeAt = min(wakeAt, max(now, pause.until)) }
        if !busy.isEmpty { wakeAt = min(wakeAt, max(now, busy.retryAt)) }
        return wakeAt
    }

    /// Takes the names inotify reported.
    func handle(_ polled: ArraySlice<pollfd>) {
        guard polled.contains(where: { $0.revents != 0 }) else { return }
        let events = watcher.drain()
        pending.add(contentsOf: events.names)
        if events.overflowed { log.info("spool: inotify queue overflowed; rescanning new/") }
        // A name that is not UTF-8 is taken (as raw bytes) by a scan only: scan now, not in a minute.
        if events.overflowed || events.undecodable { scan(settling: false) }
    }

    /// Scans, sweeps and retries that are due.
    func runTimers(now: Int64) {
        if now >= nextRescan {
            scan(settling: true)
            nextRescan = now + Int64(config.spool.rescanSeconds) * 1000
        }
        if let due = settleScanAt, now >= due {
            settleScanAt = nil
            scan(settling: true)
        }
        if now >= nextSweep {
            sweep()
            nextSweep = now + 3_600_000
        }
        if let due = checkpointRetryAt, now >= due {
            // A large file in progress tries again at its end; a paused store leaves it to SQLite.
            if openStream == nil, !pause.isPaused { checkpointAfterLargeFile() } else { checkpointRetryAt = nil }
        }
        pending.add(contentsOf: busy.takeDue(now: now))
    }

    /// One unit of work: the checkpoint after a large file's slice, else a step of the slice that
    /// is open, else unfinished moves, else — in turn — a batch of waiting files and a slice of
    /// the next large file.
    func work() {
        // Between two slices every stream is at a commit boundary: the places follow the shares,
        // and a place given up goes to the waiting file in a batch next, not after another slice.
        if rebalanceStreams() { batchTurn = true }
        // Only a batch overlaps the move of the one before; every other unit waits for it first
        // (and settling those moves may have been all there was to do).
        let batchNext = batchDue && !store.checkpointDue && openStream == nil && unfinished.isEmpty && (streams.isEmpty || batchTurn)
        if !batchNext {
            completeFinishing()
            guard hasWork else {
                lastWorkEnded = Clock.monotonicMilliseconds()
                return
            }
        }
        if store.checkpointDue {
            checkpointAfterLargeFile()
        } else if let open = openStream {
            stepStream(open)
        } else if !unfinished.isEmpty {
            finishUnfinished()
        } else if !streams.isEmpty, !batchTurn || !batchDue {
            stepStream(nextStream % streams.count)
        } else {
            batchTurn = false
            runBatch()
        }
        lastWorkEnded = Clock.monotonicMilliseconds()
    }

    func enqueue(_ name: String) { pending.add(name) }

    /// Queues what a scan of `new/` listed, in the order the files came (`PendingFiles.add(listed:)`).
    func enqueue(listed names: [String]) { pending.add(listed: names) }

    /// A scan quarantined a file itself (a name that is not UTF-8).
    func countQuarantinedByScan() { statistics.filesQuarantined += 1 }

    /// A scan left a file written in the last second for a follow-up scan at `at`.
    func settleAgain(at: Int64) { settleScanAt = at }

    /// At exit: the large files in progress commit what they read (a parked one has); they stay
    /// in `new/` and the next start goes on with them (what is committed is not counted again).
    func stop() {
        completeFinishing()
        let files = streams + parked
        streams = []
        parked = []
        openStream = nil
        for file in files {
            if let counted = file.stop() {
                statistics.count(counted)
                log.notice("spool: \(file.name) was being stored at exit; what was read is committed, it stays in new/ and the next start goes on with it")
            } else {
                restoreLabeler()
                log.notice("spool: \(file.name) was being stored at exit; its last slice could not be committed, it stays in new/ and the next start goes on with it")
            }
        }
    }

    private func makeBatch() -> IngestBatch {
        IngestBatch(
            spool: spool, store: store, reader: RecordReader(settings: config.parseSettings(now: Clock.wallSeconds())),
            maxFileBytes: config.spool.maxFileBytes, keepArchive: config.spool.archiveDays > 0, log: log, labeler: labeler,
            employeeFigures: config.privacy.employeeFigures, customers: customers, keepAlive: keepAlive
        )
    }

    /// Takes files for one transaction: at most `batch_max_files`, and only as many as fit
    /// in `batch_max_ms`, so a flood commits regularly and an idle drop commits at once.
    private func runBatch() {
        let started = Clock.monotonicMilliseconds()
        // Waiting large files first, as `StreamShares` gives out the free places; then the queue (a large file met starts if its dropper claims a place).
        var shares = streamShares
        let allowances = shares.allowances()
        let waitingNames = largeWaiting.take(max(0, Self.maxStreams - streams.count), share: { allowances[$0] ?? 0 })
        let queued = pending.take(max(1, min(takeLimit, config.spool.batchMaxFiles) - waitingNames.count))
        let names = ArraySlice(waitingNames + queued)
        let batch = makeBatch()
        let deadline = started + Int64(config.spool.batchMaxMilliseconds)
        let results: [IngestBatch.FileResult]
        let stored: IngestBatch.Stored
        do {
            stored = try batch.store(names, now: Clock.wallSeconds(), deadline: deadline) { isStreaming($0.name) || shares.claim($0.file.owner) }
            results = stored.results
            let untaken = names.count - stored.taken
            takeLimit = untaken > 0 ? max(Self.leastTake, 2 * stored.taken) : Int.max
            pending.putBack(min(untaken, queued.count))
            largeWaiting.putBack(untaken - min(untaken, queued.count))
            deferBusy(stored.busy)
            largeWaiting.add(contentsOf: stored.largeWaiting)
            for large in stored.large { startStream(large, batch: batch) }
        } catch {
            completeFinishing()
            pending.putBack(queued.count)
            largeWaiting.putBack(waitingNames.count)
            restoreLabeler()
            paused("store: \(error)", consequence: "batch of \(names.count) file(s) not committed, all stay in new/")
            return
        }
        let committed = Clock.monotonicMilliseconds()
        // A batch that only met a large file committed nothing: the file counts as its own batch.
        let empty = results.isEmpty && (!stored.large.isEmpty || !stored.largeWaiting.isEmpty)
        if !empty { statistics.countCommitted(results, milliseconds: Clock.monotonicMilliseconds() - started) }
        finishAfterCommit(results, of: batch)
        if empty { return }
        // One line per batch at info, so a quiet log still shows that files are taken.
        let (storedRecords, duplicates, rejected) = results.reduce((0, 0, 0)) { ($0.0 + $1.stored, $0.1 + $1.duplicates, $0.2 + $1.rejects.count) }
        let orders = IngestBatch.FileResult.orderCounts(results)
        log.info("batch: \(results.count) file(s), \(storedRecords) record(s) stored, \(duplicates) duplicate(s), \(rejected) rejected\(orders)\(stored.attributed > 0 ? ", \(stored.attributed) order(s) attributed" : ""), in \(Clock.monotonicMilliseconds() - started) ms (commit \(committed - started) ms); \(waitingCount) waiting")
    }

    /// Takes on a large file a batch met, for which its dropper claimed a place (`StreamShares.claim`).
    private func startStream(_ large: IngestBatch.LargeFile, batch: IngestBatch) {
        if let same = (streams + parked).first(where: { $0.name.sameBytes(as: large.name) }) {
            // A scan between two slices queued its name again: that file is in progress. Another
            // file renamed over the name waits for its turn, as it did behind a batch.
            if same.identity != large.file.identity { pending.add(large.name) }
            return
        }
        do {
            let file = try StreamedFileIngest(large, batch: batch, now: Clock.wallSeconds())
            streams.append(file)
            placesGiven.gave(file.owner, keeping: streamOwners)
            let resumed = file.resumes ? " (going on after what an earlier run committed)" : ""
            log.info("spool: storing \(large.name) (\(large.file.size) bytes) in slices that commit in turn with other files\(resumed)")
        } catch {
            pending.add(large.name)
            paused("store: \(error)", consequence: "\(large.name) not started, it stays in new/")
        }
    }

    /// One step of large file `index`; a committed slice hands the next turn to a batch of
    /// waiting files and then to the next large file. When the file ends it is accounted and moved like a batch.
    private func stepStream(_ index: Int) {
        let file = streams[index]
        let outcome: StreamedFileIngest.Step
        do { outcome = try file.step(deadline: Clock.monotonicMilliseconds() + StreamedFileIngest.stepMilliseconds) } catch {
            endStream(index)
            restoreLabeler()
            pending.add(file.name)
            paused("store: \(error)", consequence: "the open slice of \(file.name) not committed (earlier slices are), it stays in new/")
            return
        }
        switch outcome {
        case .more:
            openStream = index
        case .committed(let counted):
            openStream = nil
            nextStream = index + 1
            batchTurn = true
            statistics.count(counted)
        case .busy(let why, let counted):
            endStream(index)
            statistics.count(counted)
            deferBusy([(file.name, why)])
        case .done(let result, let counted):
            endStream(index)
            statistics.count(counted)
            statistics.batches += 1
            statistics.lastBatchFiles = 1
            statistics.lastBatchMilliseconds = Clock.monotonicMilliseconds() - file.startedAt
            statistics.recordsRejected += result.rejectedRecords
            settle(file.batch.finish([result]))
            log.info("batch: 1 large file, \(result.stored) record(s) stored, \(result.duplicates) duplicate(s), \(result.rejects.count) rejected\(IngestBatch.FileResult.orderCounts([result]))\(file.mostAttributedInSlice > 0 ? ", at most \(file.mostAttributedInSlice) order(s) attributed a slice" : ""), in \(Clock.monotonicMilliseconds() - file.startedAt) ms over \(file.commits) slice(s); \(waitingCount) waiting")
        }
    }

    /// Large file `index` is done (or left for later): the next turn is a batch, then the file after it.
    private func endStream(_ index: Int) {
        streams.remove(at: index)
        openStream = nil
        nextStream = index
        batchTurn = true
    }

    /// The model learned records that were rolled back: reload it from the store.
    private func restoreLabeler() {
        do { try labeler.restore(from: store, log: log) } catch { log.error("classifier: cannot reload the model: \(error)") }
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
    func settle(_ finished: IngestBatch.Finished) {
        accountMoved(finished.moved)
        eraseShippedLines(finished.moved.reduce(into: ShippedErasure()) { $0.merge($1.shippedErasure) })
        scrubForgotten(finished.moved)
        blankMentions(finished.moved)
        unfinished += finished.unfinished
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

    /// Files count once they have left `new/`.
    private func accountMoved(_ results: [IngestBatch.FileResult]) {
        statistics.countMoved(results)
        if pending.isEmpty, !results.isEmpty { notify.send("STATUS=\(statusLine())") }
    }
}
