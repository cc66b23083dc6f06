#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DialogCore
import DialogStore
import DialogSystem

extension IngestBatch {
    /// What happens to one file once the transaction has committed.
    @dynamicMemberLookup
    struct FileResult {
        var name: String
        var bytes: Int
        /// `nil`: archive to `cur/`; otherwise quarantine with this reason.
        var quarantineReason: String?
        /// The file that was read (`PreparedFile.identity`); it is moved only while its name still holds it.
        var identity: SpoolFile.Identity?
        /// Its records and orders counted (`result.stored` reads `result.counts.stored`).
        var counts = RecordCounts()
        /// Order rows without an order number identical to an earlier row of this file: stored
        /// once, counted in `orderDuplicates`, and warned about (they may be two real orders).
        var repeatedOrders = 0
        var firstRepeatedOrder: (line: Int, sameAs: Int)?
        /// One line per amended order for the log after the commit (the audit of a correction), bounded.
        var amendedOrderNotes: [String] = []
        /// Warnings about credit notes (docs/roi.md "Credit notes") for the log after the commit, bounded.
        var creditNoteWarnings: [String] = []
        /// Per-record rejects of a multi-record file, for `NAME.rejects.jsonl`.
        var rejects = RejectList()
        /// Records the store refused (conflicts, amends of unknown ids), until `settleRefusals`.
        var refused: [RejectedRecord] = []
        /// What a large whole-document file taught the model, to take back if its savepoint is undone.
        var learned: [Learned] = []
        var warnings: [String] = []
        /// Its name in `quarantine/` (or the base of its `.rejects.jsonl`), once chosen.
        var placedAs: String?
        /// Shipped records a site erased (`ShippedErasure`): their older lines leave `cur/` once the file is there.
        var shippedErasure = ShippedErasure()
        /// Records of customers `forget` erased (`ForgottenCustomers`), stored as erased or found
        /// a duplicate: the file's copy in `cur/` and its rejects are scrubbed of them once moved.
        var forgottenRecords = 0
        /// The `forget` label each such customer's new records in this file are stored under.
        var erasedLabels: [String: String] = [:]
        /// Words of originals of records `forget` blanked a mention in (`duplicateOfBlanked`): the
        /// forgotten identities as the file writes them, blanked in its copy once moved.
        var blankedMentions: Set<String> = []
        var blankedOriginals = 0
        /// Forgotten customers its name is written after (`ForgottenCustomers.identities(inFileName:)`),
        /// and the name with them blanked: what the store, `cur/`, `quarantine/` and the log keep.
        var nameIdentities: [String] = []
        var keptName: String?
        /// The suppression list when it is not empty: a refusal's reason may quote a forgotten
        /// customer's address (`keptText`), and is kept, listed and logged without it.
        var forgotten: ForgottenCustomers?
        /// Its name in `cur/` once moved there (`NAME`, or `NAME.1` beside an earlier copy).
        var archivedAs: String?
        /// Not moved by the daemon: its dropper took it back, or another file holds its name in
        /// `new/` now. What was read is stored; it counts as neither archived nor quarantined.
        var leftInPlace = false

        subscript(dynamicMember counter: WritableKeyPath<RecordCounts, Int>) -> Int {
            get { counts[keyPath: counter] }
            set { counts[keyPath: counter] = newValue }
        }
    }
}

extension IngestBatch.FileResult {
    /// The name kept for it (docs/roi.md "Erasure"): as dropped, or without a forgotten customer's identity.
    var storedName: String { keptName ?? name }

    /// The quarantine reason as kept, a forgotten customer's identity blanked in it.
    var keptReason: String? { quarantineReason.map(keptText) }

    /// A message about the file (a reason, a refused row's rejection) as the store, `.reason` and
    /// the log keep it: the forgotten customers its name is written after, and those it quotes by
    /// an address or a handle (`ForgottenCustomers.identities(inText:)`), blanked as `forget` blanks a reason.
    func keptText(_ text: String) -> String {
        let named = nameIdentities + (forgotten?.identities(inText: text) ?? [])
        return named.isEmpty ? text : ForgottenCustomers.blankedReason(text, identities: named)
    }

    /// Names it after what the suppression list holds, before any of its records is stored.
    mutating func nameAfter(_ forgotten: ForgottenCustomers) {
        nameIdentities = forgotten.identities(inFileName: name)
        keptName = ForgottenCustomers.blankedFileName(name, identities: nameIdentities)
        self.forgotten = forgotten.isEmpty ? nil : forgotten
    }

    /// Records the store refused join the file's rejects; when nothing of the file went in, the
    /// file is refused as a whole instead, as a parser refuses a file without a valid record.
    mutating func settleRefusals() {
        guard !refused.isEmpty else { return }
        defer { refused = [] }
        let all = (Array(rejects) + refused).sorted { ($0.rejection.line ?? 0) < ($1.rejection.line ?? 0) }
        let total = rejects.count + refused.count
        guard counts.stored + counts.duplicates + counts.amended + counts.updated + counts.orders + counts.orderDuplicates + counts.ordersAmended == 0 else {
            var merged = RejectList(all)
            merged.count(omitted: rejects.omitted)
            rejects = merged
            return
        }
        var first = all[0].rejection
        if total > 1 { first.expected += " (all \(total) records were refused; this was the first)" }
        quarantineReason = first.description
        rejects = RejectList()
    }

    /// The orders part of a batch's log line, empty when its files held no stored or known order.
    static func orderCounts(_ results: [IngestBatch.FileResult]) -> String {
        let (stored, duplicates, amended) = results.reduce((0, 0, 0)) { ($0.0 + $1.orders, $0.1 + $1.orderDuplicates, $0.2 + $1.ordersAmended) }
        guard stored + duplicates + amended > 0 else { return "" }
        // A warning, not a refusal: such credit notes are stored, their amount unattributed (docs/roi.md "Credit notes").
        let mismatched = results.reduce(0) { $0 + $1.creditNotesMismatched }
        return ", \(stored) order(s) stored, \(duplicates) duplicate order(s)" + (amended > 0 ? ", \(amended) order(s) amended" : "")
            + (mismatched > 0 ? ", \(mismatched) credit note(s) naming another customer's order (stored, unattributed)" : "")
    }

    static let maxAmendedOrderNotes = 1000

    mutating func noteAmended(_ note: String) {
        if amendedOrderNotes.count < Self.maxAmendedOrderNotes { amendedOrderNotes.append(note) }
    }

    /// The `forget` label for the records of `customer` (as stored) in this file: random, one per
    /// customer and file, so her new conversations and orders in it still link to each other.
    mutating func erasedLabel(for customer: String) -> String {
        if let label = erasedLabels[customer] { return label }
        let label = CustomerIdentity.randomForgottenLabel()
        erasedLabels[customer] = label
        return label
    }

    mutating func warnCreditNote(_ warning: String) {
        if creditNoteWarnings.count < Self.maxAmendedOrderNotes { creditNoteWarnings.append(warning) }
    }

    /// The warning for order rows that repeat an earlier row of the same file without an order
    /// number: their content is their key, so they count once — which is wrong if they are two orders.
    var repeatedOrdersWarning: String? {
        guard repeatedOrders > 0, let first = firstRepeatedOrder else { return nil }
        return "\(repeatedOrders) order row(s) without an order number repeat an earlier row of this file (first: line \(first.line), "
            + "same as line \(first.sameAs)); each is stored once and counted as a duplicate order — if they are separate orders, give every row an order number"
    }

    /// Records refused as invalid, for `records_rejected`: those listed in the rejects file (not
    /// conflicts) and amends of unknown ids, also when they made the whole file refused.
    var rejectedRecords: Int { (quarantineReason == nil ? rejects.count - counts.conflicting - counts.unknownAmends : 0) + counts.unknownAmends }
}
