import DialogCore
import DialogStore
import DialogSystem
import Foundation

/// `forget` (admin; GDPR Art. 17): removes a customer's identity and conversation texts from
/// the store, its mentions from other stored texts, and the spool originals in `cur/` (and
/// quarantined files) that hold them; the anonymous figures stay. args: `customer` — the pseudonym (`cus-…`) or the identity as
/// written (an e-mail address, a customer number). Logs what it removed, without the customer.
struct ForgetCommand: ControlCommand {
    static let name = "forget"
    static let role = Role.admin
    static let argumentNames: Set<String> = ["customer"]

    private let customer: String

    init(_ arguments: CommandArguments) throws(ControlError) {
        customer = try arguments.requiredString("customer")
        guard CustomerIdentity.normalised(customer) != nil else { throw .badArgument("customer must not be blank") }
    }

    func run(_ context: any ControlContext, origin: RequestOrigin) throws(ControlError) -> CommandOutcome {
        let key = try storeCall { try context.store.pseudonymKey() }
        // Every form the store may hold it under: the pseudonym, and (stored while `named`) the identity.
        let identity = CustomerIdentity.isPseudonym(customer) ? nil : CustomerIdentity.normalised(customer)
        let forms = [CustomerIdentity(mode: .pseudonymous, key: key).stored(customer), identity].compactMap { $0 }
        // Other customers' texts may name the identity (a colleague's address in a mail): blanked too.
        let mentions = identity.flatMap(IdentityMentions.init)
        let forgotten = try storeCall { try context.store.forget(customerForms: forms, mentions: mentions) }
        var files: [String] = []
        for name in forgotten.sourceFiles where context.spool.exists(name, in: .cur) {
            if remove(name, in: .cur, context) { files.append("cur/" + name) }
        }
        // Quarantined files were never stored: found by the identity they contain, when it is
        // an e-mail address or a handle (a short customer number would match unrelated files).
        if let identity, identity.utf8.count >= 5, identity.hasPrefix("@") || CustomerIdentity.isEmailAddress(identity) {
            for area in [SpoolDirectory.Area.cur, .quarantine] {
                for name in (try? context.spool.names(in: area)) ?? [] where Self.contains(context.spool.path(area, name), identity) {
                    if remove(name, in: area, context) { files.append((area == .cur ? "cur/" : "quarantine/") + name) }
                    // Its reason file goes with it: it names the file and what was wrong with it.
                    if area == .quarantine, context.spool.exists(name + ".reason", in: .quarantine), remove(name + ".reason", in: .quarantine, context) {
                        files.append("quarantine/" + name + ".reason")
                    }
                }
            }
        }
        context.log.notice("forget: uid \(origin.peer.uid) had a customer forgotten: \(forgotten.conversations) conversation(s) "
            + "(\(forgotten.texts) with text removed), \(forgotten.orders) order(s), "
            + (forgotten.anonymousLabel.map { "now counted as \($0); " } ?? "no stored record was the customer's; ")
            + "mentions blanked in \(forgotten.mentions.conversations) other conversation(s), \(forgotten.mentions.orders) order(s), "
            + "\(forgotten.mentions.ingestRecords) ingest log entr(ies); "
            + "spool files deleted: \(files.isEmpty ? "none" : files.joined(separator: ", "))")
        if !forgotten.walTruncated {
            context.log.warning("forget: a reader kept the WAL from being emptied; old page images stay in it until a later checkpoint")
        }
        return .result(ForgetResult(conversations: forgotten.conversations, orders: forgotten.orders, texts: forgotten.texts,
                                    files: files, anonymousLabel: forgotten.anonymousLabel,
                                    mentionsRemoved: mentions == nil ? nil : forgotten.mentions.conversations + forgotten.mentions.orders + forgotten.mentions.ingestRecords))
    }

    private func remove(_ name: String, in area: SpoolDirectory.Area, _ context: any ControlContext) -> Bool {
        do throws(SystemError) {
            try context.spool.remove(name, in: area)
            return true
        } catch {
            context.log.error("forget: could not delete \(area) file \(name): \(error)")
            return false
        }
    }

    /// Whether the file holds `identity` (ASCII letters compared case-insensitively, as e-mail
    /// addresses are); files over 64 MiB are not read here (docs/roi.md "Erasure").
    static func contains(_ path: String, _ identity: String) -> Bool {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              (attributes[.size] as? Int ?? .max) <= 64 << 20, let data = FileManager.default.contents(atPath: path) else { return false }
        func fold(_ b: UInt8) -> UInt8 { (0x41...0x5A).contains(b) ? b | 0x20 : b }
        let needle = Array(identity.utf8).map(fold)
        guard let first = needle.first, data.count >= needle.count else { return false }
        return data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Bool in
            let bytes = raw.bindMemory(to: UInt8.self)
            var i = 0
            while i + needle.count <= bytes.count {
                if fold(bytes[i]) == first {
                    var j = 1
                    while j < needle.count, fold(bytes[i + j]) == needle[j] { j += 1 }
                    if j == needle.count { return true }
                }
                i += 1
            }
            return false
        }
    }
}
