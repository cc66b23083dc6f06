import DialogCore

/// The classifier's side of the store (docs/classification.md): model snapshots, replay of what came
/// after a snapshot, `relabel` and the review queue.
extension ConversationStore {
    public struct ModelSnapshot {
        public var models: [Dimension: LabelModel]
        /// The highest conversation id whose labels the models have learned.
        public var trainedThrough: Int64
        /// Why a blob could not be read. Then the snapshot loads as none (fresh models, nothing
        /// learned): it is a cache of what the rows teach, and its reader learns them all again.
        public var unreadable: [String] = []
    }

    /// The stored snapshot; nil when none was saved yet. A blob that does not decode is named in
    /// `unreadable`, not thrown: the rows it was learned from are still there.
    public func loadModels() throws -> ModelSnapshot? {
        let rows = try database.fetchAll("SELECT dimension, trained_through, model FROM classifier_models") { row in
            (row[0] as String, row[1] as Int64, row[2] as [UInt8])
        }
        guard !rows.isEmpty else { return nil }
        var models = Classifier.freshModels()
        var through = Int64.max
        var unreadable: [String] = []
        for (name, trained, blob) in rows {
            guard let dimension = Dimension(rawValue: name) else { continue }
            do { models[dimension] = try ModelCodec.decode(blob) } catch {
                unreadable.append("\(name): \(error)")
            }
            through = min(through, trained)
        }
        guard unreadable.isEmpty else { return ModelSnapshot(models: Classifier.freshModels(), trainedThrough: 0, unreadable: unreadable) }
        return ModelSnapshot(models: models, trainedThrough: through)
    }

    /// Writes a snapshot of `models`, having learned every conversation up to the newest one.
    public func saveModels(_ models: [Dimension: LabelModel]) throws {
        let through = try database.scalar("SELECT coalesce(max(id), 0) FROM conversations", as: Int64.self) ?? 0
        let statement = try database.cachedStatement(
            "INSERT INTO classifier_models (dimension, trained_through, model) VALUES (?, ?, ?) ON CONFLICT(dimension) DO UPDATE SET trained_through = excluded.trained_through, model = excluded.model")
        for (dimension, model) in models.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            try statement.bind(dimension.rawValue, at: 1)
            try statement.bind(through, at: 2)
            try statement.bind(ModelCodec.encode(model), at: 3)
            try statement.execute()
        }
    }

    /// The labels a stored row teaches: logged fields (not a department implied by the outcome)
    /// and reviewed ones.
    static let learnableSQL = """
        SELECT id, subject, text, satisfaction,
            CASE department_source WHEN 'review' THEN department_final WHEN 'logged' THEN department END,
            CASE outcome_source WHEN 'review' THEN outcome_final WHEN 'logged' THEN outcome END,
            CASE sentiment_source WHEN 'review' THEN sentiment_final WHEN 'logged' THEN sentiment END
        FROM conversations
        """

    /// The labels the classifier has learned from row `rowID` (`learnableSQL`).
    public func learnedLabels(rowID: Int64) throws -> [Dimension: String] {
        try database.fetchOne(Self.learnableSQL + " WHERE id = ? AND site_revision IS NULL", arguments: [rowID]) { row -> [Dimension: String] in
            var labels: [Dimension: String] = [:]
            for (i, d) in [Dimension.department, .outcome, .sentiment].enumerated() {
                if let l: String = row[4 + i] { labels[d] = l }
            }
            return labels
        } ?? [:]
    }

    /// Calls `body` with the document and learnable labels of every row after `id`, in order.
    public func forEachLearnable(after id: Int64, _ body: (Document, [Dimension: String]) -> Void) throws {
        // Copies other sites shipped teach nothing here: their labels are their site's business.
        let select = try database.prepare(Self.learnableSQL + " WHERE id > ? AND site_revision IS NULL ORDER BY id")
        try select.bind(id, at: 1)
        while try select.step() {
            let row = select.row
            let document = Document(text: row[2], subject: row[1], satisfaction: row[3])
            var labels: [Dimension: String] = [:]
            for (i, d) in [Dimension.department, .outcome, .sentiment].enumerated() {
                if let l: String = row[4 + i] { labels[d] = l }
            }
            if !labels.isEmpty { body(document, labels) }
        }
        select.reset()
    }

    /// Row `rowID` as the aggregates count it before a review: its final labels and priced
    /// columns (0 where never priced); the labels the record logged stay in `record`.
    public func countedForReview(_ stored: StoredConversation) throws -> (record: ConversationRecord, priced: PricedConversation)? {
        try database.fetchOne("""
            SELECT department_final, outcome_final, duration_s_effective, cost_cents, value_cents_effective, sentiment_final
            FROM conversations WHERE id = ?
            """, arguments: [stored.rowID]) { row in
            var record = stored.record
            record.sentiment = row[5]
            return (record, PricedConversation(department: row[0], outcome: row[1], durationSeconds: row[2] as Int64? ?? 0,
                                               costCents: row[3] as Int64? ?? 0, valueCents: row[4] as Int64? ?? 0))
        }
    }

    /// Writes a person's review of row `rowID` (call inside `transaction`): its final labels
    /// (source `review`, confidence 1), its price, and its figures moved from `before` to `after`.
    public func storeReview(rowID: Int64, changes: [Dimension: String], from before: (record: ConversationRecord, priced: PricedConversation),
                            to after: (record: ConversationRecord, priced: PricedConversation)) throws {
        let site = try database.fetchOne("SELECT site FROM conversations WHERE id = ?", arguments: [rowID]) { row in row[0] as String } ?? self.site
        try subtractFromAggregates(before.record, before.priced, site: site)
        try addToAggregates(after.record, after.priced, site: site)
        // Its order shares move with it: out under the labels stored now, back in under the new ones.
        try moveShares(ofConversation: rowID, sign: -1)
        let priced = after.priced
        var sets = ["department_final = ?", "outcome_final = ?", "duration_s_effective = ?", "cost_cents = ?", "value_cents_effective = ?", "revision = ?"]
        var arguments: [(any SQLValue)?] = [priced.department, priced.outcome, priced.durationSeconds, priced.costCents, priced.valueCents,
                                            try nextRevision()]
        for (dimension, label) in changes.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            sets += ["\(dimension.rawValue)_source = 'review'", "\(dimension.rawValue)_confidence = 1000"]
            if dimension == .sentiment { sets.append("sentiment_final = ?"); arguments.append(label) }
        }
        try database.execute("UPDATE conversations SET \(sets.joined(separator: ", ")) WHERE id = ?", arguments: arguments + [rowID])
        try moveShares(ofConversation: rowID, sign: 1)
    }

    /// Conversations waiting for review: a label the model left unclassified (below
    /// `min_confidence`), or a logged department, outcome or channel in no vocabulary (its
    /// text in `raw_*`; an alias and `recompute`, or a relabel, settles it). Lowest confidence
    /// of their model labels first.
    public func reviewQueue(limit: Int) throws -> (items: [ReviewItem], pending: Int) {
        let lowest = """
            min(CASE WHEN department_source = 'model' THEN department_confidence ELSE 1000 END,
                CASE WHEN outcome_source = 'model' THEN outcome_confidence ELSE 1000 END,
                CASE WHEN sentiment_source = 'model' THEN sentiment_confidence ELSE 1000 END)
            """
        let waiting = """
            (department_source = 'model' AND department_final IS NULL) OR (outcome_source = 'model' AND outcome_final IS NULL)
            OR (sentiment_source = 'model' AND sentiment_final IS NULL)
            OR (raw_department IS NOT NULL AND department IS NULL AND department_final IS NULL)
            OR (raw_outcome IS NOT NULL AND outcome IS NULL AND outcome_final IS NULL)
            OR (raw_channel IS NOT NULL AND channel = 'unknown')
            """
        let pending = try database.scalar("SELECT count(*) FROM conversations WHERE \(waiting)", as: Int.self) ?? 0
        let items = try database.fetchAll("""
            SELECT id, date, employee, channel, subject, text, \(lowest),
                department_final, department_source, department_confidence, outcome_final, outcome_source, outcome_confidence,
                sentiment_final, sentiment_source, sentiment_confidence,
                CASE WHEN department IS NULL AND department_final IS NULL THEN raw_department END,
                CASE WHEN outcome IS NULL AND outcome_final IS NULL THEN raw_outcome END,
                CASE WHEN channel = 'unknown' THEN raw_channel END
            FROM conversations WHERE \(waiting) ORDER BY 7, id LIMIT ?
            """, arguments: [limit]) { row in
            var item = ReviewItem(id: row[0], date: row[1], employee: row[2], channel: row[3], subject: row[4], text: row[5],
                                  confidence: Double(row[6] as Int64) / 1000, labels: Self.decodeLabels(row, from: 7))
            (item.unmatchedDepartment, item.unmatchedOutcome, item.unmatchedChannel) = (row[16], row[17], row[18])
            return item
        }
        return (items, pending)
    }
}
