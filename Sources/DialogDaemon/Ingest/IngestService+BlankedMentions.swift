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
        let (refused, unscanned) = refusedNaming(moved)
        guard arrived > 0 || !refused.isEmpty || unscanned > 0 else { return }
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
            + (unscanned > 0 ? "; \(unscanned) file(s) with refused rows not searched to their end (too many pieces of words with an @ to ask; `forget` with the identity reads them)" : "")
            + "; " + (notes.isEmpty ? (unscanned > 0 ? "no mention blanked in what was searched" : "no mention kept in cur/ or quarantine/")
                      : "\(identities.count) mentioned identit(ies) blanked: " + notes.joined(separator: "; "))
            + (unsearched > 0 ? "; \(unsearched) too short to search for, kept" : ""))
    }

    /// The forgotten customers named (an address or a handle, as written) in each moved file
    /// with refused rows, or refused whole, by index; `unsearched`: files whose scan ran out of
    /// its budget. The file's kept copy is read, streamed: every refused row and all of its bytes
    /// (the rejects list keeps 1,000 rows of 4 KiB), each word's pieces that hold its `@` asked
    /// of the list, at most `ForgottenMentionScan.budget` a file (`ForgottenMentionScan`); decoded
    /// as `forget` reads it too (JSON escapes, mail encodings, Windows-1252).
    private func refusedNaming(_ moved: [IngestBatch.FileResult]) -> (found: [Int: Set<String>], unsearched: Int) {
        guard let list = try? store.forgottenCustomers(), !list.isEmpty else { return ([:], 0) }
        var found: [Int: Set<String>] = [:], unsearched = 0
        for (index, result) in moved.enumerated() where !result.rejects.isEmpty || result.quarantineReason != nil {
            let copy: (area: SpoolDirectory.Area, name: String)?
            if result.quarantineReason != nil { copy = result.placedAs.map { (.quarantine, $0) } } else { copy = result.archivedAs.map { (.cur, $0) } }
            var scan = ForgottenMentionScan(list: list, budget: ForgottenMentionScan.budget(forBytes: result.bytes))
            // No copy to read (none kept, gone, unreadable): the rows its rejects file lists.
            if copy.map({ spool.forEachChunk(of: $0.name, in: $0.area) { scan.feed($0) } }) != true {
                for reject in result.rejects { scan.feed(Array(reject.raw.utf8) + [0x0A]) }
            }
            // A mail is read decoded too, as `forget` reads it (encoded words, quoted-printable, base64).
            if let format = RecordFormat(fileName: result.name), format == .eml || format == .mbox,
               let copy, let bytes = spool.contents(copy.name, in: copy.area) {
                scan.feedMail(bytes)
            }
            scan.finish()
            if scan.exhausted { unsearched += 1 }
            if !scan.found.isEmpty { found[index] = scan.found }
        }
        return (found, unsearched)
    }
}
