import DialogCore
import DialogStore

/// `export`: conversations with every field and their ROI figures, one page per request so a
/// large export never becomes one giant reply. args: the `roi` window and filters (so an
/// export adds up to `roi` for the same arguments), `after` (row-id cursor, default 0) and
/// `limit` (1…1000 rows, default 500; a page also ends after about 1 MiB of text).
/// `after_revision` (≥ 0) exports what was stored or changed after that revision, in
/// (revision, row id) order, `after` then being the row id within it (`export --after`);
/// `by` = `site` orders by site (`after_site` then continues it).
struct ExportCommand: ControlCommand {
    static let role = Role.read
    static let pageBytes = 1 << 20

    private let request: ExportRequest

    init(_ request: ExportRequest) {
        self.request = request
    }

    func run(_ context: any ControlContext, origin: RequestOrigin) throws(ControlError) -> CommandOutcome {
        // Rows carry cost and value, so one pivot table would make them per-employee figures:
        // names appear only under `named`, the pseudonym under `pseudonymous`, "hidden" under `off`.
        let (query, after, limit, settings) = (request.query, request.after, request.limit, try RoiReaderSettings(context))
        let currency = context.config.records.currency
        let (afterRevision, afterRow, afterSite, bySite, site) = (request.afterRevision, request.afterRow, request.afterSite, request.bySite, context.store.site)
        if request.orders { return Self.ordersPage(query, settings, after: after, limit: limit, currency: currency, origin) }
        return .deferred(origin.reads.submit { store in
            var page = try Self.page(store, query, settings, after: after, limit: limit, currency: currency) { filter, limit in
                if let afterRevision { return try store.changesPage(filter, afterRevision: afterRevision, afterRow: afterRow, limit: limit) }
                return try store.exportPage(filter, after: after, afterSite: afterSite, bySite: bySite, limit: limit)
            }
            page.site = site
            if page.nextAfter != nil {
                if afterRevision != nil { page.nextAfterRevision = page.rows.last?.detail.summary.revision }
                if bySite { page.nextAfterSite = page.rows.last?.detail.summary.site }
            }
            // The first page says which filter matches nothing stored; the pages after it do not repeat it.
            guard afterRow == nil, afterSite == nil else { return FilterNoted(page, unmatched: []) }
            let filter = try RoiQueryArguments.conversations(query, settings.reader(store)).filter
            return FilterNoted(page, unmatched: try store.unmatchedFilters(site: filter.site, department: filter.department, outcome: filter.outcome,
                                                                           channel: filter.channel, employee: filter.employee))
        })
    }

    private static func page(_ store: ConversationStore, _ query: RoiQuery, _ settings: RoiReaderSettings,
                             after: Int64, limit: Int, currency: String,
                             fetch: (ConversationStore.ExportFilter, Int) throws -> [ConversationStore.ExportedConversation]) throws -> ExportPage<ExportRow> {
        let (window, filter, labeler) = try RoiQueryArguments.conversations(query, settings.reader(store))
        let found = try fetch(filter, limit + 1)
        var rows: [ExportRow] = []
        var bytes = 0
        for item in found.prefix(limit) {
            var row = ExportRow(item)
            row.detail.summary.employee = labeler.shown(item.stored.record.employee)
            row.detail.sourceFile = labeler.shownFileName(item.stored.sourceFile)
            rows.append(row)
            bytes += item.stored.record.approximateBytes
            if bytes >= pageBytes { break }
        }
        let more = found.count > rows.count
        return ExportPage(currency: currency, window: window, rows: rows, nextAfter: more ? found[rows.count - 1].stored.rowID : nil)
    }
}

extension ExportRow {
    init(_ item: ConversationStore.ExportedConversation) {
        let stored = item.stored, r = stored.record, p = item.priced
        self.init(
            detail: ConversationDetail(
                summary: ConversationSummary(stored: stored), externalId: r.id, customer: r.customer,
                satisfaction: r.satisfaction, sentiment: r.sentiment, responseTimeS: r.responseTimeSeconds, text: r.text,
                tags: r.tags, extras: r.extras.sorted { $0.key < $1.key }.map { ExtraField(name: $0.key, value: $0.value) },
                sourceFile: stored.sourceFile, sourceLine: stored.line, ingestedAt: stored.ingestedAt),
            departmentCounted: p?.department ?? "unassigned", outcomeCounted: p?.outcome ?? "unclassified",
            durationSCounted: p?.durationSeconds, costCents: p?.costCents, valueCentsCounted: p?.valueCents)
    }
}

extension ConversationRecord {
    /// Roughly what a record adds to a reply, to keep export pages small.
    var approximateBytes: Int {
        (text?.utf8.count ?? 0) + (subject?.utf8.count ?? 0) + extras.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count } + 300
    }
}
