import DialogCore

/// Who holds a stream place (issue 12, attack 6: one dropper's four large files held all four
/// places; attack 7: two droppers holding two each kept a third's file waiting until one ended).
/// Decided by `StreamShares` only: batches take waiting large files, files met start, and streams
/// park and go on again by it (docs/spool.md "Large streamed files").
extension IngestService {
    /// At most this many of the `maxStreams` places are one dropper's, so another dropper's large
    /// file finds a place free at once. The loop stores one slice at a time whoever's file it is,
    /// so fewer streams side by side cost that dropper no throughput.
    static let maxStreamsPerDropper = maxStreams / 2
    /// The most streams parked at once (each keeps its descriptor and reader). With two places a
    /// dropper only two droppers ever park one each, so the bound holds only past `maxStreams` droppers.
    static let maxParkedStreams = maxStreams
    static let streamLimits = StreamShares<UInt32?>.Limits(places: maxStreams, perDropper: maxStreamsPerDropper, parked: maxParkedStreams)

    /// The places as they are: streams taking turns, parked, and the droppers of the waiting large
    /// files — who has gone longest without a place first (never had one: first of all), then in turn.
    var streamShares: StreamShares<UInt32?> {
        let waiting = largeWaiting.owners.enumerated().sorted { (placesGiven.last[$0.element] ?? 0, $0.offset) < (placesGiven.last[$1.element] ?? 0, $1.offset) }
        return StreamShares(Self.streamLimits, active: streams.map { $0.owner }, parked: parked.map { $0.owner }, waiting: waiting.map(\.element), lastGiven: placesGiven.last)
    }

    /// The stream places dropper `owner`'s waiting large files may take now.
    func streamPlaces(for owner: UInt32?) -> Int { streamShares.places(for: owner) }

    /// Whether the large file `name` is being stored (taking turns or parked).
    func isStreaming(_ name: String) -> Bool {
        streams.contains { $0.name.sameBytes(as: name) } || parked.contains { $0.name.sameBytes(as: name) }
    }

    /// Parks the streams of droppers above their share for droppers below it, and takes parked
    /// ones up again, as `StreamShares.plan` says. Only between two slices: every stream has then
    /// committed what it read and holds no read ahead, so a parked one reads nothing twice.
    /// Returns whether a stream was parked.
    @discardableResult
    func rebalanceStreams() -> Bool {
        guard openStream == nil else { return false }
        let plan = streamShares.plan()
        guard !plan.isEmpty else { return false }
        let resuming = plan.resume.map { parked[$0] }
        let parking = plan.park.map { streams[$0] }
        for index in plan.resume.sorted(by: >) { parked.remove(at: index) }
        for index in plan.park.sorted(by: >) { streams.remove(at: index) }
        for file in parking {
            file.park()
            parked.append(file)
            log.info("spool: parked \(file.name) after \(file.commits) slice(s): its dropper holds more than its share of the stream places while another's large file waits; it goes on from there, nothing is read again")
        }
        for file in resuming {
            streams.append(file)
            placesGiven.gave(file.owner, keeping: streamOwners)
            log.info("spool: storing \(file.name) again from where it was parked")
        }
        return !parking.isEmpty
    }
}

/// When each dropper last got a stream place (a start or a resume), as a sequence number: a place
/// that frees goes to the dropper that has gone longest without one (attack 8, issue 12). Only
/// droppers with large files storing, parked or waiting are kept, so it stays as small as they are.
struct PlacesGiven {
    private(set) var last: [UInt32?: Int] = [:]
    private var sequence = 0

    mutating func gave(_ owner: UInt32?, keeping kept: Set<UInt32?>) {
        sequence += 1
        last[owner] = sequence
        if last.count > 2 * IngestService.maxStreams { last = last.filter { kept.contains($0.key) } }
    }
}

extension IngestService {
    /// The droppers whose place history matters: those with large files storing, parked or waiting.
    var streamOwners: Set<UInt32?> { Set(streams.map { $0.owner } + parked.map { $0.owner } + largeWaiting.owners) }
}
