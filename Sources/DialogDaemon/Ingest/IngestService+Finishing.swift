/// A committed batch's files leave `new/` on a prepare worker (`Prefetch`) while the loop stores the
/// next batch (issue 17): in a flood the renames were half the loop's time, and the kernel takes
/// them one at a time whichever thread asks, so they pay only beside other work. The order
/// stays: the commit is durable before the first rename, every rename before the fsync of its
/// directory, and the loop settles one batch's moves before it moves the next batch's.
extension IngestService {
    /// After `batch` committed: moves its files now, or — when more files wait for the next
    /// batch — on another thread, settled by `completeFinishing` after that batch's commit.
    func finishAfterCommit(_ results: [IngestBatch.FileResult], of batch: IngestBatch) {
        completeFinishing()
        if !unfinished.isEmpty {
            // The batch before could not move its files (the spool refuses writes): these wait
            // with them for the retry, which comes before any new work.
            unfinished += results
        } else if !results.isEmpty, !pending.isEmpty, !pause.isPaused {
            let job = FinishJob(batch: batch, results: results)
            finishing = Prefetch { FinishedMoves(job.batch.finish(job.results)) }
        } else {
            settle(batch.finish(results))
        }
    }

    /// Waits for the moves of the batch before, if any, and counts them (`settle`). Called before
    /// every unit of work but the next batch, and before a scan, a reload, a client or the exit.
    func completeFinishing() {
        guard let moving = finishing else { return }
        finishing = nil
        if let moved = moving.wait() { settle(moved.finished) }
    }
}

/// A committed batch handed to the thread that moves its files. `IngestBatch.finish` touches
/// only the spool's directory descriptors (opened once, never changed) and the logger (one
/// `write(2)` a line), never the store or the model; the results cross threads once each way.
private struct FinishJob: @unchecked Sendable {
    let batch: IngestBatch
    let results: [IngestBatch.FileResult]
}

/// What the moving thread hands back to the loop (see `FinishJob`).
struct FinishedMoves: @unchecked Sendable {
    let finished: IngestBatch.Finished
    init(_ finished: IngestBatch.Finished) { self.finished = finished }
}
