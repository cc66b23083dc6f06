import DialogCore
import DialogSystem
import Foundation

/// The spool side of `forget` (docs/roi.md "Erasure"). Every file in `cur/` the store's records
/// came from, and — given the identity — every file in `cur/` and `quarantine/` that names it,
/// is read record by record (`RecordErasure`): the customer's records go, other customers'
/// records stay with each mention blanked as `[forgotten]`, as in the store. Decided first
/// (`plan`), written after the store kept the blanked records' new keys (`apply`).
struct SpoolErasure {
    let spool: SpoolDirectory
    let log: Logger
    let records: RecordErasure
    /// Byte strings that make a file worth reading for the customer's own records even without
    /// an identity to scan for: the pseudonym or `forget` label given (shipped copies' keys are
    /// found by `RecordErasure.shippedErasure.mayHold`).
    var recordNeedles: [[UInt8]] = []
    /// Where to look: `cur/` and `quarantine/` for `forget`; `cur/` for a site's erasure.
    var areas: [SpoolDirectory.Area] = [.cur, .quarantine]

    /// One file and what happens to it.
    struct Change {
        var area: SpoolDirectory.Area
        var name: String
        var plan: RecordErasure.Plan
        var modified: Date?
        var label: String { (area == .cur ? "cur/" : "quarantine/") + name }
        /// Whether the customer's own records were found in it (removed, or the file went whole).
        var holdsRecords: Bool {
            switch plan {
            case .untouched: false
            case .delete: true
            case .rewrite(_, let counts, _): counts.removed + counts.unsplit > 0
            }
        }
    }

    /// Files deleted (`cur/NAME`, `quarantine/NAME`), files rewritten, and one note per changed
    /// file for the log (what went, what was blanked, why a file went whole).
    struct Outcome {
        var deleted: [String] = []
        var rewritten: [String] = []
        var notes: [String] = []
    }

    /// Files over this size are not read record by record (docs/roi.md "Erasure"): searched
    /// bytewise, and deleted whole when they name the identity or hold the customer's records.
    static let largestSearched = 64 << 20

    /// What to do with every file that may hold the customer; `sources` are the `cur/` files
    /// the store's records of the customer came from.
    /// The store names a file as it was dropped; every copy archived under that name (`NAME.1`,
    /// a shortened `BASE.1`: `SpoolNames.readingName`) is a source too, read whole.
    func plan(sources: [String]) -> [Change] {
        var changes: [Change] = []
        // Names by their bytes: "Müller.conv" from Linux and from a Mac are two files.
        let sourceSet = Set(sources.flatMap { [ExactBytes($0), ExactBytes(SpoolNames.base(for: $0))] })
        var found: Set<ExactBytes> = [], unfound: [(reading: String, change: Change)] = []
        for area in areas {
            for name in (try? spool.names(in: area)) ?? [] {
                let reading = SpoolNames.readingName(of: name)
                let isSource = area == .cur && sourceSet.contains(ExactBytes(reading))
                guard let change = plan(name, in: area, isSource: isSource) else { continue }
                guard change.plan != .untouched else { unfound.append((reading, change)); continue }
                changes.append(change)
                if isSource, change.holdsRecords { found.insert(ExactBytes(reading)) }
            }
        }
        // The store says a record of the customer came from a file of this name and no copy holds
        // it now (the file or the configuration changed since): they go whole rather than stay.
        for (reading, change) in unfound where !found.contains(ExactBytes(reading)) {
            changes.append(Change(area: change.area, name: change.name, plan: .delete(reason: "the customer's stored record was not found in it"), modified: change.modified))
        }
        return changes
    }

    /// What to do with the named files only (files just moved out of `new/`), each read whole;
    /// `holds`: known to hold the customer's records, so one too large to read goes whole, as a
    /// source of `forget` does; any other is left unread then.
    func plan(files: [(area: SpoolDirectory.Area, name: String, holds: Bool)]) -> [Change] {
        files.compactMap { file in spool.exists(file.name, in: file.area) ? plan(file.name, in: file.area, isSource: file.holds, readingAll: true) : nil }
            .filter { $0.plan != .untouched }
    }

    /// All blanked records' key changes, for the store (`ConversationStore.addKeyAliases`).
    static func keyChanges(_ changes: [Change]) -> [RecordErasure.KeyChange] {
        changes.flatMap { change -> [RecordErasure.KeyChange] in
            if case .rewrite(_, _, let keys) = change.plan, change.area == .cur { return keys }
            return []
        }
    }

    private func plan(_ name: String, in area: SpoolDirectory.Area, isSource: Bool, readingAll: Bool = false) -> Change? {
        let path = spool.path(area, name)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
            return isSource ? Change(area: area, name: name, plan: .delete(reason: "unreadable")) : nil
        }
        guard attributes[.type] as? FileAttributeType == .typeRegular else { return nil }
        let modified = attributes[.modificationDate] as? Date
        let size = attributes[.size] as? Int ?? .max
        let mentions = records.mentions
        let label = (area == .cur ? "cur/" : "quarantine/") + name
        if size > Self.largestSearched {
            // Too large to read record by record: never kept silently when it may hold the customer.
            // A pseudonym, a label or a shipped key in it: the customer's records may be there.
            let holdsRecord = (!recordNeedles.isEmpty || !records.shippedErasure.isEmpty) && Self.fileHolds(path, any: recordNeedles, shipped: records.shippedErasure)
            if !isSource, !holdsRecord, let mentions, mentions.prefilter.isEmpty {
                log.warning("forget: \(shown(label)) is over \(Self.largestSearched >> 20) MiB and the identity has no ASCII run to scan for: not searched")
                return nil
            }
            guard isSource || holdsRecord || (mentions.map { Self.fileHolds(path, any: [$0.prefilter]) } ?? false) else { return nil }
            return Change(area: area, name: name, plan: .delete(reason: "over \(Self.largestSearched >> 20) MiB, not read record by record"), modified: modified)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            if isSource { return Change(area: area, name: name, plan: .delete(reason: "unreadable"), modified: modified) }
            if mentions != nil { log.warning("forget: \(shown(label)) could not be read: not searched") }
            return nil
        }
        let bytes = Array(data)
        // A fast byte scan first: most files cannot hold the identity. One that may spell it in
        // a form its reader decodes (a JSON escape, mail) is read (`RecordErasure.mayEncode`), and
        // every rejects file (its `raw` rows are escaped twice: `\\u0040` is an escape in the row).
        // Companions by what lies beside them: a dropped file itself named `x.reason` is a file.
        let isReason = area == .quarantine && QuarantineListing.isReason(name, in: spool)
        let isRejects = area == .quarantine && QuarantineListing.isRejectsFile(name, in: spool)
        if !isSource, !readingAll, !isRejects {
            let named = mentions.map { Self.containsFolded(bytes, $0.prefilter)
                || RecordErasure.mayEncode(bytes[...], format: RecordFormat(fileName: SpoolNames.readingName(of: name)), identity: $0.identity) } ?? false
            guard named || recordNeedles.contains(where: { Self.containsFolded(bytes, $0) }) || records.shippedErasure.mayHold(bytes[...]) else { return nil }
        }
        if isReason {
            // The daemon's own message: it quotes what it found and the file's name (which may be
            // hers: blanked inside a word too); blanked, as the ingest log's reasons.
            guard let mentions else { return nil }
            let original = String(decoding: bytes, as: UTF8.self), scrubbed = mentions.scrubbed(original) ?? original
            guard let text = mentions.scrubbedFileNames(scrubbed) ?? (scrubbed == original ? nil : scrubbed) else { return nil }
            return Change(area: area, name: name, plan: .rewrite(bytes: Array(text.utf8), counts: .init(), keyChanges: []), modified: modified)
        }
        if isRejects, let stem = name.droppingByteSuffix(QuarantineListing.rejectsSuffix) {
            // Refused rows: the customer's go, other customers' rows that mention it stay blanked.
            var kept = "", counts = RecordErasure.Counts()
            let reading = SpoolNames.readingName(of: stem)
            let format = RecordFormat(fileName: reading)
            // Lines split on the scalar, not on Characters (a "\r\n" is one Character).
            let lines = String(decoding: bytes, as: UTF8.self).unicodeScalars.split(separator: "\n").map { String(String.UnicodeScalarView($0)) }
            let rows = wholeRows(of: reading, format: format, lines: Set(lines.compactMap { RecordErasure.cutRowLine(rejectsLine: $0) }))
            for line in lines {
                switch records.decide(rejectsLine: line, format: format, wholeRows: rows) {
                case .keep: kept += line + "\n"
                case .remove: counts.removed += 1
                case .blank(let blanked): kept += blanked + "\n"; counts.blanked += 1
                }
            }
            guard counts.removed + counts.blanked > 0 else { return nil }
            let plan: RecordErasure.Plan = kept.isEmpty ? .delete(reason: "no refused row is left: each was the customer's, or named her where it could not be blanked") : .rewrite(bytes: Array(kept.utf8), counts: counts, keyChanges: [])
            return Change(area: area, name: name, plan: plan, modified: modified)
        }
        let uid = (attributes[.ownerAccountID] as? NSNumber)?.uint32Value ?? 0
        var erasure = RecordErasure(reader: records.reader.forFile(ownedBy: uid), mentions: mentions, isOwn: records.isOwn)
        // A file the store named is read whole when no identity narrows it; others were opened
        // for a needle or a shipped key, and only pieces with one are read.
        erasure.needles = records.needles.map { $0 + recordNeedles } ?? (isSource || readingAll || mentions != nil ? nil : recordNeedles)
        erasure.shippedErasure = records.shippedErasure
        erasure.pseudonyms = records.pseudonyms
        let plan = erasure.plan(bytes, fileName: name)
        // A source untouched is returned: it goes whole unless a copy of its name held the record (`plan(sources:)`).
        return plan == .untouched && !isSource ? nil : Change(area: area, name: name, plan: plan, modified: modified)
    }

    /// The rows starting on `lines` of the file dropped as `reading`, in each of its copies in
    /// `cur/` (read one at a time, only the rows kept): a rejects file keeps a refused row's
    /// first 4 KiB, which may end before her cell (`RecordErasure.decide(rejectsLine:)`).
    private func wholeRows(of reading: String, format: RecordFormat?, lines: Set<Int>) -> (Int) -> [String] {
        guard let format, !lines.isEmpty else { return { _ in [] } }
        let names = ((try? spool.names(in: .cur)) ?? []).filter { SpoolNames.readingName(of: $0).sameBytes(as: reading) }
        let copies = names.compactMap { name -> RowsByLine? in
            guard (spool.size(of: name, in: .cur) ?? .max) <= Self.largestSearched else { return nil }
            return spool.contents(name, in: .cur).map { RowsByLine($0, format: format, lines: lines) }
        }
        return { line in copies.compactMap { $0.rows[line] } }
    }

    /// Writes the decisions: deletions, atomic rewrites (file time kept, for `archive_days`),
    /// then one fsync per directory. Its notes name no file after the customer (`shown`).
    func apply(_ changes: [Change]) -> Outcome {
        var outcome = Outcome()
        var touched = Set<SpoolDirectory.Area>()
        // Deletions first: a quarantined file's `.reason` goes with it and is not rewritten after.
        let ordered = changes.filter { if case .delete = $0.plan { return true } else { return false } }
            + changes.filter { if case .delete = $0.plan { return false } else { return true } }
        // By bytes: "Müller.jsonl" composed and decomposed are two files, each to be erased.
        for change in ordered where !outcome.deleted.contains(where: { $0.sameBytes(as: change.label) }) {
            switch change.plan {
            case .untouched: continue
            case .delete(let reason):
                guard remove(change.name, in: change.area) else { continue }
                outcome.deleted.append(change.label)
                outcome.notes.append("\(shown(change.label)) deleted (\(reason))")
                // A quarantined file's reason goes with it: it names the file and what was wrong with it.
                if change.area == .quarantine, spool.exists(change.name + ".reason", in: .quarantine), remove(change.name + ".reason", in: .quarantine) {
                    outcome.deleted.append(change.label + ".reason")
                }
            case .rewrite(let bytes, let counts, _):
                do throws(SystemError) {
                    try spool.writeAtomically(bytes, name: change.name, in: change.area)
                } catch {
                    log.error("forget: could not rewrite \(shown(change.label)) without the customer (errno \(error.errno))")
                    continue
                }
                if let modified = change.modified {
                    try? FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: spool.path(change.area, change.name))
                }
                outcome.rewritten.append(change.label)
                outcome.notes.append("\(shown(change.label)) rewritten (\(counts.removed) record(s) of the customer removed, "
                    + "\(counts.blanked) other record(s) blanked, \(counts.dropped) piece(s) dropped: a mention not blankable in place)")
            }
            touched.insert(change.area)
        }
        for area in touched.sorted(by: { $0 == .cur && $1 != .cur }) {
            do throws(SystemError) { try spool.sync(area) } catch { log.error("forget: could not sync \(area): \(error)") }
        }
        return outcome
    }

    private func remove(_ name: String, in area: SpoolDirectory.Area) -> Bool {
        do throws(SystemError) {
            try spool.remove(name, in: area)
            return true
        } catch {
            log.error("forget: could not delete \(area) file \(shown(name)) (errno \(error.errno))")
            return false
        }
    }

    /// A file's name as the log may show it: a name after the customer is not repeated (`[forgotten].conv`).
    func shown(_ name: String) -> String {
        records.mentions?.scrubbedFileNames(name) ?? name
    }

    static func containsFolded(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        RecordErasure.containsFolded(bytes[...], needle)
    }

    /// `containsFolded` of any of `needles`, or a line of `shipped` (`ShippedErasure.mayHold`),
    /// over a file read in blocks (a file too large to read whole); blocks overlap by 4 KiB.
    static func fileHolds(_ path: String, any needles: [[UInt8]], shipped: ShippedErasure = ShippedErasure()) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return true }
        defer { try? handle.close() }
        let overlap = max(4096, (needles.map(\.count).max() ?? 0) - 1)
        var carry: [UInt8] = []
        while let block = try? handle.read(upToCount: 4 << 20), !block.isEmpty {
            let bytes = carry + Array(block)
            if needles.contains(where: { containsFolded(bytes, $0) }) || shipped.mayHold(bytes[...]) { return true }
            carry = Array(bytes.suffix(overlap))
        }
        return false
    }
}
