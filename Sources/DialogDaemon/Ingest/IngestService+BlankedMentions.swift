import DialogCore
import DialogSystem

extension IngestService {
    /// Originals of records in which `forget` blanked another customer's mention, dropped again
    /// (docs/roi.md "Erasure"): the store took them as duplicates, but the file's copy in `cur/`,
    /// a quarantined copy and its rejects would name her again. Their words where the store says
    /// `[forgotten]` are the identity as written: blanked there by `forget`'s own mention scrub.
    /// So are the addresses and handles of forgotten customers in refused rows and quarantined
    /// files of others (`refusedNaming`). The log counts, never says the words.
    func blankMentions(_ moved: [IngestBatch.FileResult]) {
        let arrived = moved.reduce(0) { $0 + $1.blankedOriginals }
        let refused = refusedNaming(moved)
        guard arrived > 0 || !refused.isEmpty else { return }
        let reader = RecordReader(settings: config.parseSettings(now: Clock.wallSeconds()))
        var notes: [String] = [], unsearched = 0
        let words = moved.indices.map { moved[$0].blankedMentions.union(refused[$0] ?? []) }
        // Letters compare case-insensitively (`IdentityMentions`): one scrub per identity, not per spelling.
        var identities: [String: String] = [:]
        for word in words.joined() { identities[word.lowercased()] = word }
        for identity in identities.keys.sorted() {
            guard let mentions = identities[identity].flatMap(IdentityMentions.init) else {
                unsearched += 1
                continue
            }
            let erasure = SpoolErasure(spool: spool, log: log, records: RecordErasure(reader: reader, mentions: mentions, isOwn: { _ in false }))
            var files: [(area: SpoolDirectory.Area, name: String, holds: Bool)] = []
            for (index, result) in moved.enumerated() where words[index].contains(where: { $0.lowercased() == identity }) {
                if let archived = result.archivedAs { files.append((.cur, archived, false)) }
                guard let placed = result.placedAs else { continue }
                if result.quarantineReason != nil { files += [(.quarantine, placed, false), (.quarantine, placed + ".reason", false)] }
                files.append((.quarantine, placed + ".rejects.jsonl", false))
            }
            let changes = erasure.plan(files: files)
            // A blanked line without an id has a new content key: dropped again, it is a duplicate.
            do { try store.addKeyAliases(SpoolErasure.keyChanges(changes)) } catch {
                log.error("spool: could not keep the blanked records' keys: \(error)")
            }
            notes += erasure.apply(changes).notes
        }
        log.notice("spool: \(arrived) original(s) of records forget blanked a mention in arrived again, duplicates"
            + (refused.isEmpty ? "" : "; \(refused.count) file(s) with refused rows naming a forgotten customer")
            + "; " + (notes.isEmpty ? "no mention kept in cur/ or quarantine/" : "\(identities.count) mentioned identit(ies) blanked: " + notes.joined(separator: "; "))
            + (unsearched > 0 ? "; \(unsearched) too short to search for, kept" : ""))
    }

    /// Quarantined files read whole for the addresses and handles of forgotten customers, at most.
    static let largestSearchedRefused = 4 << 20

    /// The forgotten customers named (an address or a handle, as written) in the refused rows of
    /// each moved file, or in the file when it was refused whole, by index: the store never took
    /// these rows, so no stored `[forgotten]` says where her name was (`ForgottenCustomers.identities(inText:)`).
    private func refusedNaming(_ moved: [IngestBatch.FileResult]) -> [Int: Set<String>] {
        guard let list = try? store.forgottenCustomers(), !list.isEmpty else { return [:] }
        var found: [Int: Set<String>] = [:]
        for (index, result) in moved.enumerated() {
            var texts = result.rejects.map(\.raw)
            if result.quarantineReason != nil, let placed = result.placedAs, result.bytes <= Self.largestSearchedRefused,
               let bytes = spool.contents(placed, in: .quarantine) {
                texts.append(String(decoding: bytes, as: UTF8.self))
            }
            let named = Set(texts.flatMap(list.identities(inText:)))
            if !named.isEmpty { found[index] = named }
        }
        return found
    }
}
