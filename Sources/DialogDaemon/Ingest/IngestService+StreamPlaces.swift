/// Who may take a stream place (issue 12, attack 6: one dropper's four large files held all four
/// places, and another dropper's streamed file waited until one of them ended, 780 s).
extension IngestService {
    /// At most this many of the `maxStreams` places are one dropper's, so another dropper's large
    /// file finds a place within a turn. The loop stores one slice at a time whoever's file it is,
    /// so fewer streams side by side cost that dropper no throughput (docs/spool.md "Large streamed files").
    static let maxStreamsPerDropper = maxStreams / 2

    /// The stream places dropper `owner` may take now: the free ones, within what is left of its
    /// share. Decided only here: batches take waiting large files, and large files start, by it.
    func streamPlaces(for owner: UInt32?) -> Int {
        let held = streams.count(where: { $0.owner == owner })
        return max(0, min(Self.maxStreams - streams.count, Self.maxStreamsPerDropper - held))
    }
}
