import Testing
@testable import DialogDaemon

/// While files wait, control clients get at most 5 % of the loop; they are never shut out.
@Suite struct LoopShareTests {
    @Test func clientsGetTheirShareAndNoMore() {
        var share = LoopShare()
        #expect(share.controlMayRun(backlog: true), "nothing measured yet")
        share.spentOnControl(10_000)
        #expect(!share.controlMayRun(backlog: true), "10 ms of clients, no ingest yet")
        #expect(share.controlMayRun(backlog: false), "without a backlog clients are always served")
        share.spentOnBatch(100_000)
        #expect(!share.controlMayRun(backlog: true), "8 ms of 88 ms is over 5 %")
        var batches = 0
        while !share.controlMayRun(backlog: true) {
            share.spentOnBatch(100_000)
            batches += 1
        }
        #expect(batches >= 1 && batches <= 5, "served again after a few batches, not never: \(batches)")
        #expect(share.controlMicroseconds <= 0.05 * (share.ingestMicroseconds + share.controlMicroseconds))
    }
}
