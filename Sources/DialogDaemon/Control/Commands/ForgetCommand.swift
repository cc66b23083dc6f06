import DialogCore
import DialogStore
import DialogSystem
import Foundation

/// `forget` (admin; GDPR Art. 17): removes a customer's identity and conversation texts from
/// the store, its mentions from other stored texts, and from the spool its records (other
/// customers' records stay, mentions blanked); the anonymous figures stay. args: `customer` — the pseudonym (`cus-…`) or the identity as
/// written (an e-mail address, a customer number). Logs what it removed, without the customer.
struct ForgetCommand: ControlCommand {
    static let role = Role.admin

    private let customer: String

    init(_ request: ForgetRequest) {
        customer = request.customer
    }

    func run(_ context: any ControlContext, origin: RequestOrigin) throws(ControlError) -> CommandOutcome {
        let key = try storeCall { try context.store.pseudonymKey() }
        // Every form the store may hold it under: the pseudonym, (stored while `named`) the
        // identity, and for a handle both as they were before handles were case-folded.
        let identity = CustomerIdentity.normalised(customer).flatMap { CustomerIdentity.isPseudonym($0) || CustomerIdentity.isForgottenLabel($0) ? nil : $0 }
        let forms = CustomerIdentity(mode: .pseudonymous, key: key).storedForms(customer)
        // Other customers' texts may name the identity (a colleague's address in a mail): blanked too.
        let mentions = identity.flatMap(IdentityMentions.init)
        let forgotten = try storeCall { try context.store.forget(customerForms: forms, mentions: mentions) }
        // The spool: each file that may hold the customer, read record by record (SpoolErasure).
        let reader = RecordReader(settings: context.config.parseSettings(now: Clock.wallSeconds()))
        var records = RecordErasure(reader: reader, mentions: mentions, isOwn: RecordErasure.owner(forms: forms, key: key))
        records.needles = RecordErasure.needles(mentions: mentions, forms: forms)
        records.pseudonyms = forms.filter { CustomerIdentity.isPseudonym($0) || CustomerIdentity.isForgottenLabel($0) }
        // At a central: other sites' records of the customer are kept in `cur/` as shipped, one
        // line per revision, under the site's pseudonym (its own secret): found by site and key.
        for shipped in forgotten.shippedKeys { records.shippedErasure.add(site: shipped.site, key: shipped.key, below: .max) }
        var erasure = SpoolErasure(spool: context.spool, log: context.log, records: records)
        // Given a pseudonym or a label, `cur/` and `quarantine/` are searched for it too (a
        // site's pseudonym names no record of this store once the site forgot it).
        if identity == nil { erasure.recordNeedles = forms.map { Array($0.utf8) } }
        let changes = erasure.plan(sources: forgotten.sourceFiles)
        // Before a file changes: the blanked records' new keys, so a rewritten original dropped again is a duplicate.
        var aliases = 0
        do { aliases = try context.store.addKeyAliases(SpoolErasure.keyChanges(changes)) } catch {
            context.log.error("forget: could not keep the new keys of the blanked records (a rewritten original dropped again would be stored again): \(error)")
        }
        var outcome = erasure.apply(changes)
        // Files named after the customer (`alice@example.com.conv`): kept ones renamed, and none
        // listed or logged under her name (docs/roi.md "Erasure").
        let renamed = mentions.map(erasure.renameNamedFiles) ?? []
        if let mentions {
            let blank = { (name: String) in mentions.scrubbedFileNames(name) ?? name }
            outcome.deleted = outcome.deleted.map(blank)
            outcome.rewritten = outcome.rewritten.map(blank)
            outcome.notes = outcome.notes.map(blank) + renamed.map { "\($0) renamed (it was named after the customer)" }
        }
        let files = outcome.deleted, rewritten = outcome.rewritten
        context.log.notice("forget: uid \(origin.peer.uid) had a customer forgotten: \(forgotten.conversations) conversation(s) "
            + "(\(forgotten.texts) with text removed), \(forgotten.orders) order(s), "
            + (forgotten.anonymousLabel.map { "now counted as \($0); " } ?? "no stored record was the customer's; ")
            + "mentions blanked in \(forgotten.mentions.conversations) other conversation(s), \(forgotten.mentions.orders) order(s), "
            + "\(forgotten.mentions.ingestRecords) ingest log entr(ies); "
            + "spool: " + (outcome.notes.isEmpty ? "no file held it" : outcome.notes.joined(separator: "; "))
            + (aliases > 0 ? "; \(aliases) blanked record(s) keep their stored key for a re-drop" : "")
            // The suppression list (docs/roi.md "Erasure"): a label names no pseudonym to keep.
            + (forms.contains(where: CustomerIdentity.isPseudonym) ? "; kept as a keyed hash: the customer's records dropped again are stored erased" : ""))
        if !forgotten.walTruncated {
            context.log.warning("forget: a reader kept the WAL from being emptied; old page images stay in it until a later checkpoint")
        }
        return .result(ForgetResult(conversations: forgotten.conversations, orders: forgotten.orders, texts: forgotten.texts,
                                    files: files, rewritten: rewritten, anonymousLabel: forgotten.anonymousLabel,
                                    mentionsRemoved: mentions == nil ? nil : forgotten.mentions.conversations + forgotten.mentions.orders + forgotten.mentions.ingestRecords,
                                    renamed: mentions == nil ? nil : renamed))
    }
}
