import DialogCore
import DialogStore
import DialogSystem

/// `metrics`: Prometheus text exposition (format 0.0.4) of the ingest counters and backlog gauges,
/// for a node_exporter textfile or a tiny HTTP bridge.
struct MetricsCommand: ControlCommand {
    static let role = Role.read

    init(_ request: MetricsRequest) {}

    func run(_ context: any ControlContext, origin: RequestOrigin) throws(ControlError) -> CommandOutcome {
        let s = context.statistics
        var text = PrometheusText()
        text.add("dialogd_records_stored_total", .counter, "Records stored since start.", s.recordsStored)
        text.add("dialogd_records_duplicate_total", .counter, "Records skipped as already stored since start.", s.recordsDuplicate)
        text.add("dialogd_records_rejected_total", .counter, "Records rejected since start.", s.recordsRejected)
        text.add("dialogd_records_conflicting_total", .counter, "Records refused since start: their id is stored with other content.", s.recordsConflicting)
        text.add("dialogd_records_amended_total", .counter, "Stored records replaced by an amend since start.", s.recordsAmended)
        text.add("dialogd_records_updated_total", .counter, "Shipped copies that replaced an older copy since start.", s.recordsUpdated)
        text.add("dialogd_records_outdated_total", .counter, "Shipped copies ignored as older than the stored copy since start.", s.recordsOutdated)
        text.add("dialogd_orders_stored_total", .counter, "Orders stored since start (never counted as records).", s.ordersStored)
        text.add("dialogd_order_duplicates_total", .counter, "Order rows skipped as already stored since start.", s.orderDuplicates)
        text.add("dialogd_orders_amended_total", .counter, "Stored orders replaced by an amend since start.", s.ordersAmended)
        // Gauges from the store (what is true now, follows amends and restarts), hence no `_total`.
        let credits = try storeCall { try context.store.creditNoteCounts() }
        text.add("dialogd_credit_notes_mismatched", .gauge,
                 "Stored credit notes naming an order of another customer (stored, unattributed).", credits.mismatched)
        text.add("dialogd_credit_notes_exceeding", .gauge, "Stored credit notes that, with the others naming their order, take back more than it was worth.", credits.exceeding)
        text.add("dialogd_files_archived_total", .counter, "Spool files ingested since start.", s.filesArchived)
        text.add("dialogd_files_quarantined_total", .counter, "Spool files quarantined since start.", s.filesQuarantined)
        text.add("dialogd_batches_total", .counter, "Ingest transactions committed since start.", s.batches)
        text.add("dialogd_last_batch_seconds", .gauge, "Duration of the last batch.", Double(s.lastBatchMilliseconds) / 1000)
        text.header("dialogd_spool_backlog_files", .gauge, "Files per spool area still to be handled.")
        for (area, count) in origin.backlog.counts(context.spool).sorted(by: { $0.key < $1.key }) {
            text.sample("dialogd_spool_backlog_files", labels: ["area": area], count)
        }
        text.add("dialogd_ingest_paused", .gauge, "1 while a failed write (disk full, read-only) holds ingestion back.", context.ingestPaused ? 1 : 0)
        text.add("dialogd_waiting_files", .gauge, "Files queued for the next batch.", context.waitingFiles)
        text.add("dialogd_conversations", .gauge, "Conversations in the store.", try storeCall { try context.store.conversationCount() })
        text.add("dialogd_database_size_bytes", .gauge, "Size of the main database file.", try storeCall { try context.store.databaseSizeBytes })
        text.add("dialogd_control_connections", .gauge, "Open control socket connections.", origin.connections)
        text.add("dialogd_uptime_seconds", .gauge, "Seconds since the daemon started.", context.uptimeSeconds)
        let stale = try storeCall { try context.store.valuationIsStale() }
        let sharesStale = try storeCall { try context.store.attributionIsStale() }
        let (settings, currency, counters) = (try RoiReaderSettings(context), context.config.records.currency, text)
        // The figures by department read the store: on the worker, like `roi`.
        return .deferred(origin.reads.submit { store in
            var text = counters
            try Self.addRoi(&text, settings.reader(store), currency: currency)
            text.add("dialogd_valuation_stale", .gauge, "1 when stored ROI figures were built with other rates than the config.", stale ? 1 : 0)
            text.add("dialogd_attribution_stale", .gauge, "1 when stored order shares were made with another [attribution] than the config.", sharesStale ? 1 : 0)
            return MetricsResult(text: text.output)
        })
    }

    /// Value, cost and net of the last 30 days by department. Past `RoiQuery.maxRows`
    /// departments the series are left out with a comment: monitoring keeps its other metrics.
    private static func addRoi(_ text: inout PrometheusText, _ reader: RoiReader, currency: String) throws {
        var rows: [RoiRow] = []
        do {
            rows = try reader.roi(RoiQuery(window: .d30, groupBy: .department), now: Clock.wallSeconds()).rows
        } catch let error as RoiQueryError where error.code == "bad_argument" {
            text.comment("dialogd_roi_*: left out: \(error.message)")
        }
        for (metric, help, value) in [
            ("dialogd_roi_value_cents", "Value of the last 30 days by department, in cents of the currency.", \RoiFigures.valueCents),
            ("dialogd_roi_cost_cents", "Cost of the last 30 days by department, in cents of the currency.", \RoiFigures.costCents),
            ("dialogd_roi_net_cents", "Net (value - cost) of the last 30 days by department, in cents of the currency.", \RoiFigures.netCents),
        ] as [(String, String, KeyPath<RoiFigures, Int64>)] {
            text.header(metric, .gauge, help)
            for row in rows {
                text.sample(metric, labels: ["department": row.key, "currency": currency], row.figures[keyPath: value])
            }
        }
    }
}

/// Builds the Prometheus text format: `# HELP`, `# TYPE`, then `name{label="v"} value` lines.
struct PrometheusText {
    enum Kind: String { case counter, gauge }
    private(set) var output = ""

    /// A `#` line that is neither HELP nor TYPE: a note for people, ignored by scrapers.
    mutating func comment(_ text: String) {
        output += "# " + text.replacingOccurrences(of: "\n", with: " ") + "\n"
    }

    mutating func header(_ name: String, _ kind: Kind, _ help: String) {
        output += "# HELP \(name) \(help)\n# TYPE \(name) \(kind.rawValue)\n"
    }

    mutating func sample(_ name: String, labels: [String: String] = [:], _ value: some CustomStringConvertible) {
        let rendered = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(Escape.prometheusLabelValue($0.value))\"" }
        output += name + (rendered.isEmpty ? "" : "{\(rendered.joined(separator: ","))}") + " \(value)\n"
    }

    mutating func add(_ name: String, _ kind: Kind, _ help: String, _ value: some CustomStringConvertible) {
        header(name, kind, help)
        sample(name, value)
    }
}
