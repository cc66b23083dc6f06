/// Splits the loop's time between ingestion and control clients while files wait: clients get
/// at most `controlShare` of it, so 50 clients asking flat out cannot starve ingestion (issue 4:
/// ≤ 10 % drop). Clients that are held back simply wait in the kernel's socket buffers; as
/// they wait for replies, they also stop taking CPU of their own. With no backlog, clients
/// are always served.
struct LoopShare {
    /// Largest fraction of busy loop time control clients may take while files wait.
    static let controlShare = 0.05
    /// For this long after a batch the loop still counts as busy (a flood between two bursts).
    static let graceMilliseconds: Int64 = 250
    /// Recent history counts most: both sums decay by this factor after each batch.
    static let decay = 0.8

    private(set) var ingestMicroseconds = 0.0
    private(set) var controlMicroseconds = 0.0

    /// Whether clients may be served now, given whether files are waiting.
    func controlMayRun(backlog: Bool) -> Bool {
        !backlog || controlMicroseconds <= Self.controlShare * (ingestMicroseconds + controlMicroseconds)
    }

    mutating func spentOnControl(_ microseconds: Int64) {
        controlMicroseconds += Double(microseconds)
    }

    mutating func spentOnBatch(_ microseconds: Int64) {
        ingestMicroseconds = (ingestMicroseconds + Double(microseconds)) * Self.decay
        controlMicroseconds *= Self.decay
    }
}
