import DialogCore
import Foundation

struct ForgetSubcommand: Subcommand {
    static let name = "forget"
    static let abstract = "Erase a customer's identity and conversation texts, keeping the anonymous figures (admin; GDPR Art. 17)."
    static let usage = "dialogctl forget --customer <id> [--json]"
    static let options = """
          --customer <id>         The customer's pseudonym (cus-…) or identity as written (an e-mail
                                  address, a handle, a customer number).
        """

    private let customer: String

    init(_ arguments: inout ArgumentCursor) throws(UsageError) {
        var customer: String?
        while let token = arguments.next() {
            guard case .option(let name, let inline) = token, name == "--customer" else { throw arguments.unexpected(token) }
            customer = try arguments.value(of: name, inline: inline)
        }
        guard let customer else { throw arguments.error("--customer is required") }
        self.customer = customer
    }

    var request: ControlRequest { ControlRequest(command: "forget", args: ["customer": .string(customer)]) }

    func render(_ r: ForgetResult) -> String {
        var text: String
        if let label = r.anonymousLabel {
            text = "forgotten: \(r.conversations) conversation(s) (\(r.texts) with text removed), \(r.orders) order(s); figures kept under \(Escape.terminal(label))"
        } else {
            text = "not found: no stored conversation or order of that customer (check the spelling; or it was forgotten before)"
        }
        if let mentions = r.mentionsRemoved {
            text += "\nmentions in other stored texts replaced by [forgotten]: \(mentions) record(s)"
        } else {
            text += "\nother stored texts not searched: give the identity (not the pseudonym, at least 5 bytes) to blank its mentions"
        }
        let rewritten = r.rewritten ?? [], renamed = r.renamed ?? []
        if r.files.isEmpty && rewritten.isEmpty && renamed.isEmpty { text += "\nno spool file held them" }
        if !r.files.isEmpty { text += "\nspool files deleted: " + r.files.map { Escape.terminal($0) }.joined(separator: ", ") }
        if !rewritten.isEmpty {
            text += "\nspool files rewritten (the customer's records removed, mentions blanked): " + rewritten.map { Escape.terminal($0) }.joined(separator: ", ")
        }
        if !renamed.isEmpty {
            text += "\nspool files named after the customer, renamed: " + renamed.map { Escape.terminal($0) }.joined(separator: ", ")
        }
        return text
    }
}
