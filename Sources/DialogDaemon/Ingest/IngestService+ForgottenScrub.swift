import DialogCore
import DialogSystem

extension IngestService {
    /// A file that held records of a customer `forget` erased (docs/roi.md "Erasure": the
    /// suppression list) is in `cur/` or `quarantine/` now: her lines leave it, its rejects and
    /// a quarantined copy, read record by record as `forget` reads them (other records stay).
    /// The store never took her identity or texts (`IngestBatch.insertErased`); without this
    /// the file's copy would keep them until `forget` ran again.
    func scrubForgotten(_ moved: [IngestBatch.FileResult]) {
        guard let list = try? store.forgottenCustomers(), !list.isEmpty else { return }
        let reader = RecordReader(settings: config.parseSettings(now: Clock.wallSeconds()))
        let records = RecordErasure(reader: reader, mentions: nil, isOwn: { list.holds(written: $0) })
        var files: [(area: SpoolDirectory.Area, name: String, holds: Bool)] = []
        for result in moved {
            // A quarantined file is read whatever it held (its records were refused before the store
            // saw them); one too large to read goes whole only when her records were seen in it.
            if result.quarantineReason != nil, let placed = result.placedAs {
                files.append((.quarantine, placed, result.forgottenRecords > 0))
                continue
            }
            let holds = result.forgottenRecords > 0 || result.rejects.contains(where: { records.isOwn(refusedRow: $0.raw, format: RecordFormat(fileName: result.name)) })
            // The rejects list keeps 1,000 rows of 4 KiB: past that, the copy is read for her refused rows too.
            let unlisted = result.rejects.omitted > 0 || result.rejects.contains { $0.raw.utf8.count > RejectList.rawLimit }
            guard holds || unlisted else { continue }
            if let archived = result.archivedAs { files.append((.cur, archived, holds)) }
            if let placed = result.placedAs { files.append((.quarantine, placed + ".rejects.jsonl", holds)) }
        }
        guard !files.isEmpty else { return }
        let erasure = SpoolErasure(spool: spool, log: log, records: records)
        let outcome = erasure.apply(erasure.plan(files: files))
        let arrived = moved.reduce(0) { $0 + $1.forgottenRecords }
        guard arrived > 0 || !outcome.notes.isEmpty else { return }
        log.notice("spool: \(arrived) record(s) of customers forget erased arrived again, stored as erased or duplicates; "
            + (outcome.notes.isEmpty ? "no line of theirs kept in cur/ or quarantine/" : "their lines left the spool: " + outcome.notes.joined(separator: "; ")))
    }
}
