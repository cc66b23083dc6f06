import DialogCore
import DialogStore

/// `[privacy] employee_figures` for replies that carry conversations (`list`, `show`, `export`,
/// `review`): one labeler per request, so a reload applies to the next reply.
func employeeLabeler(_ context: any ControlContext) throws(ControlError) -> EmployeeLabeler {
    try storeCall { EmployeeLabeler(mode: context.config.privacy.employeeFigures, key: try context.store.pseudonymKey()) }
}

extension EmployeeLabeler {
    /// `checkFilter` with the refusal as a wire error (code `privacy`).
    func allowFilter(_ employee: String?) throws(ControlError) {
        do { try checkFilter(employee) } catch { throw ControlError(code: error.code, message: error.message) }
    }
}

extension ConversationSummary {
    /// A `list`/`show` row: the record as written, the figures it is counted under, and its
    /// employee as the privacy switch allows.
    init(_ item: ConversationStore.ExportedConversation, labeler: EmployeeLabeler) {
        self.init(stored: item.stored)
        employee = labeler.shown(item.stored.record.employee)
        departmentCounted = item.priced?.department ?? item.stored.labels.department?.label ?? "unassigned"
        outcomeCounted = item.priced?.outcome ?? item.stored.labels.outcome?.label ?? "unclassified"
        channelCounted = item.stored.record.channel
        if let p = item.priced {
            durationSCounted = p.durationSeconds
            costCents = p.costCents
            valueCentsCounted = p.valueCents
            netCents = p.netCents
        }
    }
}

/// A `customer` filter as the store keeps it (`[privacy] customers`): a pseudonym is taken as
/// it is; an identity only under `named` (normalised) — under `pseudonymous` a reader could
/// otherwise learn whether a person of their choosing is a customer and which pseudonym is theirs.
/// A `forgotten-…` label (what `forget` printed) names nobody, so it is taken as it is too.
func storedCustomer(_ customer: String?, _ context: any ControlContext) throws(ControlError) -> String? {
    guard let customer else { return nil }
    if CustomerIdentity.isPseudonym(customer) || CustomerIdentity.isForgottenLabel(customer) { return customer }
    guard context.config.privacy.customers == .named else {
        throw ControlError(code: "privacy", message: "filtering by a customer's identity needs [privacy] customers = named; give the pseudonym (cus-…) or a forgotten-… label")
    }
    return CustomerIdentity.normalised(customer) ?? customer
}
