import DialogCore
import DialogStore

/// `list`: the newest conversations, filtered. args: since, until (Unix seconds or a date, as
/// for `roi`), employee (needs `[privacy] employee_figures = named`), channel, department,
/// outcome (the counted ones), site, by (`site`: one site's rows together), customer (as stored:
/// a `cus-` pseudonym unless `[privacy] customers = named`), thread (an e-mail thread: its first
/// Message-ID or any of its messages' ids), limit (1…1000, default 50). Rows
/// carry the counted labels and figures. `order` (an order number or key; with `limit` only)
/// lists the conversations that order credited, each with that order's share.
struct ListCommand: ControlCommand {
    static let role = Role.read

    private let filter: ConversationStore.ListFilter
    private let order: String?

    init(_ request: ListRequest) {
        var filter = ConversationStore.ListFilter(
            since: request.since, until: request.until, employee: request.employee, channel: request.channel,
            department: request.department, outcome: request.outcome, site: request.site, bySite: request.bySite, limit: request.limit)
        (filter.customer, filter.thread) = (request.customer, request.thread)
        (self.filter, order) = (filter, request.order)
    }

    func run(_ context: any ControlContext, origin: RequestOrigin) throws(ControlError) -> CommandOutcome {
        let labeler = try employeeLabeler(context)
        try labeler.allowFilter(filter.employee)
        var customerFilter = self.filter
        customerFilter.customer = try storedCustomer(customerFilter.customer, context)
        let filter = customerFilter
        let (language, currency) = (context.config.display.language, context.config.records.currency)
        if let order { return Self.orderTouches(order, limit: filter.limit, labeler: labeler, language: language, currency: currency, origin) }
        return .deferred(origin.reads.submit { store in
            var probe = filter
            probe.limit += 1
            let found = try store.conversations(matching: probe)
            var rows = found.prefix(filter.limit).map { ConversationSummary($0, labeler: labeler) }
            let attributed = try store.attributedCents(conversations: rows.map(\.id))
            for i in rows.indices {
                rows[i].attributedCents = attributed[rows[i].id]
                rows[i].thread = found[i].stored.record.extras["thread"]
            }
            let listed = ListResult(conversations: Array(rows), truncated: found.count > filter.limit, language: language,
                                    employeeFigures: labeler.mode.rawValue, currency: currency)
            return FilterNoted(listed, unmatched: try store.unmatchedFilters(site: filter.site, department: filter.department, outcome: filter.outcome,
                                                                             channel: filter.channel, employee: filter.employee))
        })
    }
}

extension ListCommand {
    /// `order`: the conversations the order credited, newest first, `attributed_cents` its share.
    static func orderTouches(_ number: String, limit: Int, labeler: EmployeeLabeler, language: DisplayLanguage,
                             currency: String, _ origin: RequestOrigin) -> CommandOutcome {
        .deferred(origin.reads.submit { store in
            guard let stored = try store.order(numberOrKey: number) else {
                throw ControlError.notFound("no order with number or key \"\(number)\"")
            }
            let found = try store.touches(ofOrder: stored.rowID, limit: limit + 1)
            var rows: [ConversationSummary] = []
            for (item, share) in found.prefix(limit) {
                var row = ConversationSummary(item, labeler: labeler)
                row.attributedCents = share
                row.thread = item.stored.record.extras["thread"]
                rows.append(row)
            }
            let touches = found.count > limit ? try store.shareCount(ofOrder: stored.rowID) : found.count
            let o = stored.order
            var result = ListResult(conversations: rows, truncated: found.count > limit, language: language,
                                    employeeFigures: labeler.mode.rawValue, currency: currency)
            var listed = ListedOrder(id: o.id, key: stored.key, date: o.date, utcOffset: o.utcOffsetSeconds, amountCents: o.amountCents,
                                     currency: o.currency, touches: touches)
            if let link = try store.creditLink(of: stored) { (listed.credits, listed.creditState, listed.exceedsByCents) = (o.credits, link.state, link.exceedsByCents) }
            result.order = listed
            return result
        })
    }
}

extension ConversationSummary {
    /// The record as written, without counted figures (those come with `init(_:labeler:)`).
    init(stored: StoredConversation) {
        let r = stored.record
        self.init(id: stored.rowID, key: stored.key, date: r.date, utcOffset: r.utcOffsetSeconds, employee: r.employee,
                  channel: r.channel, department: r.department, outcome: r.outcome, durationS: r.durationSeconds,
                  valueCents: r.valueCents, currency: r.currency, subject: r.subject, labels: stored.labels)
        (rawDepartment, rawOutcome, rawChannel) = (r.rawDepartment, r.rawOutcome, r.rawChannel)
        (site, revision, siteRevision) = (stored.site, stored.revision, stored.siteRevision)
    }
}
