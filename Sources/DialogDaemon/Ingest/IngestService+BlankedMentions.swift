import DialogCore
import DialogSystem

extension IngestService {
    /// Originals of records in which `forget` blanked another customer's mention, dropped again
    /// (docs/roi.md "Erasure"): the store took them as duplicates, but the file's copy in `cur/`,
    /// a quarantined copy and its rejects would name her again. Their words where the store says
    /// `[forgotten]` are the identity as written: blanked there by `forget`'s own mention scrub.
    /// The log counts, never says the words.
    func blankMentions(_ moved: [IngestBatch.FileResult]) {
        let arrived = moved.reduce(0) { $0 + $1.blankedOriginals }
        guard arrived > 0 else { return }
        let reader = RecordReader(settings: config.parseSettings(now: Clock.wallSeconds()))
        var notes: [String] = [], unsearched = 0
        // Letters compare case-insensitively (`IdentityMentions`): one scrub per identity, not per spelling.
        var identities: [String: String] = [:]
        for result in moved { for word in result.blankedMentions { identities[word.lowercased()] = word } }
        for identity in identities.keys.sorted() {
            guard let mentions = identities[identity].flatMap(IdentityMentions.init) else {
                unsearched += 1
                continue
            }
            let erasure = SpoolErasure(spool: spool, log: log, records: RecordErasure(reader: reader, mentions: mentions, isOwn: { _ in false }))
            var files: [(area: SpoolDirectory.Area, name: String, holds: Bool)] = []
            for result in moved where result.blankedMentions.contains(where: { $0.lowercased() == identity }) {
                if let archived = result.archivedAs { files.append((.cur, archived, false)) }
                guard let placed = result.placedAs else { continue }
                if result.quarantineReason != nil { files.append((.quarantine, placed, false)) }
                files.append((.quarantine, placed + ".rejects.jsonl", false))
            }
            let changes = erasure.plan(files: files)
            // A blanked line without an id has a new content key: dropped again, it is a duplicate.
            do { try store.addKeyAliases(SpoolErasure.keyChanges(changes)) } catch {
                log.error("spool: could not keep the blanked records' keys: \(error)")
            }
            notes += erasure.apply(changes).notes
        }
        log.notice("spool: \(arrived) original(s) of records forget blanked a mention in arrived again, duplicates; "
            + (notes.isEmpty ? "no mention kept in cur/ or quarantine/" : "\(identities.count) mentioned identit(ies) blanked: " + notes.joined(separator: "; "))
            + (unsearched > 0 ? "; \(unsearched) too short to search for, kept" : ""))
    }
}
