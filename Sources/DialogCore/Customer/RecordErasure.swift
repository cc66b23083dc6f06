/// What `forget` does to one spool file (docs/roi.md "Erasure"), decided record by record
/// with the real readers, not by grepping lines: a record whose customer is the forgotten one
/// goes; another customer's record that only mentions the identity stays, each whole-word
/// mention blanked as the store blanks it (`IdentityMentions`).
public struct RecordErasure {
    /// The file after the decision.
    public enum Plan: Equatable, Sendable {
        /// Holds neither the customer's records nor a mention.
        case untouched
        /// Goes whole: `reason` says why (every record was the customer's, or it could not be read).
        case delete(reason: String)
        /// Rewritten to `bytes`: other customers' records stay, mentions blanked.
        case rewrite(bytes: [UInt8], counts: Counts, keyChanges: [KeyChange])
    }

    /// Records of one file: the customer's removed, others' blanked, and pieces dropped because a
    /// mention could not be blanked in place (unreadable, escaped, or in a field the store keeps).
    public struct Counts: Equatable, Sendable {
        public var removed = 0
        public var blanked = 0
        public var dropped = 0
        /// Other customers' records that went with the customer's: a `.json` array or an
        /// `.mbox` is one piece, not split.
        public var unsplit = 0
        public init() {}

        /// What a piece judged line by line (`.lines`) did, added to its file's.
        static func += (counts: inout Counts, inner: Counts) {
            counts.removed += inner.removed
            counts.unsplit += inner.unsplit
            counts.blanked += inner.blanked
            counts.dropped += inner.dropped
        }
    }

    /// A blanked record's key before and after: the store re-keys its record, so the rewritten
    /// original dropped again is a duplicate (`order`: an order's key, else a conversation's).
    public struct KeyChange: Equatable, Sendable {
        public var old: String
        public var new: String
        public var order: Bool
        public init(old: String, new: String, order: Bool) {
            self.old = old
            self.new = new
            self.order = order
        }
    }

    public let reader: RecordReader
    /// Whether a record's customer field, as written, is the forgotten customer.
    public let isOwn: @Sendable (String) -> Bool
    /// Nil when only the pseudonym was given: nothing to blank, only own records go.
    public let mentions: IdentityMentions?
    /// Shipped lines that go whatever customer they name (a central's copies of a record a
    /// site or the central erased: found by site and key, not by the customer's pseudonym).
    public var shippedErasure = ShippedErasure()

    /// Byte strings (ASCII letters folded) one of which every piece that may be the customer's or
    /// mention the identity holds: the identity's ASCII run and the customer's pseudonyms; a
    /// piece with none is kept unread (a large export is not parsed row by row). Nil: read all.
    public var needles: [[UInt8]]?

    /// The customer's pseudonyms and `forget` labels given: a piece with no cells to read
    /// (`LooseJSONLine`) that holds one in its bytes is the customer's.
    public var pseudonyms: [String] = []

    public init(reader: RecordReader, mentions: IdentityMentions?, isOwn: @escaping @Sendable (String) -> Bool) {
        self.reader = reader
        self.mentions = mentions
        self.isOwn = isOwn
    }

    /// The needles for the customer given as `forms`: nil (read every piece) without an identity
    /// that has an ASCII run to scan for, since a record may then name the customer unrecognisably.
    public static func needles(mentions: IdentityMentions?, forms: [String]) -> [[UInt8]]? {
        guard let mentions, !mentions.prefilter.isEmpty else { return nil }
        return [mentions.prefilter] + forms.filter(CustomerIdentity.isPseudonym).map { Array($0.utf8) }
    }

    /// Whether a piece of a `format` file may spell the identity in a form its reader decodes and
    /// a byte scan misses: a JSON escape that can stand for one of its scalars (`\u0040`; `\"`,
    /// `\\`, `\/` when it holds that byte; the others stand for control characters), any mail
    /// (quoted-printable `=40`, RFC 2047 words, base64). Such a piece is read, never skipped.
    /// Windows-1252, NFD letters and a handle's case keep the identity's ASCII run as bytes.
    public static func mayEncode(_ bytes: ArraySlice<UInt8>, format: RecordFormat?, identity: String) -> Bool {
        switch format {
        case .json?, .jsonl?:
            let backslash = UInt8(ascii: "\\")
            var i = bytes.startIndex
            while let at = bytes[i...].firstIndex(of: backslash), at + 1 < bytes.endIndex {
                let next = bytes[at + 1]
                if next == UInt8(ascii: "u") || ([UInt8(ascii: "\""), backslash, UInt8(ascii: "/")].contains(next) && identity.utf8.contains(next)) { return true }
                i = at + 2
            }
            return false
        case .eml?, .mbox?: return true
        case .csv?, .conv?, nil: return false
        }
    }

    /// Whether `bytes` hold `needle`, ASCII letters compared case-insensitively.
    public static func containsFolded(_ bytes: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        func fold(_ b: UInt8) -> UInt8 { (0x41...0x5A).contains(b) ? b | 0x20 : b }
        let needle = needle.map(fold)
        guard let first = needle.first else { return true }
        guard bytes.count >= needle.count else { return false }
        var i = bytes.startIndex
        while i + needle.count <= bytes.endIndex {
            if fold(bytes[i]) == first {
                var j = 1
                while j < needle.count, fold(bytes[i + j]) == needle[j] { j += 1 }
                if j == needle.count { return true }
            }
            i += 1
        }
        return false
    }

    /// The forgotten customer given as `forms` (`CustomerIdentity.storedForms`): a written
    /// customer is theirs when its normalised form or its pseudonym under `key` is one of them.
    public static func owner(forms: [String], key: String) -> @Sendable (String) -> Bool {
        let forms = Set(forms)
        return { written in
            guard let normalised = CustomerIdentity.normalised(written) else { return false }
            if forms.contains(normalised) || forms.contains(CustomerIdentity.pseudonym(normalised, key: key)) { return true }
            guard let legacy = CustomerIdentity.normalised(written, foldingHandleCase: false), legacy != normalised else { return false }
            return forms.contains(legacy) || forms.contains(CustomerIdentity.pseudonym(legacy, key: key))
        }
    }

    /// `fileName` as it is in `cur/` or `quarantine/`: a copy archived as `a.jsonl.1` is read as
    /// the `a.jsonl` it was dropped as (`SpoolNames.readingName`), exactly as that one is.
    public func plan(_ bytes: [UInt8], fileName stored: String) -> Plan {
        let fileName = SpoolNames.readingName(of: stored)
        let plan = recordPlan(bytes, fileName: fileName)
        guard let mentions, let format = RecordFormat(fileName: fileName), format == .eml || format == .mbox else { return plan }
        // Mail is judged on all it carries, decoded, after the in-place blanking: a mention left
        // in a header, a part, an attachment or its name deletes the file whole.
        switch plan {
        case .delete: return plan
        case .untouched:
            return MailMentions.names(mentions, in: bytes) ? .delete(reason: "the mail names the identity in a header, part or attachment not blankable in place") : plan
        case .rewrite(let after, _, _):
            return MailMentions.names(mentions, in: after) ? .delete(reason: "the mail names the identity in a header, part or attachment not blankable in place") : plan
        }
    }

    private func recordPlan(_ bytes: [UInt8], fileName: String) -> Plan {
        guard let format = RecordFormat(fileName: fileName) else {
            return mentionedAnywhere(bytes) ? .delete(reason: "not a record file; it names the identity") : .untouched
        }
        let file = RecordSegments(bytes, format: format)
        var kept: [[UInt8]] = [], counts = Counts(), keyChanges: [KeyChange] = []
        // A head (a CSV header) that holds one: every piece is read (its columns name the identity).
        let needles = needles.flatMap { list in list.contains(where: { Self.containsFolded(file.head[...], $0) }) ? nil : list }
        for segment in file.segments {
            if let needles, !needles.contains(where: { Self.containsFolded(segment, $0) }), !shippedErasure.mayHold(segment),
               !Self.mayEncode(segment, format: format, identity: mentions?.identity ?? "") {
                kept.append(Array(segment))
                continue
            }
            let piece = Array(segment)
            switch decide(piece, wrap: file.parseable, fileName: fileName) {
            case .keep:
                kept.append(piece)
            case .remove(let records, let others):
                counts.removed += records - others
                counts.unsplit += others
            case .drop:
                counts.dropped += 1
            case .blank(let blanked, let records, let changes):
                kept.append(blanked)
                // A refused row blanked counts as one piece changed, though no record is read from it.
                counts.blanked += max(records, 1)
                keyChanges += changes
            case .lines(let lines, let linesCounts, let changes):
                kept.append(lines)
                counts += linesCounts
                keyChanges += changes
            }
        }
        guard counts.removed + counts.unsplit + counts.blanked + counts.dropped > 0 else { return .untouched }
        // Deleted when nothing but blanks is left: a refused row of another customer (blanked) keeps the file.
        guard kept.contains(where: { $0.contains { !TextDecoding.isSpace($0) } }) else {
            if counts.unsplit > 0 { return .delete(reason: "not split: \(counts.unsplit) other record(s) went with the customer's") }
            if counts.dropped > 0 { return .delete(reason: "a mention could not be blanked in place") }
            // Only superseded shipped lines went (a site's erasure at a central): every one of its records was one.
            return .delete(reason: mentions == nil && !shippedErasure.isEmpty ? "every record in it was an erased revision" : "no other customer's record left")
        }
        return .rewrite(bytes: file.joined(kept), counts: counts, keyChanges: keyChanges)
    }

    private enum Decision {
        case keep(records: Int)
        case remove(records: Int, others: Int)
        case drop
        case blank([UInt8], records: Int, keyChanges: [KeyChange])
        /// A `.csv` piece judged line by line (`decideLines`): the lines kept, what went or was blanked.
        case lines([UInt8], Counts, keyChanges: [KeyChange])
    }

    /// One piece (a line, a row, a whole file); `wrap` makes it a file the reader takes (a CSV
    /// row under its header).
    private func decide(_ piece: [UInt8], wrap: ([UInt8]) -> [UInt8], fileName: String) -> Decision {
        guard let parsed = try? reader.read(wrap(piece), fileName: fileName), !parsed.records.isEmpty else {
            if let lines = decideLines(piece, wrap: wrap, fileName: fileName) { return lines }
            // Unreadable alone (a blank line, a refused row): judged by its cells as a refused
            // row in quarantine is; the identity must not stay in it.
            let text = String(decoding: piece, as: UTF8.self)
            let cells = Self.cells(text, format: RecordFormat(fileName: fileName))
            // The customer's row goes whatever else it says, also given only a pseudonym or a
            // label (a central's refused shipped line: by its cells, or by site and key).
            if shippedErasure.contains(refusedLine: piece[...]) || cells.contains(where: isOwn) { return .remove(records: 1, others: 0) }
            // No cells at all (a truncated JSON line): judged by its bytes, and removed when they name
            // the customer — there is no field to tell whose it is, and none to blank alone.
            if let loose = LooseJSONLine(text), namesCustomer(loose, text) { return .remove(records: 1, others: 0) }
            // Its cells are read decoded (a JSON line's escapes undone): an escaped mention counts.
            guard let mentions, mentionedAnywhere(piece) || cells.contains(where: mentions.isMentioned(in:)) else { return .keep(records: 0) }
            guard let blanked = mentions.scrubbed(text), !mentions.isMentioned(in: blanked) else { return .drop }
            return .blank(Array(blanked.utf8), records: 0, keyChanges: [])
        }
        let records = parsed.records
        let own = records.filter { isOwn($0.order?.customer ?? $0.record.customer ?? "") || shippedErasure.contains($0) }.count
        if own > 0 { return .remove(records: records.count, others: records.count - own) }
        guard let mentions else { return .keep(records: records.count) }
        guard let scrubbed = mentions.scrubbed(String(decoding: piece, as: UTF8.self)) else {
            // Read, a record names it, the bytes do not (an escape, an encoded mail body): not blankable in place.
            return records.contains(where: { mentions.isMentioned(in: $0) }) ? .drop : .keep(records: records.count)
        }
        let bytes = Array(scrubbed.utf8)
        guard let again = try? reader.read(wrap(bytes), fileName: fileName), again.records.count == records.count else { return .drop }
        var changes: [KeyChange] = []
        for (before, after) in zip(records, again.records) {
            // The rewritten record must be exactly the store's blanked one — byte for byte: blanking
            // recomposes the line, and an id or a name written decomposed would come back as
            // another record when the copy is dropped again — and name the identity nowhere.
            let blanked = mentions.blanked(before.record), blankedOrder = before.order.map(mentions.blanked)
            let sameOrder = switch (after.order, blankedOrder) {
            case (nil, nil): true
            case let (a?, b?): a == b && a.differences(b).isEmpty && (a.id ?? "").sameBytes(as: b.id ?? "")
            default: false
            }
            guard after.record == blanked, RecordContent.isSame(after.record, blanked), sameOrder,
                  !mentions.isMentioned(in: after) else { return .drop }
            let old = before.order?.key ?? RecordKey.make(for: before.record)
            let new = after.order?.key ?? RecordKey.make(for: after.record)
            if !old.sameBytes(as: new) { changes.append(KeyChange(old: old, new: new, order: before.order != nil)) }
        }
        return .blank(bytes, records: records.count, keyChanges: changes)
    }

    /// A `.csv` piece no reader takes that spans lines (a quote left open runs on to the file's
    /// end): each physical line judged alone, so her row goes with the lines of her text after it
    /// (none a row the reader takes) and other customers' rows after those stay. Nil when it is
    /// one line, or nothing in it is hers or names her (the piece is judged whole then).
    private func decideLines(_ piece: [UInt8], wrap: ([UInt8]) -> [UInt8], fileName: String) -> Decision? {
        guard RecordFormat(fileName: fileName) == .csv else { return nil }
        var lines: [[UInt8]] = [], start = 0
        for (i, byte) in piece.enumerated() where byte == 0x0A {
            lines.append(Array(piece[start...i]))
            start = i + 1
        }
        if start < piece.count { lines.append(Array(piece[start...])) }
        guard lines.count > 1 else { return nil }
        var kept: [[UInt8]] = [], counts = Counts(), changes: [KeyChange] = [], inHers = false
        for line in lines {
            if inHers {
                let readable = (try? reader.read(wrap(line), fileName: fileName)).map { !$0.records.isEmpty } ?? false
                if !readable {
                    continue
                }
            }
            inHers = false
            switch decide(line, wrap: wrap, fileName: fileName) {
            case .keep: kept.append(line)
            case .remove(let records, let others):
                counts.removed += max(records - others, 1)
                counts.unsplit += others
                inHers = true
            case .drop: counts.dropped += 1
            case .blank(let blanked, let records, let keys):
                kept.append(blanked)
                counts.blanked += max(records, 1)
                changes += keys
            case .lines(let bytes, let inner, let keys):
                kept.append(bytes)
                counts += inner
                changes += keys
            }
        }
        guard counts.removed + counts.unsplit + counts.blanked + counts.dropped > 0 else { return nil }
        return .lines(kept.flatMap { $0 }, counts, keyChanges: changes)
    }

    /// Whether a line with no cells (`LooseJSONLine`) names the customer: a token that is the
    /// customer, a pseudonym or label given anywhere in it, or the identity in any form the matcher
    /// knows, its escapes undone where they are whole.
    func namesCustomer(_ loose: LooseJSONLine, _ text: String) -> Bool {
        if loose.cells.contains(where: isOwn) { return true }
        let bytes = Array(text.utf8)
        if pseudonyms.contains(where: { Self.containsFolded(bytes[...], Array($0.utf8)) }) { return true }
        guard let mentions else { return false }
        return mentions.isMentioned(in: text) || mentions.isMentioned(in: LooseJSONLine.unescaped(text)) || loose.cells.contains(where: mentions.isMentioned(in:))
    }

    private func mentionedAnywhere(_ bytes: [UInt8]) -> Bool {
        mentions?.isMentioned(in: String(decoding: bytes, as: UTF8.self)) ?? false
    }
}

extension IdentityMentions {
    /// `record` as the store keeps another customer's record after `forget`: its free texts
    /// (`ConversationStore.conversationTextColumns`) with every mention blanked.
    public func blanked(_ record: ConversationRecord) -> ConversationRecord {
        var r = record
        let blank: (String) -> String = { scrubbed($0) ?? $0 }
        r.subject = r.subject.map(blank)
        r.text = r.text.map(blank)
        r.tags = r.tags.map(blank)
        r.extras = Dictionary(r.extras.map { (blank($0.key), blank($0.value)) }, uniquingKeysWith: { first, _ in first })
        if let names = r.extras["attachments"], let scrubbed = scrubbedFileNames(names) { r.extras["attachments"] = scrubbed }
        r.rawDepartment = r.rawDepartment.map(blank)
        r.rawOutcome = r.rawOutcome.map(blank)
        r.rawChannel = r.rawChannel.map(blank)
        return r
    }

    /// An order as the store keeps it after `forget`: product, department and extras blanked.
    public func blanked(_ order: OrderRecord) -> OrderRecord {
        var o = order
        let blank: (String) -> String = { scrubbed($0) ?? $0 }
        o.department = o.department.map(blank)
        o.product = o.product.map(blank)
        o.extras = Dictionary(o.extras.map { (blank($0.key), blank($0.value)) }, uniquingKeysWith: { first, _ in first })
        return o
    }

    /// Whether any field of a read record, the customer and the employee too, names the identity.
    public func isMentioned(in parsed: ParsedRecord) -> Bool {
        let r = parsed.record
        var texts = [r.id, r.employee, r.channel, r.customer, r.subject, r.text, r.rawDepartment, r.rawOutcome, r.rawChannel].compactMap { $0 }
        texts += r.tags + r.extras.keys + r.extras.values
        if let o = parsed.order { texts += [o.id, o.customer, o.department, o.product].compactMap { $0 } + o.extras.keys + o.extras.values }
        return texts.contains(where: isMentioned(in:))
    }
}
