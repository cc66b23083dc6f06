import DialogCore

/// The classifier's side of the store (docs/classification.md): model snapshots, replay of what came
/// after a snapshot, `relabel` and the review queue.
extension ConversationStore {
    public struct ModelSnapshot {
        public var models: [Dimension: LabelModel]
        /// The highest conversation id whose labels the models have learned.
        public var trainedThrough: Int64
    }

    /// The stored snapshot; nil when none was saved yet. Throws on a corrupt blob.
    public func loadModels() throws -> ModelSnapshot? {
        let rows = try database.fetchAll("SELECT dimension, trained_through, model FROM classifier_models") { row in
            (row[0] as String, row[1] as Int64, row[2] as [UInt8])
        }
        guard !rows.isEmpty else { return nil }
        var models = Classifier.freshModels()
        var through = Int64.max
        for (name, trained, blob) in rows {
            guard let dimension = Dimension(rawValue: name) else { continue }
            do { models[dimension] = try ModelCodec.decode(blob) } catch {
                throw DatabaseError(resultCode: 1, message: "classifier model \(name): \(error)", sql: nil)
            }
            through = min(through, trained)
        }
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
    func learnedLabels(rowID: Int64) throws -> [Dimension: String] {
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

    /// Sets labels by a person's review, in one transaction: the record's final labels (source
    /// `review`, confidence 1), its price and the aggregates, the models (the old learned label
    /// taken back, the new one learned) and their snapshot. `classifier` changes only when the
    /// transaction commits. Returns the new labels, nil when no row has `rowID`.
    public func relabel(rowID: Int64, to changes: [Dimension: String], classifier: inout Classifier) throws -> ConversationLabels? {
        guard let stored = try conversation(rowID: rowID) else { return nil }
        var updated = classifier
        let learned = try learnedLabels(rowID: rowID)
        let document = Document(stored.record)
        try transaction {
            let old = try database.fetchOne("""
                SELECT department_final, outcome_final, duration_s_effective, cost_cents, value_cents_effective, sentiment_final
                FROM conversations WHERE id = ?
                """, arguments: [rowID]) { row in
                (PricedConversation(department: row[0], outcome: row[1], durationSeconds: row[2] as Int64? ?? 0,
                                    costCents: row[3] as Int64? ?? 0, valueCents: row[4] as Int64? ?? 0), row[5] as String?)
            }!
            var before = stored.record
            before.sentiment = old.1
            var after = before
            after.department = changes[.department] ?? old.0.department
            after.outcome = changes[.outcome] ?? old.0.outcome
            if let s = changes[.sentiment] { after.sentiment = s }
            // The value a record logged stays; a default value follows the new outcome.
            let priced = valuation.price(after)
            try subtractFromAggregates(before, old.0, site: stored.site)
            try addToAggregates(after, priced, site: stored.site)
            var sets = ["department_final = ?", "outcome_final = ?", "duration_s_effective = ?", "cost_cents = ?", "value_cents_effective = ?", "revision = ?"]
            var arguments: [(any SQLValue)?] = [priced.department, priced.outcome, priced.durationSeconds, priced.costCents, priced.valueCents,
                                                try nextRevision()]
            for (dimension, label) in changes.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                sets += ["\(dimension.rawValue)_source = 'review'", "\(dimension.rawValue)_confidence = 1000"]
                if dimension == .sentiment { sets.append("sentiment_final = ?"); arguments.append(label) }
                if let previous = learned[dimension] { updated.unlearn(document, dimension: dimension, label: previous) }
                updated.learn(document, dimension: dimension, label: label)
            }
            try database.execute("UPDATE conversations SET \(sets.joined(separator: ", ")) WHERE id = ?", arguments: arguments + [rowID])
            try saveModels(updated.models)
        }
        classifier = updated
        return try conversation(rowID: rowID)?.labels
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
